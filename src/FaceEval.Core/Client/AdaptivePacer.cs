using System.Diagnostics;

namespace FaceEval.Core.Client;

/// <summary>
/// Spaces requests out once the server has said "too many" (429), so a rate-limited run settles just
/// under the account's limit instead of bursting into it and sitting out every Retry-After. Additive
/// increase, multiplicative decrease: each 429 sets the pace to 95 % of the rate actually sent over the
/// last second (or of the current pace, if lower); every second without one raises it by 5 %. Before
/// the first 429 requests are not paced at all.
/// </summary>
public sealed class AdaptivePacer
{
    private readonly object _lock = new();
    private readonly Queue<long> _sent = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _rate;          // requests per second; 0 = not pacing
    private long _nextSlotTicks;
    private long _lastAdjustTicks;

    /// <summary>The current pace in requests per second, or 0 when not pacing.</summary>
    public double Rate
    {
        get { lock (_lock) return _rate; }
    }

    /// <summary>Waits for this request's turn and records it as sent.</summary>
    public async Task WaitTurnAsync(CancellationToken cancellation)
    {
        long wait;
        lock (_lock)
        {
            long now = _clock.ElapsedTicks;
            Increase(now);
            long slot = now;
            if (_rate > 0)
            {
                slot = Math.Max(now, _nextSlotTicks);
                _nextSlotTicks = slot + (long)(Stopwatch.Frequency / _rate);
            }
            _sent.Enqueue(slot);
            while (_sent.Count > 0 && _sent.Peek() < now - Stopwatch.Frequency) _sent.Dequeue();
            wait = slot - now;
        }
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellation).ConfigureAwait(false);
    }

    /// <summary>The server answered 429: slow down.</summary>
    public void Throttled()
    {
        lock (_lock)
        {
            long now = _clock.ElapsedTicks;
            while (_sent.Count > 0 && _sent.Peek() < now - Stopwatch.Frequency) _sent.Dequeue();
            double sentLastSecond = Math.Max(1, _sent.Count);
            _rate = 0.95 * (_rate > 0 ? Math.Min(_rate, sentLastSecond) : sentLastSecond);
            _rate = Math.Max(0.5, _rate);
            _lastAdjustTicks = now;
        }
    }

    private void Increase(long now)
    {
        if (_rate <= 0) return;
        long seconds = (now - _lastAdjustTicks) / Stopwatch.Frequency;
        if (seconds <= 0) return;
        _rate *= Math.Pow(1.05, seconds);
        _lastAdjustTicks += seconds * Stopwatch.Frequency;
    }
}
