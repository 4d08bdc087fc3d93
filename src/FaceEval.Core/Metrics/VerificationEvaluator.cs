namespace FaceEval.Core.Metrics;

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
    /// <summary>The ROC, thinned to what a plot can show (see <see cref="VerificationMetrics.ThinnedRoc"/>), for -RocPath and plots.</summary>
    public RocPoint[] Roc { get; init; } = Array.Empty<RocPoint>();
    /// <summary>Genuine and impostor scores in 100 bins, for the score distribution plot.</summary>
    public ScoreHistogram? Histogram { get; init; }

    /// <summary>Bootstrap interval of the EER, when bootstrapped (see <see cref="Bootstrap"/>).</summary>
    public double? EerLow { get; private set; }
    public double? EerHigh { get; private set; }
    /// <summary>Bootstrap replicates behind the intervals (0: none).</summary>
    public int BootstrapReplicates { get; private set; }
    public double? ConfidenceLevel { get; private set; }

    /// <summary>Adds bootstrap intervals (identities resampled) for TAR at each target FAR and for EER.</summary>
    public void AddIntervals(LabelledPairs pairs, int replicates, int seed, double level)
    {
        var (tar, eer) = Bootstrap.Intervals(pairs, OperatingPoints.Select(p => p.TargetFar).ToArray(), replicates, seed, level);
        for (int k = 0; k < OperatingPoints.Length; k++)
            OperatingPoints[k] = OperatingPoints[k] with { TarLow = tar[k].Low, TarHigh = tar[k].High };
        (EerLow, EerHigh) = eer;
        BootstrapReplicates = replicates;
        ConfidenceLevel = level;
    }

    /// <summary>The operating point measured for target <paramref name="far"/>, or null when that target was not asked for (table views leave it blank).</summary>
    public OperatingPoint? At(double far) => OperatingPoints.FirstOrDefault(p => Math.Abs(p.TargetFar - far) <= 1e-9 * far);
}

/// <summary>Computes a <see cref="VerificationResult"/> from a score set.</summary>
public static class VerificationEvaluator
{
    public static readonly double[] DefaultFarTargets = { 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };

    public static VerificationResult Evaluate(string model, ScoreSet s, IReadOnlyList<double>? farTargets = null, FarConvention convention = FarConvention.Strict,
        int failureToEnrol = 0, bool failuresExcluded = false, int folds = 10, int seed = 0, (double Mean, double Std, int Folds)? kFold = null,
        Action<string>? log = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        T Timed<T>(string what, Func<T> step)
        {
            var value = step();
            log?.Invoke($"{what}: {watch.Elapsed.TotalSeconds:F2} s");
            watch.Restart();
            return value;
        }
        var ((eer, eerThreshold, _, _), roc, points) = Timed("EER, ROC and TAR at FAR", () => VerificationMetrics.Summarise(s, farTargets ?? DefaultFarTargets, convention));
        var ((gm, gs), (im, isd)) = Timed("statistics", () => (KFold.MeanStd(s.Genuine), KFold.MeanStd(s.Impostor)));
        double dPrime = KFold.DPrime(gm, gs, im, isd);
        double auc = Timed("AUC", () => VerificationMetrics.Auc(s));
        // k-fold over every pair (seeded), unless the caller measured it on folds of its own; folds = 0 skips it.
        kFold ??= folds == 0 ? (double.NaN, double.NaN, 0) : Timed("k-fold", () => ShuffledKFold(s, folds, seed));

        return new VerificationResult
        {
            Model = model,
            GenuinePairs = s.GenuineCount,
            ImpostorPairs = s.ImpostorCount,
            FailureToEnrol = failureToEnrol,
            FailureToEnrolHandling = failuresExcluded ? "Exclude" : "Reject",
            Auc = auc,
            Eer = eer,
            EerThreshold = eerThreshold,
            OperatingPoints = points,
            Convention = convention,
            KFoldAccuracy = kFold.Value.Mean,
            KFoldStd = kFold.Value.Std,
            Folds = kFold.Value.Folds,
            DPrime = dPrime,
            GenuineMean = gm, GenuineStd = gs, ImpostorMean = im, ImpostorStd = isd,
            Roc = roc,
            Histogram = ScoreHistogram.Of(s),
        };
    }

    /// <summary>k-fold accuracy over every pair of the set (see <see cref="KFold.Accuracy(ScoreSet, int, int)"/>).</summary>
    private static (double Mean, double Std, int Folds) ShuffledKFold(ScoreSet s, int folds, int seed)
    {
        int k = (int)Math.Min(folds, s.GenuineCount + s.ImpostorCount);
        var (mean, std, _, _) = KFold.Accuracy(s, k, seed);
        return (mean, std, k);
    }
}
