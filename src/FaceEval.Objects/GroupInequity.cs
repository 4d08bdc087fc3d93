namespace FaceEval;

/// <summary>
/// Summary indices of the demographic differential over the groups of one attribute, at the global threshold.
/// </summary>
/// <remarks>
/// <para>FmrInequity = max_d FMR_d / geomean_d FMR_d and FnmrInequity likewise: NIST's max over
/// geometric-mean ratio (FRVT Part 8, NISTIR 8429), over the groups whose rate is estimable; 1 is parity.
/// Not estimable (NaN) with fewer than two such groups or when one of their rates is 0 (the geometric mean
/// vanishes): <see cref="Note"/> then gives the rule-of-three bound 3/n of each zero rate.</para>
/// <para>Fdr = 1 − (α·max|FMR_i − FMR_j| + (1 − α)·max|FNMR_i − FNMR_j|), α = 0.5: the fairness discrepancy
/// rate of Pereira and Marcel (IEEE T-BIOM 2022), over the estimable groups; 1 is parity.</para>
/// </remarks>
public sealed record GroupInequity
{
    public required string Model { get; init; }
    public required string Attribute { get; init; }
    /// <summary>Groups of the attribute (images without a value for it are left out; see <see cref="Unlabelled"/>).</summary>
    public int Groups { get; init; }
    /// <summary>Images without a value for the attribute, left out of its breakdown.</summary>
    public int Unlabelled { get; init; }
    public double GroupFar { get; init; }
    /// <summary>The global threshold T*.</summary>
    public double Threshold { get; init; }
    public double FmrInequity { get; init; } = double.NaN;
    public double FnmrInequity { get; init; } = double.NaN;
    public double Fdr { get; init; } = double.NaN;
    /// <summary>α of the FDR (the weight of the FMR term).</summary>
    public double Alpha { get; init; } = 0.5;
    /// <summary>Bootstrap percentile intervals (identities resampled within each group, threshold held); null when not bootstrapped.</summary>
    public double? FmrInequityLow { get; init; }
    public double? FmrInequityHigh { get; init; }
    public double? FnmrInequityLow { get; init; }
    public double? FnmrInequityHigh { get; init; }
    public double? FdrLow { get; init; }
    public double? FdrHigh { get; init; }
    /// <summary>Why an index is not estimable, which groups were left out, and the rule-of-three bounds; empty when nothing needs saying.</summary>
    public string Note { get; init; } = "";
}
