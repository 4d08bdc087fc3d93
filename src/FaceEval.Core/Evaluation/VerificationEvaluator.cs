using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>Computes a <see cref="VerificationResult"/> from a score set.</summary>
public static class VerificationEvaluator
{
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
        var ((eer, eerThreshold, _, _), roc, points) = Timed("EER, ROC and TAR at FAR", () => VerificationMetrics.Summarise(s, farTargets ?? VerificationOptions.DefaultFarTargets, convention));
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
            OperatingPoints = points.Select(p => p with { Model = model }).ToArray(),
            Convention = convention,
            KFoldAccuracy = kFold.Value.Mean,
            KFoldStd = kFold.Value.Std,
            Folds = kFold.Value.Folds,
            DPrime = dPrime,
            GenuineMean = gm, GenuineStd = gs, ImpostorMean = im, ImpostorStd = isd,
            Roc = roc,
            Histogram = ScoreHistograms.Of(s),
        };
    }

    /// <summary>k-fold accuracy over every pair of the set (see <see cref="KFold.Accuracy(ScoreSet, int, int)"/>).</summary>
    private static (double Mean, double Std, int Folds) ShuffledKFold(ScoreSet s, int folds, int seed)
    {
        int k = KFold.FoldsFor(folds, s.GenuineCount + s.ImpostorCount);
        var (mean, std, _, _) = KFold.Accuracy(s, k, seed);
        return (mean, std, k);
    }
}
