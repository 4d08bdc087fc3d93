namespace FaceEval.Core.Metrics;

/// <summary>The equal error rate and where it is: the threshold, and the FAR and FRR there (EER = (FAR + FRR) / 2).</summary>
public readonly record struct EerPoint(double Eer, double Threshold, double Far, double Frr)
{
    public static implicit operator EerPoint((double Eer, double Threshold, double Far, double Frr) p) => new(p.Eer, p.Threshold, p.Far, p.Frr);
}
