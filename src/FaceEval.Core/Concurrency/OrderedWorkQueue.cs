using System.Collections.Concurrent;

namespace FaceEval.Core.Concurrency;

/// <summary>
/// Runs work items on <c>degree</c> dedicated worker threads and hands the results back in the order
/// the items were queued, so a cmdlet can process in parallel yet write its output from the pipeline
/// thread, in input order. With a degree of 1 each item runs at once on the calling thread.
/// </summary>
/// <remarks>
/// Dedicated threads rather than the thread pool: a PowerShell host may have few pool threads to
/// spare, and the pool grows slowly under blocking work, which would silently cap the parallelism.
/// </remarks>
public sealed class OrderedWorkQueue<T> : IDisposable
{
    private readonly Queue<Task<T>> _pending = new();
    private readonly BlockingCollection<Action>? _work;
    private readonly Thread[] _workers = Array.Empty<Thread>();
    private readonly CancellationToken _cancellation;

    /// <param name="degree">Worker threads for <see cref="Enqueue(Func{CancellationToken, T})"/> (1: run inline).</param>
    /// <param name="cancellation">Seen by work items.</param>
    /// <param name="capacity">Items that may wait before <see cref="IsFull"/>; default twice the degree.</param>
    public OrderedWorkQueue(int degree, CancellationToken cancellation = default, int? capacity = null)
    {
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "The degree of parallelism must be at least 1.");
        Degree = degree;
        Capacity = capacity ?? 2 * degree;
        _cancellation = cancellation;
        if (degree == 1) return;
        _work = new BlockingCollection<Action>();
        _workers = Enumerable.Range(0, degree).Select(i => new Thread(Work) { IsBackground = true, Name = $"FaceEval worker {i}" }).ToArray();
        foreach (var t in _workers) t.Start();
    }

    public int Degree { get; }
    public int Capacity { get; }

    /// <summary>Items queued and not yet taken.</summary>
    public int Count => _pending.Count;

    /// <summary>True when so many items wait that the caller should take one before queuing more.</summary>
    public bool IsFull => _pending.Count >= Capacity;

    /// <summary>Queues work that is already running (asynchronous I/O that brings its own concurrency limit).</summary>
    public void Enqueue(Task<T> running) => _pending.Enqueue(running);

    public void Enqueue(Func<CancellationToken, T> work)
    {
        if (_work is null)
        {
            _pending.Enqueue(Task.FromResult(work(_cancellation)));
            return;
        }
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue(done.Task);
        _work.Add(() =>
        {
            try
            {
                _cancellation.ThrowIfCancellationRequested();
                done.SetResult(work(_cancellation));
            }
            catch (OperationCanceledException)
            {
                done.SetCanceled(_cancellation);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
    }

    /// <summary>Takes the results that are ready at the head of the queue, without waiting.</summary>
    public IEnumerable<T> TakeReady()
    {
        while (_pending.Count > 0 && _pending.Peek().IsCompleted)
            yield return _pending.Dequeue().GetAwaiter().GetResult();
    }

    /// <summary>Waits for the oldest item and takes its result. Throws if the queue is empty.</summary>
    public T TakeNext() => _pending.Dequeue().GetAwaiter().GetResult();

    /// <summary>Waits for every item still queued and drops it, whatever it ended with: for a run being stopped.</summary>
    public void Drain()
    {
        while (_pending.Count > 0)
        {
            try { _pending.Dequeue().Wait(); }
            catch (AggregateException) { } // cancelled or failed: the run is over either way
        }
    }

    private void Work()
    {
        foreach (var item in _work!.GetConsumingEnumerable()) item();
    }

    /// <summary>Lets queued items finish (or see the cancellation), dropping their results, and stops the workers.</summary>
    public void Dispose()
    {
        _work?.CompleteAdding();
        foreach (var t in _workers) t.Join();
        _work?.Dispose();
        _pending.Clear();
    }
}
