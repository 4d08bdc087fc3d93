namespace FaceEval.Core.Metrics;

/// <summary>A mean and a (population) standard deviation.</summary>
public readonly record struct MeanStd(double Mean, double Std)
{
    public static implicit operator MeanStd((double Mean, double Std) m) => new(m.Mean, m.Std);
}
