namespace FaceEval.Core;

/// <summary>
/// Runs work items on up to <c>degree</c> threads and hands the results back in the order the items
/// were queued, so a cmdlet can process in parallel yet write its output from the pipeline thread,
/// in input order. With a degree of 1 each item runs at once on the calling thread.
/// </summary>
public sealed class OrderedWorkQueue<T> : IDisposable
{
    private readonly Queue<Task<T>> _pending = new();
    private readonly SemaphoreSlim? _slots;
    private readonly CancellationToken _cancellation;

    public OrderedWorkQueue(int degree, CancellationToken cancellation = default)
    {
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree of parallelism must be at least 1.");
        Degree = degree;
        _cancellation = cancellation;
        if (degree > 1) _slots = new SemaphoreSlim(degree, degree);
    }

    public int Degree { get; }

    /// <summary>Items queued and not yet taken.</summary>
    public int Count => _pending.Count;

    /// <summary>True when so many items wait that the caller should take one before queuing more.</summary>
    public bool IsFull => _pending.Count >= 2 * Degree;

    public void Enqueue(Func<CancellationToken, T> work)
    {
        if (_slots is null)
        {
            _pending.Enqueue(Task.FromResult(work(_cancellation)));
            return;
        }
        _pending.Enqueue(Task.Run(async () =>
        {
            await _slots.WaitAsync(_cancellation).ConfigureAwait(false);
            try
            {
                return work(_cancellation);
            }
            finally
            {
                _slots.Release();
            }
        }, _cancellation));
    }

    /// <summary>Takes the results that are ready at the head of the queue, without waiting.</summary>
    public IEnumerable<T> TakeReady()
    {
        while (_pending.Count > 0 && _pending.Peek().IsCompleted)
            yield return _pending.Dequeue().GetAwaiter().GetResult();
    }

    /// <summary>Waits for the oldest item and takes its result. Throws if the queue is empty.</summary>
    public T TakeNext() => _pending.Dequeue().GetAwaiter().GetResult();

    /// <summary>Waits for every queued item to finish, dropping results and failures (for shutdown).</summary>
    public void Abandon()
    {
        while (_pending.Count > 0)
        {
            try { _pending.Dequeue().Wait(); }
            catch (AggregateException) { }
        }
    }

    public void Dispose()
    {
        Abandon();
        _slots?.Dispose();
    }
}
