namespace FaceEval.Core.Service;

/// <summary>
/// The requests made for one item, counted by <see cref="EmbeddingClient.EmbedAsync(byte[], string, string, CancellationToken, EmbeddingAttempts?)"/>
/// as they happen, so that the caller knows them when the item failed too (a manifest row, the run's figures).
/// </summary>
public sealed class EmbeddingAttempts
{
    private int _sent, _throttled;
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _statuses = new();
    private long _rateWaitTicks, _lastLatencyTicks = -1, _firstSentTicks = -1;

    /// <summary>Requests sent for the item (each retry is one more).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>How many of them were answered 429.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Time the item's requests were held back for the rate: a 429 pause of the whole run, the learned pace, the client's own -RequestsPerSecond.</summary>
    public TimeSpan RateWait => TimeSpan.FromTicks(Interlocked.Read(ref _rateWaitTicks));

    /// <summary>The last attempt's time on the wire, from sending the request to its answer (or to the failure); null before any was sent.</summary>
    public TimeSpan? LastLatency
    {
        get => Interlocked.Read(ref _lastLatencyTicks) is var t and >= 0 ? TimeSpan.FromTicks(t) : null;
        internal set => Interlocked.Exchange(ref _lastLatencyTicks, value?.Ticks ?? -1);
    }

    /// <summary>When the first request for the item was sent (UTC); null before any was.</summary>
    public DateTimeOffset? FirstSent => Interlocked.Read(ref _firstSentTicks) is var t and >= 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountSent(DateTimeOffset at)
    {
        Interlocked.CompareExchange(ref _firstSentTicks, at.UtcTicks, -1);
        Interlocked.Increment(ref _sent);
    }

    /// <summary>Each attempt's HTTP status in order, 0 for an attempt without an answer (connection lost, timed out).</summary>
    public IReadOnlyList<int> Statuses => _statuses.ToArray();

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);

    internal void Answered(int status) => _statuses.Enqueue(status);

    internal void AddRateWait(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero) Interlocked.Add(ref _rateWaitTicks, wait.Ticks);
    }
}
