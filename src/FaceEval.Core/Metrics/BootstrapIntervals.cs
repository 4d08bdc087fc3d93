namespace FaceEval.Core.Metrics;

/// <summary>Bootstrap percentile intervals: one for TAR at each target FAR, in order, and one for the EER.</summary>
public sealed record BootstrapIntervals(Interval[] Tar, Interval Eer);
