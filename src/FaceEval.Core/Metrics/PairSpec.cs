namespace FaceEval.Core.Metrics;

/// <summary>One pair to compare: two image keys, whether they show the same person, and an optional fold.</summary>
public sealed record PairSpec(string Reference, string Difference, bool IsMatch, int? Fold);
