namespace FaceEval.Core.Metrics;

/// <summary>The scores of a pair list, in list order (for folds) and as a score set (for the metrics).</summary>
public sealed record ScoredPairList(ScoreSet Set, float[] Scores, bool[] IsMatch, int[]? Folds, int Missing);
