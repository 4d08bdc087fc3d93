namespace FaceEval.Core.Metrics;

/// <summary>Everything a verification result takes from the scores, measured from counts (<see cref="CountedVerification"/>).</summary>
public sealed record CountedSummary(
    EerPoint Eer, RocPoint[] Roc, OperatingPoint[] OperatingPoints, double Auc, MeanStd Genuine, MeanStd Impostor,
    ScoreHistogram Histogram, long GenuineCount, long ImpostorCount);
