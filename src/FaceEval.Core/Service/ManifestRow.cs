namespace FaceEval.Core.Service;

/// <summary>One line of a run manifest: what happened to one item, and when.</summary>
public sealed record ManifestRow
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public required string Source { get; init; }
    public string? CropSha256 { get; init; }
    public required string Model { get; init; }
    /// <summary>ok, no_face or error.</summary>
    public required string Status { get; init; }
    public string? ErrorId { get; init; }
    public string? Error { get; init; }
    public string? Npy { get; init; }
    public int? Dimension { get; init; }
    public double ElapsedMs { get; init; }
    public int Attempts { get; init; }
}
