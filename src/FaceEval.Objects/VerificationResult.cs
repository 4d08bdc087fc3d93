namespace FaceEval;

/// <summary>Everything measured for one model on one set of pairs.</summary>
public sealed class VerificationResult
{
    public required string Model { get; init; }
    /// <summary>Genuine pairs, those involving a failure to enrol included when they are scored as rejections.</summary>
    public long GenuinePairs { get; init; }
    public long ImpostorPairs { get; init; }
    /// <summary>Inputs without an embedding (no face found, ...).</summary>
    public int FailureToEnrol { get; init; }
    /// <summary>How pairs involving a failure to enrol were treated: Reject (scored as rejections) or Exclude.</summary>
    public string FailureToEnrolHandling { get; init; } = "Reject";
    public double Auc { get; init; }
    public double Eer { get; init; }
    public double EerThreshold { get; init; }
    public required OperatingPoint[] OperatingPoints { get; init; }
    public FarConvention Convention { get; init; }
    public double KFoldAccuracy { get; init; }
    public double KFoldStd { get; init; }
    public int Folds { get; init; }
    public double DPrime { get; init; }
    public double GenuineMean { get; init; }
    public double GenuineStd { get; init; }
    public double ImpostorMean { get; init; }
    public double ImpostorStd { get; init; }
    /// <summary>The ROC, thinned to what a plot can show (at most a few thousand points, every corner kept), for -RocPath and plots.</summary>
    public RocPoint[] Roc { get; init; } = Array.Empty<RocPoint>();
    /// <summary>Genuine and impostor scores in 100 bins, for the score distribution plot.</summary>
    public ScoreHistogram? Histogram { get; init; }

    /// <summary>Confidence interval of the EER, when intervals were asked for (by <see cref="IntervalMethod"/>).</summary>
    public double? EerLow { get; private init; }
    public double? EerHigh { get; private init; }
    /// <summary>One-sided upper confidence bound of the EER at <see cref="ConfidenceLevel"/>; null without intervals.</summary>
    public double? EerUpper { get; private init; }
    /// <summary>True when the EER interval is approximate (see <see cref="OperatingPoint.IntervalApproximate"/>).</summary>
    public bool EerIntervalApproximate { get; private init; }
    /// <summary>How the intervals and one-sided bounds were computed; null without intervals.</summary>
    public IntervalMethod? IntervalMethod { get; private init; }
    /// <summary>Identity-bootstrap replicates drawn for the intervals (0: none; the Wilson and Clopper–Pearson methods need none).</summary>
    public int BootstrapReplicates { get; private init; }
    public double? ConfidenceLevel { get; private init; }

    /// <summary>-TransferCheck: the seeded splits of the identities behind each operating point's Transfer* values (0: not checked).</summary>
    public int TransferSplits { get; private init; }

    /// <summary>
    /// -Calibrate: the scores as log-likelihood ratios, llr = Slope · score + Intercept, with Cllr, MinCllr and
    /// CalibrationLoss in bits (Brümmer and du Preez 2006) and Probability(score, prior); null when not asked for.
    /// </summary>
    public ModelCalibration? Calibration { get; private init; }

    /// <summary>-GroupBy: FMR and FNMR per group of each attribute at the global threshold (see <see cref="GroupRate"/>); empty when not grouped.</summary>
    public GroupRate[] Groups { get; private init; } = Array.Empty<GroupRate>();
    /// <summary>-GroupBy: FMR between every two groups (and within each) of each attribute at the global threshold.</summary>
    public CrossGroupRate[] CrossGroupFmr { get; private init; } = Array.Empty<CrossGroupRate>();
    /// <summary>-GroupBy: the summary indices of each attribute (see <see cref="GroupInequity"/>).</summary>
    public GroupInequity[] GroupIndices { get; private init; } = Array.Empty<GroupInequity>();
    /// <summary>-GroupBy: NIST's max/geometric-mean FMR ratio; of the worst attribute when grouped by several; NaN when not estimable or not grouped.</summary>
    public double FmrInequity { get; private init; } = double.NaN;
    /// <summary>-GroupBy: the max/geometric-mean FNMR ratio; of the worst attribute when grouped by several.</summary>
    public double FnmrInequity { get; private init; } = double.NaN;
    /// <summary>-GroupBy: the fairness discrepancy rate (α = 0.5); the lowest over the attributes when grouped by several.</summary>
    public double Fdr { get; private init; } = double.NaN;
    /// <summary>-GroupBy: the target FMR of the global threshold; NaN when not grouped.</summary>
    public double GroupFar { get; private init; } = double.NaN;
    /// <summary>-GroupBy: the global threshold T*, the strict threshold at <see cref="GroupFar"/> over all impostor pairs.</summary>
    public double GroupFarThreshold { get; private init; } = double.NaN;

    /// <summary>
    /// A copy with intervals: one (low, high) of TAR per operating point, in order, one for the EER, and
    /// optionally one of the strict threshold per operating point.
    /// </summary>
    public VerificationResult WithIntervals(IReadOnlyList<Interval> tar, Interval eer, int replicates, double level, IReadOnlyList<Interval>? threshold = null)
    {
        if (tar.Count != OperatingPoints.Length) throw new ArgumentException($"{tar.Count} TAR intervals for {OperatingPoints.Length} operating points.", nameof(tar));
        if (threshold is not null && threshold.Count != OperatingPoints.Length) throw new ArgumentException($"{threshold.Count} threshold intervals for {OperatingPoints.Length} operating points.", nameof(threshold));
        return new VerificationResult(this)
        {
            OperatingPoints = OperatingPoints.Select((p, k) => p with
            {
                TarLow = tar[k].Low, TarHigh = tar[k].High,
                ThresholdLower = threshold?[k].Low ?? double.NaN, ThresholdUpper = threshold?[k].High ?? double.NaN,
            }).ToArray(),
            EerLow = eer.Low, EerHigh = eer.High, BootstrapReplicates = replicates, ConfidenceLevel = level,
        };
    }

    /// <summary>
    /// A copy that names the interval method and carries the one-sided bounds: the upper bound of FNMR and
    /// whether the interval is approximate per operating point, in order, and the same for the EER.
    /// </summary>
    public VerificationResult WithClaims(IntervalMethod method, IReadOnlyList<double> fnmrUpper, IReadOnlyList<bool> approximate, double eerUpper, bool eerApproximate)
    {
        if (fnmrUpper.Count != OperatingPoints.Length || approximate.Count != OperatingPoints.Length)
            throw new ArgumentException($"{fnmrUpper.Count} bounds and {approximate.Count} flags for {OperatingPoints.Length} operating points.", nameof(fnmrUpper));
        return new VerificationResult(this)
        {
            OperatingPoints = OperatingPoints.Select((p, k) => p with { FnmrUpper = fnmrUpper[k], IntervalApproximate = approximate[k] }).ToArray(),
            IntervalMethod = method, EerUpper = eerUpper, EerIntervalApproximate = eerApproximate,
        };
    }

    /// <summary>A copy with the threshold transfer check: one <see cref="ThresholdTransfer"/> per operating point, in order.</summary>
    public VerificationResult WithTransfer(IReadOnlyList<ThresholdTransfer> transfer, int splits)
    {
        if (transfer.Count != OperatingPoints.Length) throw new ArgumentException($"{transfer.Count} transfer checks for {OperatingPoints.Length} operating points.", nameof(transfer));
        return new VerificationResult(this)
        {
            OperatingPoints = OperatingPoints.Select((p, k) => p with
            {
                TransferFarRatio = transfer[k].TransferFarRatio, TransferFarRatioMax = transfer[k].TransferFarRatioMax, TransferTar = transfer[k].TransferTar,
            }).ToArray(),
            TransferSplits = splits,
        };
    }

    /// <summary>A copy with the calibration of its scores.</summary>
    public VerificationResult WithCalibration(ModelCalibration calibration) => new(this) { Calibration = calibration };

    /// <summary>
    /// A copy with the subgroup breakdown. The top-level indices are those of the one attribute, or with
    /// several the worst estimable one (highest inequity, lowest FDR).
    /// </summary>
    public VerificationResult WithGroups(GroupRate[] groups, CrossGroupRate[] cross, GroupInequity[] indices, double groupFar, double threshold)
    {
        static double Worst(IEnumerable<double> values, bool highest)
        {
            var v = values.Where(x => !double.IsNaN(x)).ToArray();
            return v.Length == 0 ? double.NaN : highest ? v.Max() : v.Min();
        }
        return new VerificationResult(this)
        {
            Groups = groups, CrossGroupFmr = cross, GroupIndices = indices, GroupFar = groupFar, GroupFarThreshold = threshold,
            FmrInequity = Worst(indices.Select(i => i.FmrInequity), true),
            FnmrInequity = Worst(indices.Select(i => i.FnmrInequity), true),
            Fdr = Worst(indices.Select(i => i.Fdr), false),
        };
    }

    /// <summary>A copy under another model name (its calibration and subgroup rows too): how a shareable report shows a model by its alias.</summary>
    public VerificationResult Renamed(string model) => new(this)
    {
        Model = model, Calibration = Calibration is null ? null : Calibration with { Model = model },
        Groups = Groups.Select(g => g with { Model = model }).ToArray(), CrossGroupFmr = CrossGroupFmr.Select(c => c with { Model = model }).ToArray(),
        GroupIndices = GroupIndices.Select(i => i with { Model = model }).ToArray(),
    };

    public VerificationResult() { }

    /// <summary>A copy of every property of <paramref name="from"/>, for the With… methods to change some of.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    private VerificationResult(VerificationResult from)
    {
        Model = from.Model; GenuinePairs = from.GenuinePairs; ImpostorPairs = from.ImpostorPairs; FailureToEnrol = from.FailureToEnrol;
        FailureToEnrolHandling = from.FailureToEnrolHandling; Auc = from.Auc; Eer = from.Eer; EerThreshold = from.EerThreshold;
        OperatingPoints = from.OperatingPoints;
        Convention = from.Convention; KFoldAccuracy = from.KFoldAccuracy; KFoldStd = from.KFoldStd; Folds = from.Folds; DPrime = from.DPrime;
        GenuineMean = from.GenuineMean; GenuineStd = from.GenuineStd; ImpostorMean = from.ImpostorMean; ImpostorStd = from.ImpostorStd;
        Roc = from.Roc; Histogram = from.Histogram;
        EerLow = from.EerLow; EerHigh = from.EerHigh; BootstrapReplicates = from.BootstrapReplicates; ConfidenceLevel = from.ConfidenceLevel;
        TransferSplits = from.TransferSplits; Calibration = from.Calibration;
        Groups = from.Groups; CrossGroupFmr = from.CrossGroupFmr; GroupIndices = from.GroupIndices; FmrInequity = from.FmrInequity;
        FnmrInequity = from.FnmrInequity; Fdr = from.Fdr; GroupFar = from.GroupFar; GroupFarThreshold = from.GroupFarThreshold;
        EerUpper = from.EerUpper; EerIntervalApproximate = from.EerIntervalApproximate; IntervalMethod = from.IntervalMethod;
    }

    /// <summary>The operating point measured for target <paramref name="far"/>, or null when that target was not asked for (table views leave it blank).</summary>
    public OperatingPoint? At(double far) => OperatingPoints.FirstOrDefault(p => Math.Abs(p.TargetFar - far) <= 1e-9 * far);
}
