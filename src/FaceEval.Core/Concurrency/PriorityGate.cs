namespace FaceEval.Core.Concurrency;

/// <summary>
/// A semaphore that hands a free slot to the waiter with the lowest priority number, not to the one that
/// queued first. The embedding client numbers each item when it starts, so a retry of an early item goes
/// ahead of the hundreds of later items queued behind it: the ordered output never waits long for its head.
/// </summary>
public sealed class PriorityGate
{
    private readonly object _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, (long Priority, long Arrival)> _waiters = new();
    private int _free;
    private long _arrivals;

    public PriorityGate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _free = slots;
    }

    /// <summary>Free slots right now.</summary>
    public int Free
    {
        get { lock (_lock) return _free; }
    }

    /// <summary>Waits for a slot; lower <paramref name="priority"/> goes first (ties in arrival order).</summary>
    public Task WaitAsync(long priority, CancellationToken cancellation)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_free > 0 && _waiters.Count == 0)
            {
                _free--;
                return Task.CompletedTask;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, (priority, _arrivals++));
        }
        if (cancellation.CanBeCanceled)
        {
            // A cancelled waiter stays in the queue and is skipped when its turn comes.
            var registration = cancellation.Register(() => waiter.TrySetCanceled(cancellation));
            waiter.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return waiter.Task;
    }

    /// <summary>Returns a slot: it goes to the most urgent live waiter, or back to the pool.</summary>
    public void Release()
    {
        lock (_lock)
        {
            while (_waiters.TryDequeue(out var next, out _))
                if (next.TrySetResult()) return;
            _free++;
        }
    }
}
