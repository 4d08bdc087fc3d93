namespace FaceEval.Core.Service;

/// <summary>
/// The requests made for one item, counted by <see cref="EmbeddingClient.EmbedAsync(byte[], string, string, CancellationToken, EmbeddingAttempts?)"/>
/// as they happen, so that the caller knows them when the item failed too (a manifest row, the run's figures).
/// </summary>
public sealed class EmbeddingAttempts
{
    private int _sent, _throttled;

    /// <summary>Requests sent for the item (each retry is one more).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>How many of them were answered 429.</summary>
    public int Throttled => Volatile.Read(ref _throttled);

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountThrottled() => Interlocked.Increment(ref _throttled);
}
