namespace FaceEval.Core.Metrics;

/// <summary>k-fold accuracy: the mean and standard deviation over folds, and each fold's accuracy and threshold.</summary>
public sealed record KFoldResult(double Mean, double Std, double[] Accuracies, double[] Thresholds)
{
    public static implicit operator KFoldResult((double Mean, double Std, double[] Accuracies, double[] Thresholds) r) => new(r.Mean, r.Std, r.Accuracies, r.Thresholds);
}
