namespace FaceEval.Core.Service;

/// <summary>How the client talks to the feature-extraction endpoint.</summary>
public sealed record EmbeddingClientOptions
{
    public required Uri Endpoint { get; init; }
    /// <summary>Requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 4;
    /// <summary>Client-side token bucket, requests per second; 0 for none.</summary>
    public double RequestsPerSecond { get; init; }
    /// <summary>Retries after the first attempt, for 408, 429, 5xx, timeouts and connection failures.</summary>
    public int MaxRetries { get; init; } = 5;
    /// <summary>Time allowed for one attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>First backoff delay; it doubles with each retry (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(0.5);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The default of <see cref="MaxRetryAfter"/>: 60 s.</summary>
    public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromSeconds(60);
    /// <summary>
    /// The longest a 429's Retry-After (seconds or an HTTP date) is waited before the retry; a longer one waits
    /// this long instead, and the <see cref="EmbeddingClient.Retrying"/> event says so (<see cref="RetryScheduled.DelayCapped"/>).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = DefaultMaxRetryAfter;
    /// <summary>The clock for retry delays, attempt timeouts, pauses and pacing (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
