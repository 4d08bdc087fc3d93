using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>A <see cref="VerificationResult"/> from counts: the fields <see cref="VerificationEvaluator"/> fills from sorted scores, with the same values (the ROC sampled differently).</summary>
public static class CountedVerificationEvaluator
{
    public static VerificationResult Evaluate(string model, CountedSummary s, FarConvention convention, int failureToEnrol = 0, bool failuresExcluded = false,
        (double Mean, double Std, int Folds)? kFold = null) => new()
    {
        Model = model,
        GenuinePairs = s.GenuineCount,
        ImpostorPairs = s.ImpostorCount,
        FailureToEnrol = failureToEnrol,
        FailureToEnrolHandling = failuresExcluded ? "Exclude" : "Reject",
        Auc = s.Auc,
        Eer = s.Eer.Eer,
        EerThreshold = s.Eer.Threshold,
        OperatingPoints = s.OperatingPoints.Select(p => p with { Model = model }).ToArray(),
        Convention = convention,
        KFoldAccuracy = kFold?.Mean ?? s.KFold?.Mean ?? double.NaN,
        KFoldStd = kFold?.Std ?? s.KFold?.Std ?? double.NaN,
        Folds = kFold?.Folds ?? s.KFold?.Accuracies.Length ?? 0,
        DPrime = KFold.DPrime(s.Genuine.Mean, s.Genuine.Std, s.Impostor.Mean, s.Impostor.Std),
        GenuineMean = s.Genuine.Mean, GenuineStd = s.Genuine.Std, ImpostorMean = s.Impostor.Mean, ImpostorStd = s.Impostor.Std,
        Roc = s.Roc,
        Histogram = s.Histogram,
    };
}
