namespace FaceEval.Core.Metrics;

/// <summary>Bootstrap percentile intervals: one for TAR at each target FAR, in order, and one for the EER.</summary>
public sealed record BootstrapIntervals(Interval[] Tar, Interval Eer)
{
    /// <summary>Percentile interval of the strict threshold at each target FAR, in order.</summary>
    public Interval[] Threshold { get; init; } = [];
}
