namespace FaceEval.Core.Imaging;

/// <summary>One image to crop: either explicit boxes, or none to run the detector.</summary>
public sealed record CropJob(string SourcePath, IReadOnlyList<BoxSpec>? Boxes, object? Tag = null);
