namespace FaceEval.Core.Imaging;

/// <summary>A crop, or the error that stopped it; <see cref="Tag"/> is the caller's (e.g. the input object).</summary>
public sealed record CropOutcome(FaceCrop? Crop, FaceEvalException? Error, object? Tag);
