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
    /// <summary>The .npy file: relative to the manifest's folder in the file, absolute once read.</summary>
    public string? Npy { get; init; }
    /// <summary>SHA-256 of the .npy file as written, so a resumed run can tell it still holds this model's vector.</summary>
    public string? NpySha256 { get; init; }
    public int? Dimension { get; init; }
    public double ElapsedMs { get; init; }
    public int Attempts { get; init; }
    /// <summary>
    /// The labels the input carried (columns of the detections CSV such as Sex or AgeBand), as text, so that
    /// Import-FaceEmbedding gives them back from the files alone; null when it carried none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
