using System.Diagnostics;
using FaceEval.Core.Service;

namespace FaceEval.Core.Tests;

public class AdaptivePacerTests
{
    private static readonly long Second = Stopwatch.Frequency;

    /// <summary>A token bucket like the reference server's: refills in steps, answers 429 when empty.</summary>
    private sealed class Bucket(double rate, int burst)
    {
        private double _tokens = burst;
        private long _last;
        public bool Admit(long now)
        {
            _tokens = Math.Min(burst, _tokens + rate * (now - _last) / Second);
            _last = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>A client with endless work that sends whenever the pacer lets it (at most 1,000/s).</summary>
    private static (int Admitted, int Throttled, double Pace) Run(AdaptivePacer pacer, Bucket bucket, ref long clock, double seconds)
    {
        long end = clock + (long)(seconds * Second);
        int admitted = 0, throttled = 0;
        while (clock < end)
        {
            long slot = pacer.Reserve(clock);
            clock = Math.Max(clock + Second / 1000, slot);
            if (bucket.Admit(slot)) admitted++;
            else { throttled++; pacer.Throttled(slot, slot + Second / 200); }
        }
        return (admitted, throttled, pacer.Rate);
    }

    [Fact]
    public void DoesNotPaceBeforeTheFirst429()
    {
        long now = 0;
        var pacer = new AdaptivePacer(() => now);
        for (int i = 0; i < 100; i++) Assert.Equal(i * 10L, pacer.Reserve(i * 10L));
        Assert.Equal(0, pacer.Rate);
    }

    [Theory]
    [InlineData(40, 40)]
    [InlineData(40, 5)]
    [InlineData(7, 7)]
    [InlineData(200, 50)]
    public void SettlesAtTheServersRefillRateWithFew429s(double limit, int burst)
    {
        long clock = 0;
        var pacer = new AdaptivePacer(() => clock);
        var bucket = new Bucket(limit, burst);
        Run(pacer, bucket, ref clock, 10); // learning
        var steady = Run(pacer, bucket, ref clock, 60);
        double admittedRate = steady.Admitted / 60.0;
        Assert.InRange(admittedRate, 0.95 * limit, 1.0 * limit + 0.1);
        // Far fewer 429s than admitted requests: the pace probes the limit, it does not hammer it.
        Assert.True(steady.Throttled < 0.1 * steady.Admitted, $"{steady.Throttled} 429s for {steady.Admitted} admitted");
        Assert.InRange(steady.Pace, 0.9 * limit, 1.2 * limit);
    }

    [Fact]
    public void FollowsALimitThatDropsAndRecovers()
    {
        long clock = 0;
        var pacer = new AdaptivePacer(() => clock);
        Run(pacer, new Bucket(40, 40), ref clock, 20);
        var lower = Run(pacer, new Bucket(10, 10), ref clock, 30);
        Assert.InRange(lower.Pace, 8, 12);
        var higher = Run(pacer, new Bucket(40, 40), ref clock, 60);
        Assert.InRange(higher.Admitted / 60.0, 0.8 * 40, 40.1); // found again by the probe
    }
}
