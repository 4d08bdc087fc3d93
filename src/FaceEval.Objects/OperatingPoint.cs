namespace FaceEval;

/// <summary>TAR at one target FAR. A pair is accepted when its score is at least <see cref="Threshold"/>.</summary>
public sealed record OperatingPoint(double TargetFar, double Threshold, double Tar, double AchievedFar, long FalseAccepts, bool Estimable)
{
    /// <summary>The model measured, so that operating points of several models can be listed or exported together.</summary>
    public string Model { get; init; } = "";

    public double Frr => 1 - Tar;
    /// <summary>Lower bound of the confidence interval for TAR (strict rule), when intervals were asked for (VerificationResult.IntervalMethod names the method).</summary>
    public double? TarLow { get; init; }
    /// <summary>Upper bound of the confidence interval for TAR, when intervals were asked for.</summary>
    public double? TarHigh { get; init; }
    /// <summary>
    /// One-sided upper confidence bound of FNMR = 1 − TAR at the result's ConfidenceLevel: the claim "FNMR at
    /// most this with that confidence". With no false reject observed it is the clustered rule of three,
    /// 1 − (1 − level)^(1/n₀) ≈ 3/n₀ at 95 % with n₀ about one pair per identity. Null without intervals.
    /// </summary>
    public double? FnmrUpper { get; init; }
    /// <summary>
    /// True when the interval at this point is approximate: fewer than 30 identities or fewer than 10 expected
    /// errors (FNMR × effective pairs), where the coverage study (bench/README.md) could not hold the level.
    /// </summary>
    public bool IntervalApproximate { get; init; }
    /// <summary>Lower bound of the bootstrap percentile interval of the strict threshold at this target (chosen again on each replicate); NaN when not bootstrapped.</summary>
    public double ThresholdLower { get; init; } = double.NaN;
    /// <summary>Upper bound of the bootstrap interval of the strict threshold; NaN when not bootstrapped.</summary>
    public double ThresholdUpper { get; init; } = double.NaN;

    /// <summary>
    /// -TransferCheck: the median over identity-disjoint transfers of FAR(unseen half) / target, for the strict
    /// threshold chosen on one half of the identities and applied to the other (the a-priori threshold check
    /// of biometric practice: development/evaluation split by identity, ISO/IEC 19795-1 / bob.measure's
    /// dev/eval). 1: the threshold holds its FAR on new people; above 1: it lets more impostors through. NaN when not computed.
    /// </summary>
    public double TransferFarRatio { get; init; } = double.NaN;
    /// <summary>-TransferCheck: the largest FAR(unseen half) / target over the transfers; NaN when not computed.</summary>
    public double TransferFarRatioMax { get; init; } = double.NaN;
    /// <summary>-TransferCheck: the median TAR on the unseen half at the transferred threshold; NaN when not computed.</summary>
    public double TransferTar { get; init; } = double.NaN;
}
