using FaceEval.Core.Metrics;
using FaceEval.Core.Service;

namespace FaceEval.Core.Tests;

public class NearestRankTests
{
    // The worked example of the nearest-rank method (ordered list 15, 20, 35, 40, 50): rank = ceil(P/100 * n).
    [Theory]
    [InlineData(5, 15)]   // ceil(0.25) = 1
    [InlineData(30, 20)]  // ceil(1.5) = 2
    [InlineData(40, 20)]  // ceil(2.0) = 2: an exact rank is not rounded up
    [InlineData(50, 35)]  // ceil(2.5) = 3
    [InlineData(100, 50)] // ceil(5) = 5
    public void IsTheValueOfRankCeilingOfPTimesN(double percent, double expected) =>
        Assert.Equal(expected, NearestRank.Percentile(new double[] { 15, 20, 35, 40, 50 }, percent));

    [Fact]
    public void NinetyFivePercentOfTwentyIsRankNineteenNotTwenty()
    {
        var values = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        Assert.Equal(19, NearestRank.Percentile(values, 95));
        Assert.Equal(20, NearestRank.Percentile(values, 99)); // ceil(19.8) = 20
        Assert.True(double.IsNaN(NearestRank.Percentile(Array.Empty<double>(), 50)));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestRank.Percentile(values, 0));
    }
}

public class ServiceAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private static ManifestRow Item(int second, string status, int attempts = 1, double? latency = 10, string? errorId = null, int throttled = 0, double wait = 0) => new()
    {
        Time = T0.AddSeconds(second), Started = T0.AddSeconds(second).AddMilliseconds(-(latency ?? 0)), Source = $"/x/{second}.png", Model = "emu",
        Status = status, ErrorId = errorId, Attempts = attempts, LatencyMs = latency, Throttled = throttled, RateWaitMs = wait, Dimension = status == "ok" ? 4 : null,
    };

    private static ManifestRow Canary(string source, int second, string phase, double? cosine, int dimension = 4) => new()
    {
        Time = T0.AddSeconds(second), Started = T0.AddSeconds(second), Source = source, Model = "emu", Status = "ok", Kind = ManifestRow.CanaryKind,
        CanaryPhase = phase, CanaryCosine = cosine, Dimension = dimension, Attempts = 1,
    };

    [Fact]
    public void CountsOutcomesRequestsAndLatencyByHand()
    {
        var rows = new[]
        {
            Item(0, "ok", latency: 40), Item(1, "ok", attempts: 3, latency: 10, throttled: 2, wait: 500), Item(2, "ok", latency: 30),
            Item(3, "no_face", latency: 5), Item(4, "error", attempts: 6, latency: null, errorId: "ServerUnavailable"),
            Item(5, "error", attempts: 1, latency: null, errorId: "ProtocolError"), Item(6, "ok", latency: 20),
        };
        var a = Assert.Single(ServiceAccount.Of(rows));
        Assert.Equal(7, a.Items);
        Assert.Equal(4, a.Ok);
        Assert.Equal(1, a.NoFace);
        Assert.Equal(1.0 / 5, a.FailureToEnrolRate); // NoFace / (Ok + NoFace)
        Assert.Equal(2, a.Failed);
        Assert.Equal(1, a.FailedBy["ServerUnavailable"]);
        Assert.Equal(1, a.FailedBy["ProtocolError"]);
        Assert.Equal(1 + 3 + 1 + 1 + 6 + 1 + 1, a.Requests);
        Assert.Equal(new Dictionary<int, int> { [1] = 5, [3] = 1, [6] = 1 }, a.AttemptsDistribution);
        Assert.Equal(2, a.Throttled);
        // Successful latencies 40, 10, 30, 20 -> sorted 10, 20, 30, 40: p50 = rank 2, p90/p95/p99 = rank 4.
        Assert.Equal(4, a.LatencySamples);
        Assert.Equal(20, a.LatencyP50Ms);
        Assert.Equal(40, a.LatencyP90Ms);
        Assert.Equal(40, a.LatencyMaxMs);
        Assert.Equal(T0.AddMilliseconds(-40), a.Start);
        Assert.Equal(T0.AddSeconds(6), a.End);
        Assert.Equal(4 / 6.04, a.ItemsPerSecond, 12);
        Assert.Equal(TimeSpan.FromMilliseconds(500), a.RateLimitWait);
        Assert.Empty(a.Findings);
        Assert.Empty(a.Hours);
    }

    [Fact]
    public void ARunOfMoreThanAnHourIsAlsoGivenHourByHour()
    {
        var rows = new[] { Item(0, "ok", latency: 10), Item(1800, "ok", latency: 30), Item(1801, "error", latency: null, errorId: "RequestTimedOut"), Item(5400, "ok", latency: 50) };
        var hours = Assert.Single(ServiceAccount.Of(rows)).Hours;
        Assert.Equal(new[] { T0.AddMinutes(-30), T0.AddMinutes(30), T0.AddMinutes(90) }, hours.Select(h => h.Hour));
        Assert.Equal(new[] { 1, 2, 1 }, hours.Select(h => h.Items));
        Assert.Equal(new[] { 0, 1, 0 }, hours.Select(h => h.Failed));
        Assert.Equal(30, hours[1].LatencyP50Ms);
    }

    [Fact]
    public void CanariesThatAllDifferAtTheEndMeanTheModelChanged()
    {
        var rows = new[]
        {
            Canary("/c/a.png", 0, "start", null), Canary("/c/b.png", 0, "start", null),
            Canary("/c/a.png", 10, "interval", 1.0), Canary("/c/b.png", 10, "interval", 0.99995),
            Canary("/c/a.png", 20, "end", 0.5), Canary("/c/b.png", 20, "end", 0.7),
        };
        var a = Assert.Single(ServiceAccount.Of(rows));
        Assert.Equal(0, a.Items);
        Assert.Equal(6, a.CanaryRequests);
        Assert.Equal(0.5, a.CanaryMinCosine);
        Assert.Contains("The model changed during the run", Assert.Single(a.Findings));
    }

    [Fact]
    public void ACanaryThatDiffersOnceButNotAtTheEndMeansAnswersAreNotDeterministic()
    {
        var rows = new[]
        {
            Canary("/c/a.png", 0, "start", null), Canary("/c/b.png", 0, "start", null),
            Canary("/c/a.png", 10, "interval", 0.9), Canary("/c/b.png", 10, "interval", 1.0),
            Canary("/c/a.png", 20, "end", 1.0), Canary("/c/b.png", 20, "end", 1.0),
        };
        Assert.Contains("not deterministic", Assert.Single(Assert.Single(ServiceAccount.Of(rows)).Findings));
    }

    [Fact]
    public void ACanaryAtExactlyTheToleranceHasNotDriftedAndAChangedDimensionHas()
    {
        var steady = new[] { Canary("/c/a.png", 0, "start", null), Canary("/c/a.png", 5, "end", 1 - 1e-4) };
        Assert.Empty(Assert.Single(ServiceAccount.Of(steady)).Findings);
        var resized = new[] { Canary("/c/a.png", 0, "start", null), Canary("/c/a.png", 5, "end", null, dimension: 8) };
        Assert.Contains(ServiceAccount.Of(resized)[0].Findings, f => f.Contains("The model changed during the run"));
    }
}
