namespace FaceEval;

/// <summary>One face cut out of one image, as a lossless PNG in memory or on disk.</summary>
public sealed class FaceCrop
{
    /// <summary>Full path of the image the face was cut from.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Index of the face within its image: the box's order, or the detector's (most confident first).</summary>
    public required int FaceIndex { get; init; }

    /// <summary>The face box as given or detected (integer pixels).</summary>
    public required FaceBox Box { get; init; }

    /// <summary>The region actually cut: the box with its margin, clamped to the image.</summary>
    public required FaceBox CropBox { get; init; }

    /// <summary>Width of the crop as saved.</summary>
    public required int Width { get; init; }

    /// <summary>Height of the crop as saved.</summary>
    public required int Height { get; init; }

    /// <summary>Resize factor applied to the cut region (1 when not resized).</summary>
    public required double Scale { get; init; }

    /// <summary>Detector confidence when the face was found by the built-in detector, else null.</summary>
    public double? DetectorScore { get; init; }

    /// <summary>Five facial landmarks (x, y pairs) in source-image coordinates, when detected.</summary>
    public float[]? Landmarks { get; init; }

    /// <summary>The PNG file, once written.</summary>
    public string? Path { get; set; }

    /// <summary>The encoded PNG while it is held in memory (null once written to <see cref="Path"/>).</summary>
    public byte[]? PngData { get; set; }

    /// <summary>True when the PNG file was already there with exactly these bytes (an earlier run wrote it) and was kept.</summary>
    public bool Resumed { get; set; }

    public override string ToString() => Path ?? $"{SourcePath}#{FaceIndex}";
}
