using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>
/// The counting path (bucket counts and refinement passes, no stored impostor scores) against the sorted
/// path: the same threshold, TAR, achieved FAR and false accepts at every target, EER and its threshold,
/// AUC, histogram and statistics, bit for bit.
/// </summary>
public class CountedMetricsTests
{
    private static readonly double[] Targets = { 0.5, 0.3, 1e-1, 3e-2, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };

    /// <summary>N clustered vectors of D dimensions; <paramref name="quantum"/> &gt; 0 rounds each value to a multiple of it (ties).</summary>
    private static (float[] Vectors, int[] Ids) Clustered(int seed, int n, int d, int identities, float quantum = 0)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, identities * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var v = new float[n * d];
        var ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = random.Next(identities);
            double noise = 0.5 + random.NextDouble() * 2;
            double norm = 0;
            for (int k = 0; k < d; k++)
            {
                double x = centres[ids[i] * d + k] + noise * (random.NextDouble() * 2 - 1);
                v[i * d + k] = (float)x;
                norm += x * x;
            }
            for (int k = 0; k < d; k++)
            {
                float x = (float)(v[i * d + k] / Math.Sqrt(norm));
                v[i * d + k] = quantum > 0 ? MathF.Round(x / quantum) * quantum : x;
            }
        }
        return (v, ids);
    }

    private static VerificationResult Sorted(float[] v, int d, int[] ids, bool[] ok, FarConvention convention)
    {
        var scores = PairScorer.ScoreAllPairs(v, d, ids, ok);
        var set = ScoreSet.Adopt(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures);
        return VerificationEvaluator.Evaluate("m", set, Targets, convention, folds: 0);
    }

    /// <summary>
    /// The counting path both ways: refining from the impostor scores pass 1 kept (what a set of up to
    /// <see cref="CountingPairScorer.KeptScoreLimit"/> pairs does), and scoring the pairs again in each
    /// refinement pass (what a larger set does). The two must agree with each other before either is
    /// compared with the sorted path.
    /// </summary>
    private static VerificationResult Counted(float[] v, int d, int[] ids, bool[] ok, FarConvention convention)
    {
        var kept = CountedVerificationEvaluator.Evaluate("m", CountedVerification.Measure(v, d, ids, ok, Targets, convention, keep: true), convention);
        var rescored = CountedVerificationEvaluator.Evaluate("m", CountedVerification.Measure(v, d, ids, ok, Targets, convention, keep: false), convention);
        AssertSame(rescored, kept);
        return kept;
    }

    /// <summary>Every number the issue lists, exactly; the statistics the sorted path sums in another order to 1e-12.</summary>
    private static void AssertSame(VerificationResult sorted, VerificationResult counted)
    {
        Assert.Equal(sorted.GenuinePairs, counted.GenuinePairs);
        Assert.Equal(sorted.ImpostorPairs, counted.ImpostorPairs);
        Assert.Equal(sorted.Auc, counted.Auc);
        Assert.Equal(sorted.Eer, counted.Eer);
        Assert.Equal(sorted.EerThreshold, counted.EerThreshold);
        Assert.Equal(sorted.OperatingPoints.Length, counted.OperatingPoints.Length);
        for (int k = 0; k < sorted.OperatingPoints.Length; k++)
        {
            var (s, c) = (sorted.OperatingPoints[k], counted.OperatingPoints[k]);
            Assert.True(s == c, $"target {s.TargetFar}: sorted {s}, counted {c}");
        }
        Assert.Equal(sorted.Histogram!.Low, counted.Histogram!.Low);
        Assert.Equal(sorted.Histogram.BinWidth, counted.Histogram.BinWidth);
        Assert.Equal(sorted.Histogram.Genuine, counted.Histogram.Genuine);
        Assert.Equal(sorted.Histogram.Impostor, counted.Histogram.Impostor);
        Assert.Equal(sorted.GenuineMean, counted.GenuineMean);
        Assert.Equal(sorted.GenuineStd, counted.GenuineStd);
        Assert.Equal(sorted.ImpostorMean, counted.ImpostorMean, 12);
        Assert.Equal(sorted.ImpostorStd, counted.ImpostorStd, 12);
        // The ROC is sampled at other points, but each is a point of the same curve: its end is the same.
        Assert.Equal(sorted.Roc[^1].Far, counted.Roc[^1].Far);
        Assert.Equal(sorted.Roc[^1].Tar, counted.Roc[^1].Tar);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AgreesWithTheSortedPathOnRandomSets(int seed)
    {
        var (v, ids) = Clustered(seed, 700, 24, 60);
        var ok = Enumerable.Repeat(true, ids.Length).ToArray();
        AssertSame(Sorted(v, 24, ids, ok, FarConvention.Strict), Counted(v, 24, ids, ok, FarConvention.Strict));
    }

    [Fact]
    public void AgreesOnHeavyTiesOfScoresRoundedToTwoDecimals()
    {
        // Scores given as lists, rounded to 2 decimals: about 200 distinct values for 60,000 pairs.
        var random = new Random(11);
        float Round(double x) => (float)Math.Round(x, 2);
        var genuine = Enumerable.Range(0, 6_000).Select(_ => Round(0.55 + 0.25 * (random.NextDouble() * 2 - 1))).ToArray();
        var impostor = Enumerable.Range(0, 60_000).Select(_ => Round(0.1 + 0.3 * (random.NextDouble() * 2 - 1))).ToArray();
        foreach (var convention in new[] { FarConvention.Strict, FarConvention.InsightFace })
        {
            var sorted = VerificationEvaluator.Evaluate("m", ScoreSet.Create(genuine, impostor), Targets, convention, folds: 0);
            var counted = CountedVerificationEvaluator.Evaluate("m", CountedVerification.MeasureScores(genuine, impostor, 0, 0, Targets, convention), convention);
            AssertSame(sorted, counted);
        }
        // And ties from vectors: values quantised to steps of 1/8 in 6 dimensions.
        var (v, ids) = Clustered(12, 400, 6, 20, quantum: 0.125f);
        var ok = Enumerable.Repeat(true, ids.Length).ToArray();
        AssertSame(Sorted(v, 6, ids, ok, FarConvention.Strict), Counted(v, 6, ids, ok, FarConvention.Strict));
    }

    [Theory]
    [InlineData(2_000)]   // about 50 genuine scores per bucket: compared by scanning the bucket's keys
    [InlineData(20_000)]  // about 500 per bucket: binary-searched
    public void AgreesWhereBucketsHoldDozensOrHundredsOfGenuineScores(int genuineCount)
    {
        // Genuine scores crowded into about 40 buckets of [0.5, 0.51) (a bucket there is 2^-12 wide), some of them
        // repeated; impostor scores over the same range and around it, a tenth of them equal to a genuine score.
        var random = new Random(genuineCount);
        var genuine = Enumerable.Range(0, genuineCount).Select(_ => (float)(0.5 + 0.01 * random.NextDouble())).ToArray();
        for (int k = 0; k < genuine.Length / 10; k++) genuine[random.Next(genuine.Length)] = genuine[random.Next(genuine.Length)];
        var impostor = Enumerable.Range(0, 100_000).Select(k => k % 10 == 0 ? genuine[random.Next(genuine.Length)] : (float)(0.49 + 0.03 * random.NextDouble())).ToArray();
        foreach (var convention in new[] { FarConvention.Strict, FarConvention.InsightFace })
        {
            var sorted = VerificationEvaluator.Evaluate("m", ScoreSet.Create(genuine, impostor), Targets, convention, folds: 0);
            AssertSame(sorted, CountedVerificationEvaluator.Evaluate("m", CountedVerification.MeasureScores(genuine, impostor, 0, 0, Targets, convention), convention));
        }
    }

    [Fact]
    public void AgreesWithASingleImpostorPair()
    {
        // Three genuine pairs and one impostor: every target FAR but 1 allows no false accept.
        var genuine = new[] { 0.9f, 0.4f, 0.2f };
        var impostor = new[] { 0.3f };
        foreach (var convention in new[] { FarConvention.Strict, FarConvention.InsightFace })
        {
            var targets = Targets.Append(1.0).ToArray();
            var sorted = VerificationEvaluator.Evaluate("m", ScoreSet.Create(genuine, impostor), targets, convention, folds: 0);
            var counted = CountedVerificationEvaluator.Evaluate("m", CountedVerification.MeasureScores(genuine, impostor, 0, 0, targets, convention), convention);
            AssertSame(sorted, counted);
        }
        // From vectors: identity 0 twice, identity 1 once, the impostor pairs' scores equal.
        var v = new float[] { 1, 0, 0.8f, 0.6f, 0, 1 };
        var ids = new[] { 0, 0, 1 };
        var ok = new[] { true, true, true };
        AssertSame(Sorted(v, 2, ids, ok, FarConvention.Strict), Counted(v, 2, ids, ok, FarConvention.Strict));
    }

    [Fact]
    public void AgreesWithFailuresToEnrolScoredAsRejections()
    {
        var (v, ids) = Clustered(21, 500, 16, 40);
        var random = new Random(22);
        var ok = ids.Select(_ => random.NextDouble() > 0.05).ToArray();
        Assert.Contains(false, ok);
        foreach (var convention in new[] { FarConvention.Strict, FarConvention.InsightFace })
        {
            var sorted = Sorted(v, 16, ids, ok, convention);
            Assert.True(sorted.GenuinePairs > 0 && sorted.ImpostorPairs > 0);
            AssertSame(sorted, Counted(v, 16, ids, ok, convention));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void AgreesUnderTheInsightFaceConvention(int seed)
    {
        var (v, ids) = Clustered(seed, 700, 24, 60);
        var ok = Enumerable.Repeat(true, ids.Length).ToArray();
        AssertSame(Sorted(v, 24, ids, ok, FarConvention.InsightFace), Counted(v, 24, ids, ok, FarConvention.InsightFace));
        // Runs of single impostor scores (drop_intermediate drops their inner points) around every target.
        var random = new Random(seed);
        var genuine = Enumerable.Range(0, 300).Select(_ => (float)(0.3 + random.NextDouble())).ToArray();
        var impostor = Enumerable.Range(0, 200_000).Select(_ => (float)random.NextDouble()).ToArray();
        var sorted = VerificationEvaluator.Evaluate("m", ScoreSet.Create(genuine, impostor), Targets, FarConvention.InsightFace, folds: 0);
        AssertSame(sorted, CountedVerificationEvaluator.Evaluate("m", CountedVerification.MeasureScores(genuine, impostor, 0, 0, Targets, FarConvention.InsightFace), FarConvention.InsightFace));
    }

    [Fact]
    public void BlocksOfThePairSpaceMergeIntoTheCountsOfOneRun()
    {
        var (v, ids) = Clustered(31, 900, 16, 70);
        var ok = Enumerable.Repeat(true, ids.Length).ToArray();
        var whole = CountedVerification.Measure(v, 16, ids, ok, Targets, FarConvention.InsightFace);
        // Four blocks counted apart, merged, refined apart for the merged plan, merged again.
        var blocks = Enumerable.Range(1, 4).Select(b => CountingPairScorer.Count(v, 16, ids, ok, b, 4)).ToList();
        Assert.All(blocks, b => Assert.True(b.ImpostorScored > 0));
        CountedSummary? merged;
        while ((merged = CountedVerification.TryMeasure(PairCounts.Merge(blocks), Targets, FarConvention.InsightFace, out var plan)) is null)
            foreach (var b in blocks) CountingPairScorer.Refine(b, v, 16, ids, ok, plan!);
        Assert.Equal(whole.Auc, merged.Auc);
        Assert.Equal(whole.Eer, merged.Eer);
        Assert.Equal(whole.OperatingPoints, merged.OperatingPoints);
        Assert.Equal(whole.Impostor, merged.Impostor);
        Assert.Equal(whole.Genuine, merged.Genuine);
        Assert.Equal(whole.Roc, merged.Roc);
    }

    [Fact]
    public void KeptImpostorScoresAreTheSortedPathsScoresInItsOrder()
    {
        // Refinement and k-fold read the kept scores as if they were the sorted path's list: same values, same order.
        var (v, ids) = Clustered(41, 300, 12, 25);
        var random = new Random(42);
        var ok = ids.Select(_ => random.NextDouble() > 0.1).ToArray();
        var listed = PairScorer.ScoreAllPairs(v, 12, ids, ok);
        var counts = CountingPairScorer.Count(v, 12, ids, ok, keepImpostorScores: true);
        Assert.Equal(listed.Impostor, counts.ImpostorScores);
        Assert.Equal(listed.Genuine, counts.Genuine);
        Assert.Equal(listed.ImpostorFailures, counts.ImpostorFailures);
        Assert.Null(CountingPairScorer.Count(v, 12, ids, ok).ImpostorScores);
    }

    [Fact]
    public void KFoldFromKeptScoresEqualsTheSortedPathsOnTheSameFolds()
    {
        // The sorted path measures k-fold on the scorer's lists before sorting them; the counting path on the
        // lists pass 1 kept, which are the same lists: same folds, thresholds and accuracies.
        var (v, ids) = Clustered(51, 600, 16, 50);
        var random = new Random(52);
        var ok = ids.Select(_ => random.NextDouble() > 0.05).ToArray();
        var counted = CountedVerification.Measure(v, 16, ids, ok, Targets, FarConvention.Strict, folds: 10, seed: 3);
        var listed = PairScorer.ScoreAllPairs(v, 16, ids, ok);
        var expected = KFold.Accuracy(listed.Genuine, listed.Impostor, listed.GenuineFailures, listed.ImpostorFailures, 10, 3);
        Assert.NotNull(counted.KFold);
        Assert.Equal(expected.Thresholds, counted.KFold.Thresholds);
        Assert.Equal(expected.Accuracies, counted.KFold.Accuracies);
        Assert.InRange(counted.KFold.Mean, 0.5, 1.0);
        // Another seed, other folds; no folds asked, none measured; scores not kept, none measurable.
        Assert.NotEqual(expected.Accuracies, CountedVerification.Measure(v, 16, ids, ok, Targets, FarConvention.Strict, folds: 10, seed: 4).KFold!.Accuracies);
        Assert.Null(CountedVerification.Measure(v, 16, ids, ok, Targets, FarConvention.Strict).KFold);
        Assert.Null(CountedVerification.Measure(v, 16, ids, ok, Targets, FarConvention.Strict, keep: false, folds: 10).KFold);
    }

    [Fact]
    public void PairBlocksCoverEveryRowBlockOnce()
    {
        foreach (int n in new[] { 1, 63, 64, 65, 1000, 100_000 })
            foreach (int count in new[] { 1, 2, 3, 4, 7 })
            {
                int next = 0;
                for (int k = 1; k <= count; k++)
                {
                    var (from, to) = CountingPairScorer.BlockRange(n, k, count);
                    Assert.Equal(next, from);
                    Assert.True(to >= from);
                    next = to;
                }
                Assert.Equal(PairSweep.Blocks(n), next);
            }
    }
}
