namespace FaceEval.Core.Metrics;

/// <summary>A vector with what is known about it, as the comparer takes it.</summary>
public sealed record LabelledVector(float[] Vector, string Label, string? Model, string? Identity);
