using System.Diagnostics;

namespace FaceEval.Core.Service;

/// <summary>
/// Spaces requests out once the server has said "too many" (429), so a rate-limited run settles at the
/// account's limit instead of bursting into it and sitting out Retry-Afters. Before the first 429,
/// requests are not paced at all.
/// <para>
/// It measures the server's refill rate: a 429 means the server's token bucket was empty when that
/// request arrived, so between two 429s the server admitted exactly what it refilled. The pace is the
/// requests admitted (sent and not answered 429) between an earlier 429 (1 to 10 s before) and this one,
/// divided by the time between them, plus 5 %: a pace exactly at the limit loses a slot to every 429 that
/// jitter causes and leaves tokens unused. Times are send times, so requests still in flight count where
/// they belong. Until there is an earlier 429 to measure from, the pace is 95 % of the rate sent over the
/// last second (or since the first request, in a younger run).
/// </para>
/// <para>
/// Every second without a 429 raises the pace by 3 % (10 % once none has come for 5 s), so a limit that
/// grows is found again, and the next 429 measures it anew.
/// </para>
/// </summary>
public sealed class AdaptivePacer
{
    private static readonly long s_second = Stopwatch.Frequency;
    private const double Overdrive = 1.05;
    private readonly object _lock = new();
    private readonly Queue<long> _sent = new();        // send times of the last 10 s
    private readonly Queue<long> _throttled = new();   // send times of 429'd requests, last 10 s
    private readonly Func<long> _now;
    private readonly TimeProvider _time;
    private double _rate;          // requests per second; 0 = not pacing
    private long _nextSlotTicks;
    private long _lastAdjustTicks;
    private long _lastThrottleTicks;
    private long _firstSent = -1;

    public AdaptivePacer() : this(TimeProvider.System) { }

    /// <param name="time">The clock the pace is kept by and waited on.</param>
    public AdaptivePacer(TimeProvider time)
        : this(() => time.TimestampFrequency == s_second ? time.GetTimestamp() : (long)(time.GetTimestamp() * ((double)s_second / time.TimestampFrequency)), time) { }

    /// <param name="now">A clock in <see cref="Stopwatch"/> ticks (tests drive it by hand).</param>
    /// <param name="time">What waits are made on.</param>
    internal AdaptivePacer(Func<long> now, TimeProvider? time = null)
    {
        _now = now;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The current pace in requests per second, or 0 when not pacing.</summary>
    public double Rate
    {
        get { lock (_lock) return _rate; }
    }

    /// <summary>Waits for this request's turn; returns its send time, to hand back to <see cref="Throttled(long)"/>.</summary>
    public async Task<long> WaitTurnAsync(CancellationToken cancellation)
    {
        long now = _now();
        long slot = Reserve(now);
        if (slot > now) await Task.Delay(TimeSpan.FromSeconds((double)(slot - now) / s_second), _time, cancellation).ConfigureAwait(false);
        return slot;
    }

    /// <summary>Books the next send slot at or after <paramref name="now"/> and records it as sent.</summary>
    internal long Reserve(long now)
    {
        lock (_lock)
        {
            Increase(now);
            long slot = now;
            if (_rate > 0)
            {
                slot = Math.Max(now, _nextSlotTicks);
                _nextSlotTicks = slot + (long)(s_second / _rate);
            }
            _sent.Enqueue(slot);
            if (_firstSent < 0) _firstSent = slot;
            Prune(now);
            return slot;
        }
    }

    /// <summary>The request sent at <paramref name="sentAt"/> was answered 429: measure the limit and pace to it.</summary>
    public void Throttled(long sentAt) => Throttled(sentAt, _now());

    internal void Throttled(long sentAt, long now)
    {
        lock (_lock)
        {
            Prune(now);
            long reference = -1;
            foreach (long t in _throttled)
            {
                if (t >= sentAt - s_second) break;
                if (t >= sentAt - 10 * s_second) { reference = t; break; }
            }
            _throttled.Enqueue(sentAt);
            if (reference >= 0)
            {
                int admitted = _sent.Count(t => t > reference && t < sentAt) - _throttled.Count(t => t > reference && t < sentAt);
                // A touch above what was admitted, so that no token goes unused; the surplus comes back as the odd 429.
                _rate = Math.Max(0.5, Overdrive * admitted / ((double)(sentAt - reference) / s_second));
            }
            else
            {
                // Over the last second, or since the first request when the run is younger than that.
                double span = Math.Clamp((double)(now - _firstSent) / s_second, 0.05, 1.0);
                double sentRate = Math.Max(1, _sent.Count(t => t > now - s_second && t <= now)) / span;
                double fallback = 0.95 * sentRate;
                _rate = Math.Max(0.5, _rate > 0 ? Math.Min(_rate, fallback) : fallback);
            }
            _lastAdjustTicks = _lastThrottleTicks = now;
        }
    }

    private void Prune(long now)
    {
        while (_sent.Count > 0 && _sent.Peek() < now - 10 * s_second) _sent.Dequeue();
        while (_throttled.Count > 0 && _throttled.Peek() < now - 10 * s_second) _throttled.Dequeue();
    }

    private void Increase(long now)
    {
        if (_rate <= 0) return;
        while (now - _lastAdjustTicks >= s_second)
        {
            _lastAdjustTicks += s_second;
            // Gently while 429s are recent (the pace is near the limit), faster once they have stopped for 5 s.
            _rate *= _lastAdjustTicks - _lastThrottleTicks >= 5 * s_second ? 1.10 : 1.03;
        }
    }
}
