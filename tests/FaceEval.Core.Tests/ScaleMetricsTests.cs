using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>The large-scale paths (radix sort, sweeps, thinned ROC) against the plain definitions.</summary>
public class ScaleMetricsTests
{
    [Fact]
    public void RadixSortAgreesWithArraySortOnSignsZerosTiesAndExtremes()
    {
        var random = new Random(3);
        var values = new float[200_000];
        for (int i = 0; i < values.Length; i++)
            values[i] = (i % 7) switch
            {
                0 => MathF.Round((float)random.NextDouble() * 20 - 10), // many ties
                1 => -0f,
                2 => 0f,
                3 => float.MaxValue * (random.Next(2) * 2 - 1),
                4 => float.Epsilon * (random.Next(2) * 2 - 1),
                _ => (float)(random.NextDouble() * 2 - 1),
            };
        var expected = (float[])values.Clone();
        Array.Sort(expected);
        FloatSort.Sort(values);
        for (int i = 0; i < values.Length; i++) Assert.True(expected[i] == values[i], $"index {i}: {expected[i]} vs {values[i]}");
    }

    private static ScoreSet RandomSet(int seed, int genuine, int impostor, int levels, long gf = 0, long mf = 0)
    {
        var r = new Random(seed);
        float Draw(double shift) => (float)Math.Round((r.NextDouble() + shift) * levels) / levels;
        return ScoreSet.Create(Enumerable.Range(0, genuine).Select(_ => Draw(0.4)).ToArray(), Enumerable.Range(0, impostor).Select(_ => Draw(0)).ToArray(), gf, mf);
    }

    /// <summary>
    /// The definition (<see cref="KFold.Accuracy(ReadOnlySpan{float}, ReadOnlySpan{bool}, ReadOnlySpan{int}, int, int)"/>:
    /// every training set sorted, swept, its threshold applied to the fold) on the pairs numbered as the list
    /// k-fold numbers them (genuine failures, impostor failures, genuine list, impostor list; a failure scores
    /// minus infinity), with the folds of <see cref="KFold.FoldOfPair"/>.
    /// </summary>
    private static KFoldResult Definition(float[] genuine, float[] impostor, long gf, long mf, int k, int seed)
    {
        var scores = new List<float>();
        var match = new List<bool>();
        for (long r = 0; r < gf; r++) { scores.Add(float.NegativeInfinity); match.Add(true); }
        for (long r = 0; r < mf; r++) { scores.Add(float.NegativeInfinity); match.Add(false); }
        foreach (var v in genuine) { scores.Add(v); match.Add(true); }
        foreach (var v in impostor) { scores.Add(v); match.Add(false); }
        var folds = Enumerable.Range(0, scores.Count).Select(i => KFold.FoldOfPair(seed, i, k)).ToArray();
        // Per fold, as KFold.Accuracy(scores, isMatch, folds) does it (which also refuses a split into fewer than
        // two non-empty folds, that the hash can give a handful of pairs).
        var accuracies = Enumerable.Repeat(double.NaN, k).ToArray();
        var thresholds = Enumerable.Repeat(double.NaN, k).ToArray();
        for (int f = 0; f < k; f++)
        {
            var train = Enumerable.Range(0, scores.Count).Where(i => folds[i] != f).ToArray();
            var test = Enumerable.Range(0, scores.Count).Where(i => folds[i] == f).ToArray();
            if (test.Length == 0) continue;
            double t = KFold.BestThreshold(train.Select(i => scores[i]).ToArray(), train.Select(i => match[i]).ToArray());
            thresholds[f] = t;
            accuracies[f] = (double)test.Count(i => (scores[i] >= t) == match[i]) / test.Length;
        }
        var valid = accuracies.Where(a => !double.IsNaN(a)).ToArray();
        double mean = valid.Average();
        double std = Math.Sqrt(valid.Sum(a => (a - mean) * (a - mean)) / valid.Length);
        return new KFoldResult(mean, std, accuracies, thresholds);
    }

    private static void AssertSameFolds(KFoldResult expected, KFoldResult actual)
    {
        for (int f = 0; f < expected.Accuracies.Length; f++)
        {
            if (double.IsNaN(expected.Accuracies[f])) { Assert.True(double.IsNaN(actual.Accuracies[f]), $"fold {f} has no pair"); continue; }
            Assert.True(expected.Thresholds[f].Equals(actual.Thresholds[f]), $"fold {f}: threshold {expected.Thresholds[f]:R}, listed {actual.Thresholds[f]:R}");
            Assert.True(expected.Accuracies[f] == actual.Accuracies[f], $"fold {f}: accuracy {expected.Accuracies[f]:R}, listed {actual.Accuracies[f]:R}");
        }
        Assert.Equal(expected.Mean, actual.Mean, 12);
        Assert.Equal(expected.Std, actual.Std, 12);
    }

    private static float[] Draws(Random r, int count, double shift, int levels) =>
        Enumerable.Range(0, count).Select(_ => levels > 0 ? (float)Math.Round((r.NextDouble() + shift) * levels) / levels : (float)(r.NextDouble() + shift)).ToArray();

    [Theory]
    [InlineData(1, 10, 10)]     // 11 distinct values: every threshold a tie
    [InlineData(2, 1000, 10)]   // ties across bucket edges
    [InlineData(3, 37, 10)]
    [InlineData(4, 0, 10)]      // continuous scores
    [InlineData(5, 100, 3)]
    [InlineData(6, 0, 40)]      // more folds than 16: coarser buckets
    public void ListKFoldEqualsTheDefinitionOnTheSameFolds(int seed, int levels, int k)
    {
        var r = new Random(seed);
        var genuine = Draws(r, 300, 0.4, levels);
        var impostor = Draws(r, 2000, 0, levels);
        foreach (var (gf, mf) in new[] { (0L, 0L), (5L, 40L) })
        {
            var listed = KFold.Accuracy(genuine, impostor, gf, mf, k, seed);
            AssertSameFolds(Definition(genuine, impostor, gf, mf, k, seed), listed);
        }
    }

    [Fact]
    public void ListKFoldEqualsTheDefinitionAtTheEdges()
    {
        // A single impostor; every pair tied; overlapping classes where rejecting or accepting everything is best;
        // negative scores and zeros of both signs; failures only in some training sets.
        var cases = new (float[] G, float[] I, long Gf, long Mf, int K)[]
        {
            (new[] { 0.9f, 0.4f, 0.2f }, new[] { 0.3f }, 0, 0, 2),
            (new[] { 0.5f, 0.5f, 0.5f, 0.5f }, new[] { 0.5f, 0.5f, 0.5f }, 0, 0, 3),
            (new[] { 0.1f, 0.2f }, new[] { 0.8f, 0.9f, 0.7f, 0.95f, 0.6f }, 0, 0, 2),
            (new[] { 0.8f, 0.9f, 0.7f, 0.95f, 0.6f }, new[] { 0.1f, 0.2f }, 0, 0, 2),
            (new[] { -0f, 0f, 0.25f, -0.5f }, new[] { 0f, -0f, -0.25f, -1f, 1f }, 0, 0, 3),
            (new[] { 0.6f }, new[] { 0.4f }, 3, 2, 4),
            (Array.Empty<float>(), new[] { 0.4f, 0.3f }, 3, 0, 2),
            (new[] { 0.6f, 0.7f }, Array.Empty<float>(), 0, 4, 2),
        };
        foreach (var (g, i, gf, mf, k) in cases)
            foreach (int seed in new[] { 0, 1, 2, 3 })
                AssertSameFolds(Definition(g, i, gf, mf, k, seed), KFold.Accuracy(g, i, gf, mf, k, seed));
    }

    [Fact]
    public void ListKFoldEqualsTheDefinitionOverSeveralParallelChunks()
    {
        // 1.5 million impostor scores: the scans split them into chunks of 2^20 on every core.
        var r = new Random(8);
        var genuine = Draws(r, 20_000, 0.5, 10_000);
        var impostor = Draws(r, 1_500_000, 0, 10_000);
        AssertSameFolds(Definition(genuine, impostor, 7, 11, 2, 8), KFold.Accuracy(genuine, impostor, 7, 11, 2, 8));
    }

    [Fact]
    public void SeededKFoldIsReproducibleAndNearTheBestAccuracy()
    {
        var s = RandomSet(9, 500, 5000, 1000);
        var a = KFold.Accuracy(s, 10, seed: 4);
        Assert.Equal(a.Accuracies, KFold.Accuracy(s, 10, seed: 4).Accuracies);
        Assert.NotEqual(a.Accuracies, KFold.Accuracy(s, 10, seed: 5).Accuracies);
        Assert.InRange(a.Mean, 0.8, 1.0);
    }

    [Fact]
    public void StrictTarAtFarAndEerMatchABruteForceOverEveryThreshold()
    {
        var s = RandomSet(5, 400, 3000, 50, gf: 3, mf: 7);
        var candidates = s.Genuine.Concat(s.Impostor).Select(v => (double)v).Distinct().Order().ToList();
        candidates.Add(Math.BitIncrement(candidates[^1]));
        double Far(double t) => (double)s.Impostor.Count(v => v >= t) / s.ImpostorCount;
        double Tar(double t) => (double)s.Genuine.Count(v => v >= t) / s.GenuineCount;
        foreach (var target in new[] { 0.3, 0.1, 1e-2, 1e-3 })
        {
            double lowest = candidates.First(t => Far(t) <= target * (1 + 1e-12));
            var p = VerificationMetrics.TarAtFar(s, new[] { target })[0];
            Assert.Equal(lowest, p.Threshold);
            Assert.Equal(Tar(lowest), p.Tar, 12);
            Assert.Equal(Far(lowest), p.AchievedFar, 12);
        }
        var mids = candidates.Zip(candidates.Skip(1), (a, b) => (a + b) / 2).SkipLast(1).ToList();
        double bestGap = mids.Min(t => Math.Abs(Far(t) - (1 - Tar(t))));
        double eerThreshold = mids.First(t => Math.Abs(Far(t) - (1 - Tar(t))) == bestGap);
        var (eer, threshold, _, _) = VerificationMetrics.Eer(s);
        Assert.Equal(eerThreshold, threshold);
        Assert.Equal((Far(eerThreshold) + 1 - Tar(eerThreshold)) / 2, eer, 12);
    }

    [Fact]
    public void ThinnedRocKeepsTheEndsAndEveryVisibleStepWithFewPoints()
    {
        var s = RandomSet(11, 20_000, 400_000, 100_000);
        var full = VerificationMetrics.Roc(s);
        var thin = VerificationMetrics.ThinnedRoc(s);
        Assert.True(thin.Length < full.Length / 10, $"{thin.Length} of {full.Length}");
        Assert.Equal(full[0], thin[0]);
        Assert.Equal(full[^1], thin[^1]);
        Assert.All(thin, p => Assert.Contains(p, full));
        // Nothing visible is skipped: the full-ROC point just before each kept one was within both steps of the previous kept one.
        var index = full.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        for (int i = 1; i < thin.Length; i++)
        {
            var before = full[index[thin[i]] - 1];
            if (before == thin[i - 1]) continue;
            Assert.True(before.Tar - thin[i - 1].Tar < 1e-4, $"TAR step skipped before point {i}");
            Assert.True(before.Far == 0 || (thin[i - 1].Far > 0 && before.Far < thin[i - 1].Far * Math.Pow(10, 2e-3)), $"FAR step skipped before point {i}");
        }
    }

    [Theory]
    [InlineData(FarConvention.Strict)]
    [InlineData(FarConvention.InsightFace)]
    public void OneSweepGivesWhatTheSeparateMetricsGive(FarConvention convention)
    {
        var s = RandomSet(13, 2000, 50_000, 500, gf: 4, mf: 9);
        var targets = new[] { 1e-1, 1e-2, 1e-3, 1e-4, 1e-5 };
        var (eer, roc, points) = VerificationMetrics.Summarise(s, targets, convention);
        Assert.Equal(VerificationMetrics.Eer(s), eer);
        Assert.Equal(VerificationMetrics.ThinnedRoc(s), roc);
        Assert.Equal(VerificationMetrics.TarAtFar(s, targets, convention), points);
    }

    /// <summary>The InsightFace IJB script written out literally: every roc_curve point, drop_intermediate, flip, first argmin.</summary>
    private static (double Fpr, double Tpr, double Threshold)[] ScriptLookup(ScoreSet s, double[] targets)
    {
        var fps = new List<long>(); var tps = new List<long>(); var th = new List<double>();
        int gi = s.Genuine.Length - 1, mi = s.Impostor.Length - 1;
        while (gi >= 0 || mi >= 0)
        {
            float t = gi < 0 ? s.Impostor[mi] : mi < 0 ? s.Genuine[gi] : Math.Max(s.Genuine[gi], s.Impostor[mi]);
            while (gi >= 0 && s.Genuine[gi] == t) gi--;
            while (mi >= 0 && s.Impostor[mi] == t) mi--;
            tps.Add(s.Genuine.Length - 1 - gi); fps.Add(s.Impostor.Length - 1 - mi); th.Add(t);
        }
        if (s.GenuineFailures + s.ImpostorFailures > 0) { tps.Add(s.GenuineCount); fps.Add(s.ImpostorCount); th.Add(double.NegativeInfinity); }
        var keep = Enumerable.Range(0, fps.Count).Where(i => i == 0 || i == fps.Count - 1 ||
            fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0).ToList();
        var fpr = new List<double> { 0 }; var tpr = new List<double> { 0 }; var thr = new List<double> { double.PositiveInfinity };
        foreach (var i in keep) { fpr.Add(fps[i] / (double)s.ImpostorCount); tpr.Add(tps[i] / (double)s.GenuineCount); thr.Add(th[i]); }
        fpr.Reverse(); tpr.Reverse(); thr.Reverse();
        return targets.Select(target =>
        {
            int best = 0;
            for (int i = 1; i < fpr.Count; i++) if (Math.Abs(fpr[i] - target) < Math.Abs(fpr[best] - target)) best = i;
            return (fpr[best], tpr[best], thr[best]);
        }).ToArray();
    }

    [Theory]
    [InlineData(21, 10, 0L, 0L)]
    [InlineData(22, 1000, 0L, 0L)]
    [InlineData(23, 37, 3L, 11L)]
    [InlineData(24, 4, 0L, 5L)]
    public void InsightFaceLookupEqualsTheScriptWrittenOut(int seed, int levels, long gf, long mf)
    {
        var s = RandomSet(seed, 300, 20_000, levels, gf, mf);
        var targets = new[] { 1, 0.5, 0.37, 0.25, 0.1, 0.05, 0.01, 3e-3, 1e-3, 1e-4, 5e-5, 1e-5, 1e-6 };
        var expected = ScriptLookup(s, targets);
        var actual = VerificationMetrics.TarAtFar(s, targets, FarConvention.InsightFace);
        for (int k = 0; k < targets.Length; k++)
            Assert.True((actual[k].AchievedFar, actual[k].Tar, actual[k].Threshold) == expected[k], $"target {targets[k]}: {actual[k]} vs {expected[k]}");
    }
}
