namespace FaceEval.Core.Samples;

/// <summary>One generated photo and the box a detector would report for its face.</summary>
public sealed record SyntheticFace(string Path, string Identity, int X, int Y, int Width, int Height);
