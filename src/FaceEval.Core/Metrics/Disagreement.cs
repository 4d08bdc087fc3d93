namespace FaceEval.Core.Metrics;

/// <summary>Pairs on which two models decide apart: genuine pairs accepted by one only, impostor pairs accepted by one only.</summary>
public readonly record struct Disagreement(long GenuineOnlyA, long GenuineOnlyB, long ImpostorOnlyA, long ImpostorOnlyB);
