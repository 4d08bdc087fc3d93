namespace FaceEval.Core.Imaging;

/// <summary>Settings shared by every image of a cropping run.</summary>
public sealed record CropSettings
{
    /// <summary>Total margin as a share of the box side (0.2 = 10 % on each side).</summary>
    public double Expansion { get; init; } = CropGeometry.DefaultExpansion;

    /// <summary>Bound on the longest side of a crop; null or 0 for none.</summary>
    public int? MaxSide { get; init; } = CropGeometry.DefaultMaxSide;

    /// <summary>Largest image accepted, in pixels; 0 for no limit.</summary>
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;

    /// <summary>YuNet ONNX model used when a job has no boxes.</summary>
    public string? DetectorModel { get; init; }

    /// <summary>Lowest detector score kept.</summary>
    public float MinConfidence { get; init; } = YuNetFaceDetector.DefaultMinConfidence;
}
