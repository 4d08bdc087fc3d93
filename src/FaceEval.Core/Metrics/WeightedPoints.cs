namespace FaceEval.Core.Metrics;

/// <summary>What one weighted sweep measures (see <see cref="WeightedSweep"/>); reused from one call to the next.</summary>
internal sealed class WeightedPoints(int targets)
{
    /// <summary>Strict TAR at each target.</summary>
    public double[] Tar { get; } = new double[targets];
    /// <summary>The strict threshold at each target: the lowest threshold whose weighted FAR is at most the target.</summary>
    public double[] Threshold { get; } = new double[targets];
    public double Eer { get; set; }
    public double EerThreshold { get; set; }
    /// <summary>Scratch: which targets the sweep has passed.</summary>
    internal bool[] Found { get; } = new bool[targets];
}
