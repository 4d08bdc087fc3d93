namespace FaceEval;

/// <summary>
/// One gallery size of the gallery-size curve (-GallerySizeCurve): rank-1 rate and FNIR at each target FPIR over
/// seeded draws of that many gallery identities (median and the 5th–95th percentile band), with the FPIR the
/// full gallery's thresholds give at this size, measured and as the independence assumption predicts it.
/// </summary>
public sealed record GallerySizePoint
{
    /// <summary>Gallery identities in each draw.</summary>
    public int GallerySize { get; init; }
    /// <summary>Draws of that many identities (1 for the full gallery).</summary>
    public int Draws { get; init; }
    /// <summary>Median rank-1 rate over the draws.</summary>
    public double RankOneRate { get; init; }
    /// <summary>5th percentile of the rank-1 rate over the draws.</summary>
    public double RankOneLow { get; init; }
    /// <summary>95th percentile of the rank-1 rate over the draws.</summary>
    public double RankOneHigh { get; init; }
    /// <summary>The target FPIRs, in the order of the result's operating points.</summary>
    public double[] TargetFpir { get; init; } = Array.Empty<double>();
    /// <summary>Median FNIR at each target, the threshold chosen again on each draw.</summary>
    public double[] Fnir { get; init; } = Array.Empty<double>();
    /// <summary>5th percentile of FNIR at each target.</summary>
    public double[] FnirLow { get; init; } = Array.Empty<double>();
    /// <summary>95th percentile of FNIR at each target.</summary>
    public double[] FnirHigh { get; init; } = Array.Empty<double>();
    /// <summary>Median FPIR measured at this size with the full gallery's threshold for each target.</summary>
    public double[] FpirAtFullThreshold { get; init; } = Array.Empty<double>();
    /// <summary>
    /// The independence prediction of that FPIR: 1 − (1 − FMR(T))^N, with FMR(T) the share of the non-mated
    /// searches' 1:1 comparisons (search against gallery entry) scoring at or above the full gallery's threshold T.
    /// </summary>
    public double[] PredictedFpir { get; init; } = Array.Empty<double>();
}
