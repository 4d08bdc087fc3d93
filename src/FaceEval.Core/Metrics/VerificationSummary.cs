namespace FaceEval.Core.Metrics;

/// <summary>What one sweep of the scores gives: the EER, the thinned ROC and TAR at each target FAR.</summary>
public sealed record VerificationSummary(EerPoint Eer, RocPoint[] Roc, OperatingPoint[] OperatingPoints)
{
    public static implicit operator VerificationSummary((EerPoint Eer, RocPoint[] Roc, OperatingPoint[] OperatingPoints) s) => new(s.Eer, s.Roc, s.OperatingPoints);
}
