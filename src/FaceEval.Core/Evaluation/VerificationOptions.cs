namespace FaceEval.Core.Evaluation;

/// <summary>How a verification run measures (the parameters of Measure-FaceVerification).</summary>
public sealed record VerificationOptions
{
    /// <summary>The FAR targets of the default run: 1e-1 to 1e-6.</summary>
    public static readonly IReadOnlyList<double> DefaultFarTargets = new[] { 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };

    /// <summary>Target false-accept rates for TAR at FAR; default <see cref="DefaultFarTargets"/>.</summary>
    public IReadOnlyList<double> FarTargets { get; init; } = DefaultFarTargets;

    /// <summary>How the threshold for a target FAR is chosen; default Strict.</summary>
    public FarConvention Convention { get; init; } = FarConvention.Strict;

    /// <summary>Pairs with a failure to enrol; default Reject (scored as rejections).</summary>
    public FailureToEnrolHandling FailureToEnrol { get; init; } = FailureToEnrolHandling.Reject;

    /// <summary>An LFW pairs.txt or a CSV pair list (full path); null scores all pairs of the set.</summary>
    public string? PairListPath { get; init; }

    /// <summary>k of the k-fold accuracy; 0 skips it. Default 10.</summary>
    public int FoldCount { get; init; } = 10;

    /// <summary>Seed of every random draw (folds, impostor sample, bootstrap). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Bootstrap replicates over identities for intervals; 0 for none (the default).</summary>
    public int BootstrapCount { get; init; }

    /// <summary>Level of the intervals (two-sided) and of the one-sided bounds; default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// How the intervals are computed (<see cref="Metrics.VerificationIntervals"/>). Intervals are computed when
    /// this is set or <see cref="BootstrapCount"/> is above 0; null then means <see cref="DefaultIntervalMethod"/>.
    /// </summary>
    public IntervalMethod? IntervalMethod { get; init; }

    /// <summary>The method the coverage study picked (bench/README.md, #20).</summary>
    public const FaceEval.IntervalMethod DefaultIntervalMethod = FaceEval.IntervalMethod.Wilson;

    /// <summary>Bootstrap replicates of the Bca and Percentile methods when <see cref="BootstrapCount"/> is 0.</summary>
    public const int DefaultIntervalReplicates = 1000;

    /// <summary>
    /// Bootstrap replicates behind the variance of the Wilson and Clopper–Pearson intervals when
    /// <see cref="BootstrapCount"/> is 0: enough for a variance (its relative standard error is about
    /// √(2/B) = 10 %), which is then compared with the jackknife's; the coverage study ran with this many.
    /// </summary>
    public const int VarianceReplicates = 200;

    /// <summary>Whether intervals are asked for.</summary>
    public bool WantsIntervals => BootstrapCount > 0 || IntervalMethod is not null;

    /// <summary>
    /// Seeded splits of the identities for the threshold transfer check (<see cref="Metrics.TransferCheck"/>:
    /// the a-priori threshold check of biometric practice, a development/evaluation split by identity as in
    /// ISO/IEC 19795-1 and bob.measure's dev/eval); 0 for none (the default). All pairs of embeddings only.
    /// </summary>
    public int TransferCheck { get; init; }

    /// <summary>
    /// Whether to calibrate each model's scores into log-likelihood ratios (<see cref="Metrics.Calibration"/>:
    /// Cllr and MinCllr, Brümmer and du Preez 2006). All pairs of embeddings only.
    /// </summary>
    public bool Calibrate { get; init; }

    /// <summary>
    /// Attributes to break the results down by (<see cref="Metrics.SubgroupAnalysis"/>: per-group FMR and FNMR at
    /// one global threshold, NIST FRVT demographic-differential measures); empty for none. All pairs of embeddings only.
    /// </summary>
    public IReadOnlyList<string> GroupBy { get; init; } = Array.Empty<string>();

    /// <summary>The target FMR of the global threshold of the subgroup breakdown; default 1e-3 (NIST's report cards use 1e-4).</summary>
    public double GroupFar { get; init; } = Metrics.SubgroupAnalysis.DefaultGroupFar;

    /// <summary>A CSV (full path) with an Identity column and attribute columns, joined on identity; an image's own value wins.</summary>
    public string? AttributePath { get; init; }

    /// <summary>
    /// Whether to also compare the models pair for pair (<see cref="ComparisonRun"/>: paired identity bootstrap,
    /// Holm-adjusted p, McNemar counts) when two or more models of embeddings are measured, on the same pairs;
    /// for the report's Decision section. Uses <see cref="BootstrapCount"/> replicates when it is at least
    /// <see cref="ComparisonMinimumReplicates"/>, else <see cref="ComparisonDefaultReplicates"/>.
    /// </summary>
    public bool CompareModels { get; init; }

    /// <summary>Fewest replicates a paired comparison runs with (fewer cannot give p below 0.02).</summary>
    public const int ComparisonMinimumReplicates = 100;
    /// <summary>Replicates of the paired comparison when <see cref="BootstrapCount"/> is below the minimum (Compare-FaceModel's default).</summary>
    public const int ComparisonDefaultReplicates = 1000;

    /// <summary>When above 0, every genuine pair but only this many impostor pairs, drawn uniformly.</summary>
    public long ImpostorSample { get; init; }

    /// <summary>
    /// Above this many pairs, all pairs are measured by counting (<see cref="Metrics.CountedVerification"/>:
    /// memory that does not grow with the pairs) even when k-fold accuracy is asked for; k-fold accuracy, which
    /// needs every score stored and sorted, is then not measured. At or below it, a run with k-fold stores and
    /// sorts the scores (about 8 bytes per pair at the peak): 100,000,000 pairs are about 14,000 embeddings.
    /// </summary>
    public const long SortedPairLimit = 100_000_000;

    /// <summary>
    /// From this many pairs (1,000,000: about 1,400 embeddings) a run with k-fold but nothing else that needs the
    /// stored scores takes the counting path, which reads k-fold from the impostor scores pass 1 keeps instead of
    /// sorting them: the same numbers, in less time and half the memory. Smaller runs keep the sorted path and its
    /// every-point ROC.
    /// </summary>
    public const long CountedKFoldFrom = 1_000_000;

    /// <summary>Only block Index of Count (1-based) of the pair space, counted for a split run (with <see cref="StatePath"/>); null for all pairs.</summary>
    public (int Index, int Count)? PairBlock { get; init; }

    /// <summary>Where to write the counts of this run (a verification state file, merged by Merge-FaceVerificationState); null for none.</summary>
    public string? StatePath { get; init; }

    /// <summary>A plan file of Merge-FaceVerificationState: the refinement every block makes next; null for none.</summary>
    public string? PlanPath { get; init; }
}
