namespace FaceEval;

/// <summary>
/// An account of the service for one model, from the run manifests Invoke-FaceEmbedding wrote
/// (Measure-FaceEmbeddingRun): how many items it was sent and how they ended, how many requests that took,
/// how often it said "too many", how fast it answered, how long the rate limit held the run back, and
/// whether the drift canaries saw the model change. It holds no file names and no endpoint.
/// </summary>
public sealed class EmbeddingRunAccount
{
    public required string Model { get; init; }
    /// <summary>Item rows in the manifests: each is one item one run sent (an item that failed and was sent again by a later run counts twice).</summary>
    public int Items { get; init; }
    public int Ok { get; init; }
    /// <summary>Items the service found no face in (an empty feature): failures to enrol.</summary>
    public int NoFace { get; init; }
    /// <summary>NoFace / (Ok + NoFace): the share of the images the service judged in which it found no face (ISO/IEC 19795-1's failure-to-enrol rate). NaN when it judged none.</summary>
    public double FailureToEnrolRate { get; init; }
    /// <summary>Items that ended in an error (after their retries).</summary>
    public int Failed { get; init; }
    /// <summary>Failed items by ErrorId (ServerUnavailable, RequestTimedOut, ...).</summary>
    public IReadOnlyDictionary<string, int> FailedBy { get; init; } = new Dictionary<string, int>();
    /// <summary>Requests sent for the items, retries and 429s included (canary requests not).</summary>
    public long Requests { get; init; }
    /// <summary>How many items took 1, 2, 3, ... requests.</summary>
    public IReadOnlyDictionary<int, int> AttemptsDistribution { get; init; } = new Dictionary<int, int>();
    /// <summary>The items' requests by the HTTP status they were answered with ("0": no answer, the connection was lost or the attempt timed out); empty for manifests written before statuses were kept.</summary>
    public IReadOnlyDictionary<int, int> Answers { get; init; } = new Dictionary<int, int>();
    /// <summary>Requests answered 429 (too many requests).</summary>
    public long Throttled { get; init; }
    /// <summary>Successful items with a recorded latency (the last attempt's time on the wire).</summary>
    public int LatencySamples { get; init; }
    /// <summary>Nearest-rank percentiles of the successful requests' latency, in ms (NaN without samples).</summary>
    public double LatencyP50Ms { get; init; } = double.NaN;
    public double LatencyP90Ms { get; init; } = double.NaN;
    public double LatencyP95Ms { get; init; } = double.NaN;
    public double LatencyP99Ms { get; init; } = double.NaN;
    public double LatencyMaxMs { get; init; } = double.NaN;
    /// <summary>Every successful latency in ms, in the order recorded (for the report's histogram).</summary>
    public IReadOnlyList<double> Latencies { get; init; } = Array.Empty<double>();
    /// <summary>The first request sent and the last answer of the model's rows (UTC).</summary>
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    /// <summary>End − Start: the run's time span (gaps between resumed runs included).</summary>
    public TimeSpan Span { get; init; }
    /// <summary>Ok items per second over <see cref="Span"/>.</summary>
    public double ItemsPerSecond { get; init; } = double.NaN;
    /// <summary>Requests (retries, 429s and canaries included) per second over <see cref="Span"/>.</summary>
    public double RequestsPerSecond { get; init; } = double.NaN;
    /// <summary>Time the items' requests spent held back for the rate limit, summed over items (they wait side by side, so it may exceed the span).</summary>
    public TimeSpan RateLimitWait { get; init; }
    /// <summary>Items sent under a consent reference (manifest consent "given").</summary>
    public int ConsentGiven { get; init; }
    /// <summary>Items sent without a consent reference (manifest consent "none").</summary>
    public int ConsentNone { get; init; }
    /// <summary>Items whose manifest row does not say (written before consent was recorded).</summary>
    public int ConsentUnknown { get; init; }
    /// <summary>Canary requests (Invoke-FaceEmbedding -Canary), which also count against the rate limit.</summary>
    public int CanaryRequests { get; init; }
    /// <summary>The lowest cosine of a canary's later embedding to its first one; NaN without canary checks.</summary>
    public double CanaryMinCosine { get; init; } = double.NaN;
    /// <summary>What an evaluator must report: a model that changed during the run, answers that are not deterministic, a dimension that changed, a manifest too old to measure latency.</summary>
    public IReadOnlyList<string> Findings { get; init; } = Array.Empty<string>();
    /// <summary>The same figures hour by hour (UTC, by the hour the item finished), when the run spans more than an hour; empty otherwise.</summary>
    public IReadOnlyList<EmbeddingRunHour> Hours { get; init; } = Array.Empty<EmbeddingRunHour>();
}
