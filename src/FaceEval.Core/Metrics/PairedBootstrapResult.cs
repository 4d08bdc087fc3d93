namespace FaceEval.Core.Metrics;

/// <summary>
/// What a paired bootstrap of several models gives: a comparison per pair of models and metric (TAR at each
/// target, then the EER), and per model and metric its value and threshold with their intervals.
/// </summary>
public sealed record PairedBootstrapResult(IReadOnlyList<ModelComparison> Comparisons, IReadOnlyList<ModelThreshold> Thresholds);
