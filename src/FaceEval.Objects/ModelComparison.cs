namespace FaceEval;

/// <summary>
/// Two models compared on one metric (TAR at one target FAR, or the EER) over exactly the same pairs: the
/// difference, its paired bootstrap interval and p-value (Holm-adjusted over every pair of models for the
/// same metric and target), and a descriptive McNemar count of the pairs on which the two decide apart.
/// </summary>
public sealed record ModelComparison
{
    /// <summary>Verdict when model A is significantly better.</summary>
    public const string ABetter = "A better";
    /// <summary>Verdict when model B is significantly better.</summary>
    public const string BBetter = "B better";
    /// <summary>Verdict when the adjusted p is not below 1 − the confidence level.</summary>
    public const string NoSignificantDifference = "No significant difference";

    public required string ModelA { get; init; }
    public required string ModelB { get; init; }
    /// <summary>"Tar" (higher is better) or "Eer" (lower is better).</summary>
    public required string Metric { get; init; }
    /// <summary>The target FAR of a "Tar" row (strict rule); NaN for "Eer".</summary>
    public double TargetFar { get; init; } = double.NaN;
    /// <summary>Model A's value on all the pairs.</summary>
    public double ValueA { get; init; }
    public double ValueB { get; init; }
    /// <summary>ValueA − ValueB, on all the pairs.</summary>
    public double Difference { get; init; }
    /// <summary>How <see cref="Lower"/>, <see cref="Upper"/> and <see cref="PValue"/> were made: Wilson or ClopperPearson (each model's interval on its clustered n_eff, the difference by Zou and Donner's MOVER, p by inverting it), Bca or Percentile (the paired bootstrap differences).</summary>
    public IntervalMethod IntervalMethod { get; init; } = IntervalMethod.Percentile;
    /// <summary>Lower bound of the interval of the difference (<see cref="IntervalMethod"/>).</summary>
    public double Lower { get; init; }
    public double Upper { get; init; }
    /// <summary>Two-sided p of "no difference": the MOVER interval inverted (Wilson, ClopperPearson), or the bootstrap's min(1, 2 (1 + min(#{Δ ≤ 0}, #{Δ ≥ 0})) / (B + 1)) (Bca, Percentile).</summary>
    public double PValue { get; init; }
    /// <summary><see cref="PValue"/> adjusted by Holm over every pair of models for this metric and target.</summary>
    public double AdjustedPValue { get; init; }
    /// <summary>Replicates behind the interval and p (B): those with genuine and impostor pairs drawn.</summary>
    public int BootstrapCount { get; init; }
    public double ConfidenceLevel { get; init; }
    /// <summary><see cref="ABetter"/>, <see cref="BBetter"/> or <see cref="NoSignificantDifference"/>: significant when AdjustedPValue &lt; 1 − ConfidenceLevel, the side by the sign of the difference (for the EER, lower is better).</summary>
    public required string Verdict { get; init; }

    /// <summary>Model A's operating threshold on all pairs: its strict threshold at the target, or its EER threshold.</summary>
    public double ThresholdA { get; init; }
    public double ThresholdB { get; init; }
    /// <summary>Genuine pairs accepted by A at <see cref="ThresholdA"/> and rejected by B at <see cref="ThresholdB"/>.</summary>
    public long GenuineOnlyA { get; init; }
    /// <summary>Genuine pairs accepted by B and rejected by A.</summary>
    public long GenuineOnlyB { get; init; }
    /// <summary>McNemar's exact two-sided p on <see cref="GenuineOnlyA"/> and <see cref="GenuineOnlyB"/> (descriptive: the thresholds were chosen on the same pairs).</summary>
    public double GenuineMcNemarP { get; init; }
    /// <summary>Impostor pairs accepted by A and rejected by B (false accepts of A only).</summary>
    public long ImpostorOnlyA { get; init; }
    public long ImpostorOnlyB { get; init; }
    public double ImpostorMcNemarP { get; init; }
}
