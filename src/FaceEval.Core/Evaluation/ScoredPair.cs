namespace FaceEval.Core.Evaluation;

/// <summary>A pair scored elsewhere: its similarity and whether it is genuine, for one model (and fold, when given).</summary>
public readonly record struct ScoredPair(string Model, float Score, bool IsMatch, int? Fold);
