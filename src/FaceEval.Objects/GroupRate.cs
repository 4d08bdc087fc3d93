namespace FaceEval;

/// <summary>
/// Error rates of one demographic group (one value of one attribute) at the global threshold: the
/// per-group FMR and FNMR of NIST's FRVT demographic-differential reports (NISTIR 8280, 8429), measured on
/// the evaluator's own people. A rate that the data cannot measure is NaN ("n/e"), never a bare 0.
/// </summary>
public sealed record GroupRate
{
    public required string Model { get; init; }
    /// <summary>The attribute grouped by (Sex, AgeBand, ...).</summary>
    public required string Attribute { get; init; }
    /// <summary>The attribute's value shared by the group's images.</summary>
    public required string Group { get; init; }
    /// <summary>Identities with at least one image in the group.</summary>
    public int Identities { get; init; }
    /// <summary>Images in the group, failures to enrol included.</summary>
    public int Images { get; init; }
    /// <summary>Genuine pairs with both images in the group (pairs with a failure to enrol included when they are scored as rejections).</summary>
    public long GenuinePairs { get; init; }
    /// <summary>Impostor pairs with both images in the group (likewise).</summary>
    public long ImpostorPairs { get; init; }
    /// <summary>Images of the group without an embedding.</summary>
    public int FailureToEnrol { get; init; }
    /// <summary>Impostor pairs of the group scoring at or above the global threshold.</summary>
    public long FalseMatches { get; init; }
    /// <summary>Genuine pairs of the group scoring below the global threshold (failures to enrol included).</summary>
    public long FalseNonMatches { get; init; }
    /// <summary>FMR_d = FalseMatches / ImpostorPairs at the global threshold; NaN (n/e) when the group has fewer than 1/GroupFar impostor pairs.</summary>
    public double Fmr { get; init; } = double.NaN;
    /// <summary>FNMR_d = FalseNonMatches / GenuinePairs at the global threshold; NaN (n/e) when the group has no genuine pair.</summary>
    public double Fnmr { get; init; } = double.NaN;
    public bool FmrEstimable { get; init; }
    public bool FnmrEstimable { get; init; }
    /// <summary>Both rates can be measured.</summary>
    public bool Estimable => FmrEstimable && FnmrEstimable;
    /// <summary>When FMR is estimable and no impostor pair matched: the rule-of-three 95% upper bound 3/ImpostorPairs; else NaN.</summary>
    public double FmrRuleOfThree { get; init; } = double.NaN;
    /// <summary>When FNMR is estimable and no genuine pair was rejected: 3/GenuinePairs; else NaN.</summary>
    public double FnmrRuleOfThree { get; init; } = double.NaN;
    /// <summary>Bootstrap percentile interval of FMR (identities resampled within the group, threshold held); null when not bootstrapped.</summary>
    public double? FmrLow { get; init; }
    public double? FmrHigh { get; init; }
    /// <summary>Bootstrap percentile interval of FNMR; null when not bootstrapped.</summary>
    public double? FnmrLow { get; init; }
    public double? FnmrHigh { get; init; }
    /// <summary>The global threshold T* the rates are measured at (strict threshold at GroupFar over all impostor pairs).</summary>
    public double Threshold { get; init; }
    /// <summary>The target FMR that set the global threshold.</summary>
    public double GroupFar { get; init; }
    /// <summary>The strict threshold at GroupFar over this group's impostor pairs alone; NaN when its FMR is n/e.</summary>
    public double GroupThreshold { get; init; } = double.NaN;
    /// <summary>GroupThreshold − Threshold: above 0, the group needs a stricter threshold to reach the target.</summary>
    public double ThresholdShift { get; init; } = double.NaN;
    /// <summary>The group's ROC (thinned), for its DET curve; empty when it has no genuine or no impostor pair.</summary>
    public RocPoint[] Roc { get; init; } = Array.Empty<RocPoint>();
}
