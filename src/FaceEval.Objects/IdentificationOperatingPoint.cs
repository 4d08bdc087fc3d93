namespace FaceEval;

/// <summary>
/// One 1:N operating point: the threshold chosen for a target false positive identification rate, and what it
/// does to the mated searches. A search alarms on a gallery entry whose score is at least <see cref="Threshold"/>.
/// </summary>
public sealed record IdentificationOperatingPoint
{
    /// <summary>The model measured.</summary>
    public string Model { get; init; } = "";
    /// <summary>The target FPIR.</summary>
    public double TargetFpir { get; init; }
    /// <summary>
    /// The threshold. Strict: the lowest with FPIR at most the target. InsightFace: the ⌊n·far⌋-th largest
    /// non-mated maximum (a mate must score strictly above it). With -Protocol SplitGallery, gallery G1's; G2's is
    /// <see cref="ThresholdG2"/>. NaN when there are no non-mated searches to choose it from.
    /// </summary>
    public double Threshold { get; init; } = double.NaN;
    /// <summary>-Protocol SplitGallery: gallery G2's threshold; NaN otherwise.</summary>
    public double ThresholdG2 { get; init; } = double.NaN;
    /// <summary>The rank R a mate must reach (FNIR(R, T)).</summary>
    public int Rank { get; init; } = 1;
    /// <summary>FNIR(R, T): the share of mated searches whose mate ranks beyond R or scores below the threshold (failures to enrol are misses).</summary>
    public double Fnir { get; init; } = double.NaN;
    /// <summary>1 − FNIR: the true positive identification rate.</summary>
    public double Tpir { get; init; } = double.NaN;
    /// <summary>FPIR at the threshold: the share of non-mated searches whose best score is at or above it.</summary>
    public double AchievedFpir { get; init; } = double.NaN;
    /// <summary>Non-mated searches that alarm at the threshold.</summary>
    public long FalseAlarms { get; init; }
    /// <summary>SEL(T): the mean number of gallery entries at or above the threshold per non-mated search.</summary>
    public double Selectivity { get; init; } = double.NaN;
    /// <summary>True when there are at least 1 / target non-mated searches, so an FPIR this small can be observed at all.</summary>
    public bool Estimable { get; init; }
    /// <summary>Lower bound of the bootstrap interval of FNIR (identities resampled); null when not bootstrapped.</summary>
    public double? FnirLow { get; init; }
    /// <summary>Upper bound of the bootstrap interval of FNIR; null when not bootstrapped.</summary>
    public double? FnirHigh { get; init; }
    /// <summary>Lower bound of the bootstrap interval of the threshold (chosen again on each replicate); NaN when not bootstrapped.</summary>
    public double ThresholdLow { get; init; } = double.NaN;
    /// <summary>Upper bound of the bootstrap interval of the threshold; NaN when not bootstrapped.</summary>
    public double ThresholdHigh { get; init; } = double.NaN;
}
