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
    /// <summary>From the first attempt to the answer, retries and waits included.</summary>
    public double ElapsedMs { get; init; }
    /// <summary>Requests sent for the item, retries included (429s too).</summary>
    public int Attempts { get; init; }
    /// <summary>
    /// The labels the input carried (columns of the detections CSV such as Sex or AgeBand), as text, so that
    /// Import-FaceEmbedding gives them back from the files alone; null when it carried none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    // What the service account (Measure-FaceEmbeddingRun) reads. Manifests written before these were kept have none
    // of them: they read as null, and the account says what it could not measure.

    /// <summary>When the item's first request was sent (UTC); <see cref="Time"/> is when the row was written, after the answer.</summary>
    public DateTimeOffset? Started { get; init; }
    /// <summary>The last attempt's time on the wire, from sending it to its answer (or failure), in milliseconds.</summary>
    public double? LatencyMs { get; init; }
    /// <summary>Time the item's requests were held back for the rate limit (429 pauses, pacing, -RequestsPerSecond), in milliseconds.</summary>
    public double? RateWaitMs { get; init; }
    /// <summary>Each request's HTTP status, in order (0: no answer, the connection was lost or the attempt timed out).</summary>
    public int[]? Statuses { get; init; }
    /// <summary>How many of the item's requests were answered 429.</summary>
    public int? Throttled { get; init; }
    /// <summary>Null for an item of the run; "canary" for a drift canary's request (not an item: no .npy, not in the output).</summary>
    public string? Kind { get; init; }
    /// <summary>For a canary: "start" (its reference embedding), "interval" or "end".</summary>
    public string? CanaryPhase { get; init; }
    /// <summary>For a canary after its start: the cosine of this embedding to its reference one.</summary>
    public double? CanaryCosine { get; init; }

    /// <summary>
    /// The consent reference the image was sent under (its ConsentRef, or the label -ConsentProperty names), so the
    /// record of what was sent shows on what basis; see <see cref="Consent"/>.
    /// </summary>
    public string? ConsentRef { get; init; }
    /// <summary>"given" when the image carried a consent reference, "none" when it carried none; null in manifests written before consent was recorded.</summary>
    public string? Consent { get; init; }

    /// <summary>The value of <see cref="Kind"/> for canary rows.</summary>
    public const string CanaryKind = "canary";
}
