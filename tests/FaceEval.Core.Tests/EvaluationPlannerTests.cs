using FaceEval.Core.Planning;

namespace FaceEval.Core.Tests;

public class EvaluationPlannerTests
{
    // Identities A (3 images), B (2) and C (1): N = 6.
    private static readonly PlanItem[] s_items =
    {
        new("A", "a1"), new("A", "a2"), new("A", "a3"), new("B", "b1"), new("B", "b2"), new("C", "c1"),
    };

    private static PlanOptions Options(double windowDays, double margin = 0.5) => new()
    {
        Models = new[] { "m1", "m2" }, RequestsPerSecond = 0.01, RetryShare = 0.5, Canary = 1, CanaryInterval = 2,
        WindowStart = new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.Zero), WindowDays = windowDays, Margin = margin, FarTargets = new[] { 0.1, 0.05 },
    };

    [Fact]
    public void ThePlanOfASmallSetByHand()
    {
        var p = EvaluationPlanner.Plan(s_items, Options(1));
        Assert.Equal(6, p.Images);
        Assert.Equal(3, p.Identities);
        Assert.Equal(3 + 1 + 0, p.GenuinePairs);                 // 3·2/2 + 2·1/2 + 0
        Assert.Equal((36 - (9 + 4 + 1)) / 2, p.ImpostorPairs);   // (N² − Σn²)/2 = 11 = 15 pairs − 4 genuine
        Assert.Equal(new[] { "C" }, p.IdentitiesWithOneImage);
        Assert.Equal(1 * (2 + 6 / 2), p.CanaryRequestsPerModel); // start, every 2 items (3 checks), end: 5
        Assert.Equal(17, p.RequestsPerModel);                    // ceil((6 + 5) × 1.5) = ceil(16.5)
        Assert.Equal(34, p.TotalRequests);
        Assert.Equal(TimeSpan.FromSeconds(1700), p.TimePerModel);  // 17 / 0.01 per second
        Assert.Equal(TimeSpan.FromSeconds(3400), p.TotalTime);
        Assert.Equal(TimeSpan.FromHours(12), p.Budget);           // one day, half kept free
        Assert.Equal(new DateTimeOffset(2027, 1, 5, 0, 0, 0, TimeSpan.Zero), p.WindowEnd);
        Assert.True(p.Fits);
        Assert.Equal("", p.Advice);
        // FAR 0.1 needs 10 impostor pairs (11: estimable) and 300 for 30 expected false accepts (1.1 expected: not useful); 0.05 needs 20.
        Assert.Equal(new long[] { 10, 20 }, p.FarTargets.Select(t => t.PairsNeeded));
        Assert.Equal(new[] { true, false }, p.FarTargets.Select(t => t.Estimable));
        Assert.Equal(1.1, p.FarTargets[0].ExpectedFalseAccepts, 12);
        Assert.Equal(300, p.FarTargets[0].PairsForUsefulInterval);
        Assert.False(p.FarTargets[0].UsefulInterval);
        // 1:N: round(3 × 0.5) = 2 identities never enrolled, 1 enrolled; mated ≈ (2 + 1 + 0) × 1/3 = 1, non-mated ≈ 6 × 2/3 = 4.
        Assert.Equal(1, p.GalleryTemplates);
        Assert.Equal(1, p.MatedSearches);
        Assert.Equal(4, p.NonMatedSearches);
        Assert.StartsWith("Evaluation plan: models m1, m2; rate limit 0.01 requests/s; window of 1 days from 2027-01-04.", p.Summary);
    }

    [Fact]
    public void AWindowThatDoesNotFitSaysWhatToCut()
    {
        // Budget: 6,000 s less half = 3,000 s. All: 3,400 s (does not fit). One model: 1,700 s (fits, two do not).
        // At most 2 images per identity: 5 images, canaries 1 × (2 + 2) = 4, ceil(9 × 1.5) = 14 requests per model, 2,800 s for both: fits.
        var p = EvaluationPlanner.Plan(s_items, Options(6000.0 / 86400));
        Assert.False(p.Fits);
        Assert.Equal(1, p.ModelsThatFit);
        Assert.Equal(2, p.ImagesPerIdentityThatFit);
        Assert.Contains("test 1 of the 2 models (drop m2)", p.Advice);
        Assert.Contains("keep at most 2 image(s) per identity", p.Advice);
        Assert.Contains(p.Advice, p.Summary);
    }

    [Fact]
    public void AWindowWhereNothingFitsSaysSo()
    {
        // Budget 1,296 s: one model is 1,700 s; one image per identity is ceil((3 + 3) × 1.5) = 9 requests × 2 models = 1,800 s.
        var p = EvaluationPlanner.Plan(s_items, Options(0.03));
        Assert.False(p.Fits);
        Assert.Equal(0, p.ModelsThatFit);
        Assert.Equal(0, p.ImagesPerIdentityThatFit);
        Assert.StartsWith("Not even one model", p.Advice);
    }

    [Fact]
    public void ConcurrencyAndLatencyCapTheRate()
    {
        var o = Options(1) with { RequestsPerSecond = 10, ThrottleLimit = 2, ExpectedLatencyMs = 500, Canary = 0, RetryShare = 0 };
        var p = EvaluationPlanner.Plan(s_items, o);
        Assert.Equal(4, p.EffectiveRate); // 2 requests per 0.5 s, below the limit of 10/s
        Assert.Equal(6, p.RequestsPerModel);
        Assert.Equal(TimeSpan.FromSeconds(1.5), p.TimePerModel);
    }
}
