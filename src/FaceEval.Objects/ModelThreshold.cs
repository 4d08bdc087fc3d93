namespace FaceEval;

/// <summary>
/// One model's value of one metric (TAR at a target FAR, or the EER) and its operating threshold, with the
/// paired bootstrap's percentile intervals of both: how far the threshold moves when the identities are
/// drawn again.
/// </summary>
public sealed record ModelThreshold
{
    public required string Model { get; init; }
    /// <summary>"Tar" or "Eer".</summary>
    public required string Metric { get; init; }
    /// <summary>The target FAR of a "Tar" row; NaN for "Eer".</summary>
    public double TargetFar { get; init; } = double.NaN;
    /// <summary>TAR at the target (strict rule) or EER, on all pairs.</summary>
    public double Value { get; init; }
    public double Lower { get; init; }
    public double Upper { get; init; }
    /// <summary>The strict threshold at the target, or the EER threshold, on all pairs.</summary>
    public double Threshold { get; init; }
    public double ThresholdLower { get; init; }
    public double ThresholdUpper { get; init; }
    public int BootstrapCount { get; init; }
    public double ConfidenceLevel { get; init; }
}
