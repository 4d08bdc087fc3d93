namespace FaceEval.Core.Planning;

/// <summary>One image of a test set to plan for: its identity (null when unknown) and its path.</summary>
public sealed record PlanItem(string? Identity, string Path);
