namespace FaceEval.Core.Metrics;

/// <summary>Everything a verification result takes from the scores, measured from counts (<see cref="CountedVerification"/>).</summary>
public sealed record CountedSummary(
    EerPoint Eer, RocPoint[] Roc, OperatingPoint[] OperatingPoints, double Auc, MeanStd Genuine, MeanStd Impostor,
    ScoreHistogram Histogram, long GenuineCount, long ImpostorCount)
{
    /// <summary>k-fold accuracy over every pair, when it was asked for and the impostor scores were kept (see <see cref="CountedVerification.Measure(ReadOnlyMemory{float}, int, int[], bool[], IReadOnlyList{double}, FarConvention, int, int, Action{string}?, CancellationToken)"/>); null otherwise.</summary>
    public KFoldResult? KFold { get; init; }
}
