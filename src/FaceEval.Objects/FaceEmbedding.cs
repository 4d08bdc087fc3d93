namespace FaceEval;

/// <summary>One embedding: the vector a model returned for one face image.</summary>
public sealed class FaceEmbedding
{
    /// <summary>The original image (for crops, the image the face was cut from).</summary>
    public required string SourcePath { get; init; }
    public required string Model { get; init; }
    public required float[] Vector { get; init; }
    public int Dimension => Vector.Length;
    /// <summary>L2 norm of the vector as returned (1 for a normalised embedding).</summary>
    public double Norm => Math.Sqrt(Vector.Sum(v => (double)v * v));
    /// <summary>The identity label, when the input carried one (or Import-FaceEmbedding found one).</summary>
    public string? Identity { get; set; }
    /// <summary>Index of the face in its source image, for crops.</summary>
    public int? FaceIndex { get; init; }
    /// <summary>The file that was sent (a crop PNG), when it came from a file.</summary>
    public string? ImagePath { get; init; }
    public string? NpyPath { get; init; }
    /// <summary>Time from the first attempt to the answer (zero when resumed from disk).</summary>
    public TimeSpan Elapsed { get; init; }
    /// <summary>Requests sent for this image (retries included; 0 when resumed from disk).</summary>
    public int Attempts { get; init; }
    /// <summary>How many of those requests the server refused with 429 (rate limit).</summary>
    public int Throttled { get; init; }
    /// <summary>True when the vector was read back from an earlier run's .npy instead of requested.</summary>
    public bool Resumed { get; init; }

    public override string ToString() => $"{Model}:{System.IO.Path.GetFileName(ImagePath ?? SourcePath)}";
}
