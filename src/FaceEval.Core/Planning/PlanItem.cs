namespace FaceEval.Core.Planning;

/// <summary>One image of a test set to plan for: its identity (null when unknown), its path, and its consent reference (null when it has none).</summary>
public sealed record PlanItem(string? Identity, string Path, string? ConsentRef = null);
