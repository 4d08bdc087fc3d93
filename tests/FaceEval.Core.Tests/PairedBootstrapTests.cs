using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>
/// The paired bootstrap: its weighted metrics against the ordinary metrics of the resampled set written out
/// pair by pair, its draws against <see cref="Bootstrap"/>, its p-value, verdicts and McNemar counts by hand.
/// </summary>
public class PairedBootstrapTests
{
    /// <summary>Identities with several embeddings each; the second model sees noisier embeddings of the same items.</summary>
    internal static (float[][] A, float[][] B, string[] Ids) TwoModels(int identities, int perIdentity, int seed, double noiseB, int dimension = 8)
    {
        var r = new Random(seed);
        var a = new List<float[]>();
        var b = new List<float[]>();
        var ids = new List<string>();
        for (int id = 0; id < identities; id++)
        {
            var centre = Enumerable.Range(0, dimension).Select(_ => r.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < perIdentity; k++)
            {
                var x = centre.Select(c => c + 0.5 * (r.NextDouble() - 0.5)).ToArray();
                // Rounded so that scores tie now and then.
                a.Add(x.Select(v => (float)Math.Round(v, 1)).ToArray());
                b.Add(x.Select(v => (float)Math.Round(v + noiseB * (r.NextDouble() - 0.5), 1)).ToArray());
                ids.Add($"id{id}");
            }
        }
        return (a.ToArray(), b.ToArray(), ids.ToArray());
    }

    [Fact]
    public void WeightedMetricsAreThoseOfTheResampleWrittenOut()
    {
        // The definition of a replicate: identity i drawn c(i) times; a genuine pair of i counts c(i) times,
        // an impostor pair of i and j c(i)·c(j) times. Written out as a plain score set, the ordinary metrics
        // of VerificationMetrics must be what the weighted sweep finds, thresholds included.
        var (vectors, _, ids) = TwoModels(12, 3, 1, 0);
        vectors[4] = Array.Empty<float>(); // a failure to enrol
        var pairs = LabelledPairs.AllPairs(vectors, ids);
        var targets = new[] { 0.5, 0.2, 0.05, 0.01 };
        var random = new Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            var counts = new double[pairs.Identities];
            for (int d = 0; d < counts.Length; d++) counts[random.Next(counts.Length)]++;
            var genuine = new List<float>();
            var impostor = new List<float>();
            long genuineFailures = 0, impostorFailures = 0;
            for (int p = 0; p < pairs.Scores.Length; p++)
            {
                bool same = pairs.A[p] == pairs.B[p];
                int copies = (int)(same ? counts[pairs.A[p]] : counts[pairs.A[p]] * counts[pairs.B[p]]);
                for (int c = 0; c < copies; c++)
                {
                    if (float.IsNegativeInfinity(pairs.Scores[p])) { if (same) genuineFailures++; else impostorFailures++; }
                    else (same ? genuine : impostor).Add(pairs.Scores[p]);
                }
            }
            if (genuine.Count == 0 || impostor.Count == 0) continue;
            var set = ScoreSet.Create(genuine.ToArray(), impostor.ToArray(), genuineFailures, impostorFailures);
            var expected = VerificationMetrics.TarAtFar(set, targets);
            var expectedEer = VerificationMetrics.Eer(set);

            var (gt, it) = WeightedSweep.Totals(pairs.A, pairs.B, counts);
            var points = new WeightedPoints(targets.Length);
            WeightedSweep.Measure(pairs, counts, gt, it, targets, points);
            for (int k = 0; k < targets.Length; k++)
            {
                Assert.Equal(expected[k].Tar, points.Tar[k], 12);
                Assert.Equal(expected[k].Threshold, points.Threshold[k]);
            }
            Assert.Equal(expectedEer.Eer, points.Eer, 12);
            Assert.Equal(expectedEer.Threshold, points.EerThreshold, 12);
        }
    }

    [Fact]
    public void ReplicateTotalsFromTalliesAreThePairByPairSums()
    {
        // Σ c(i) over genuine pairs and Σ c(i)·c(j) over impostor pairs, pair by pair, against the tallies
        // kept for all pairs (items per identity) and for a pair list (distinct identity pairs).
        var (a, _, ids) = TwoModels(9, 3, 12, 0);
        var all = PairedScores.AllPairs(new[] { "a" }, new[] { a }, ids);
        var list = PairedScores.Create(new[] { "a" }, new[] { new[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f } },
            new[] { "p", "p", "q", "p", "q", "r" }, new[] { "p", "q", "p", "r", "r", "r" });
        var random = new Random(1);
        foreach (var pairs in new[] { all, list })
            for (int trial = 0; trial < 10; trial++)
            {
                var counts = new double[pairs.Identities];
                for (int d = 0; d < counts.Length; d++) counts[random.Next(counts.Length)]++;
                Assert.Equal(WeightedSweep.Totals(pairs.A, pairs.B, counts), pairs.Totals(counts));
            }
    }

    [Fact]
    public void TheDrawsAreThoseOfTheOneModelBootstrap()
    {
        // Same vectors, identities and seed: each model's replicate values are Bootstrap.Intervals' values,
        // so its TAR and EER intervals are the same.
        var (a, b, ids) = TwoModels(30, 4, 2, 0.6);
        var targets = new[] { 0.1, 0.01 };
        var paired = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids), targets, 200, seed: 9);
        foreach (var (name, vectors) in new[] { ("a", a), ("b", b) })
        {
            var single = Bootstrap.Intervals(LabelledPairs.AllPairs(vectors, ids), targets, 200, seed: 9);
            var rows = paired.Thresholds.Where(t => t.Model == name).ToArray();
            for (int k = 0; k < targets.Length; k++)
                Assert.Equal((single.Tar[k].Low, single.Tar[k].High), (rows[k].Lower, rows[k].Upper));
            Assert.Equal((single.Eer.Low, single.Eer.High), (rows[^1].Lower, rows[^1].Upper));
        }
    }

    [Fact]
    public void FullDataValuesAndThresholdsAreTheOrdinaryOnes()
    {
        var (a, b, ids) = TwoModels(20, 4, 4, 0.6);
        a[5] = Array.Empty<float>();
        b[9] = Array.Empty<float>();
        var targets = new[] { 0.1, 0.01, 0.001 };
        var result = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids), targets, 50, seed: 1);
        foreach (var (name, vectors) in new[] { ("a", a), ("b", b) })
        {
            var s = PairScorer.ScoreAllPairs(vectors, ids);
            var set = ScoreSet.Create(s.Genuine, s.Impostor, s.GenuineFailures, s.ImpostorFailures);
            var points = VerificationMetrics.TarAtFar(set, targets);
            var eer = VerificationMetrics.Eer(set);
            var rows = result.Thresholds.Where(t => t.Model == name).ToArray();
            for (int k = 0; k < targets.Length; k++)
            {
                Assert.Equal((PairedBootstrap.Tar, targets[k]), (rows[k].Metric, rows[k].TargetFar));
                Assert.Equal(points[k].Tar, rows[k].Value, 12);
                Assert.Equal(points[k].Threshold, rows[k].Threshold);
                Assert.InRange(rows[k].Threshold, rows[k].ThresholdLower, rows[k].ThresholdUpper + 1e-6);
            }
            Assert.Equal(PairedBootstrap.Eer, rows[^1].Metric);
            Assert.Equal(eer.Eer, rows[^1].Value, 12);
            Assert.Equal(eer.Threshold, rows[^1].Threshold, 12);
        }
    }

    [Fact]
    public void IdenticalModelsShowNoDifference()
    {
        var (a, _, ids) = TwoModels(30, 4, 5, 0);
        var result = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "same" }, new[] { a, a }, ids), new[] { 0.1, 0.01 }, 300, seed: 2);
        Assert.Equal(3, result.Comparisons.Count);
        foreach (var c in result.Comparisons)
        {
            Assert.Equal(0.0, c.Difference);
            Assert.InRange(0.0, c.Lower, c.Upper);
            // Every Δ is 0: both counts are B, so p = min(1, 2 (1 + B) / (B + 1)) = 1.
            Assert.Equal(1.0, c.PValue);
            Assert.Equal(1.0, c.AdjustedPValue);
            Assert.Equal(ModelComparison.NoSignificantDifference, c.Verdict);
            Assert.Equal((0L, 0L, 0L, 0L), (c.GenuineOnlyA, c.GenuineOnlyB, c.ImpostorOnlyA, c.ImpostorOnlyB));
            Assert.Equal(300, c.BootstrapCount);
        }
    }

    [Theory]
    [InlineData(IntervalMethod.Wilson)]
    [InlineData(IntervalMethod.ClopperPearson)]
    [InlineData(IntervalMethod.Bca)]
    public void EveryIntervalMethodSeesNoDifferenceBetweenIdenticalModelsAndTheLossOfALoweredOne(IntervalMethod method)
    {
        var (a, _, ids) = TwoModels(40, 4, 6, 0);
        var same = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "same" }, new[] { a, a }, ids), new[] { 0.1, 0.01 }, 200, seed: 2, method: method);
        foreach (var c in same.Comparisons)
        {
            Assert.Equal(method, c.IntervalMethod);
            Assert.InRange(0.0, c.Lower, c.Upper);
            Assert.Equal(1.0, c.PValue);
            Assert.Equal(ModelComparison.NoSignificantDifference, c.Verdict);
        }
        var scored = PairedScores.AllPairs(new[] { "a" }, new[] { a }, ids);
        var sa = scored.Scores(0).ToArray();
        var sb = sa.Select((s, p) => scored.IsGenuine(p) ? s - 0.25f : s).ToArray();
        var identityA = new string[scored.Pairs];
        var identityB = new string[scored.Pairs];
        int q = 0;
        for (int i = 0; i < ids.Length; i++)
            for (int j = i + 1; j < ids.Length; j++, q++) { identityA[q] = ids[i]; identityB[q] = ids[j]; }
        var pairs = PairedScores.Create(new[] { "good", "worse" }, new[] { sa, sb }, identityA, identityB);
        var worse = PairedBootstrap.Compare(pairs, new[] { 0.1, 0.01 }, 200, seed: 3, method: method);
        foreach (var c in worse.Comparisons)
        {
            // The interval lies on the side of the difference, p agrees with it, and the per-model intervals hold the values.
            if (c.Metric == PairedBootstrap.Tar) Assert.True(c.Difference > 0 && c.Lower > 0, $"{method} TAR at {c.TargetFar}: {c.Difference} [{c.Lower}, {c.Upper}]");
            else Assert.True(c.Difference < 0 && c.Upper < 0, $"{method} EER: {c.Difference} [{c.Lower}, {c.Upper}]");
            Assert.True(c.AdjustedPValue < 0.05, $"{method} {c.Metric} {c.TargetFar}: {c.Difference} [{c.Lower}, {c.Upper}] p {c.PValue}");
            Assert.Equal(ModelComparison.ABetter, c.Verdict);
        }
        foreach (var t in worse.Thresholds) Assert.InRange(t.Value, t.Lower, t.Upper);
    }

    [Fact]
    public void WilsonDifferenceIsTheMoverOfTheModelsOwnIntervals()
    {
        // The difference's interval is built from each model's Wilson interval (the per-model rows) and the replicates' correlation:
        // at the level where its lower end is 0 the p of the comparison is 1 − level, and the per-model rows are those intervals.
        var (a, b, ids) = TwoModels(30, 4, 5, 1);
        var result = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids), new[] { 0.1 }, 200, seed: 5, method: IntervalMethod.Wilson);
        var c = result.Comparisons.First(x => x.Metric == PairedBootstrap.Tar);
        var rowA = result.Thresholds.First(t => t.Model == "a" && t.Metric == PairedBootstrap.Tar);
        var rowB = result.Thresholds.First(t => t.Model == "b" && t.Metric == PairedBootstrap.Tar);
        var wide = PairedDifference.Mover(c.ValueA, new Interval(rowA.Lower, rowA.Upper), c.ValueB, new Interval(rowB.Lower, rowB.Upper), 0);
        var tight = PairedDifference.Mover(c.ValueA, new Interval(rowA.Lower, rowA.Upper), c.ValueB, new Interval(rowB.Lower, rowB.Upper), 1);
        // ρ lies in [−1, 1]; here both models share the identities, so the interval lies between the ρ = 1 and ρ = 0 ones.
        Assert.InRange(c.Lower, wide.Low - 1e-12, tight.Low + 1e-12);
        Assert.InRange(c.Upper, tight.High - 1e-12, wide.High + 1e-12);
        Assert.Equal(c.Difference, c.ValueA - c.ValueB, 12);
    }

    [Fact]
    public void LoweringTheGenuineScoresMakesAModelWorseEverywhere()
    {
        var (a, _, ids) = TwoModels(40, 4, 6, 0);
        var scored = PairedScores.AllPairs(new[] { "a" }, new[] { a }, ids);
        var sa = scored.Scores(0).ToArray();
        var sb = sa.Select((s, p) => scored.IsGenuine(p) ? s - 0.25f : s).ToArray();
        var identityA = new string[scored.Pairs];
        var identityB = new string[scored.Pairs];
        int q = 0;
        for (int i = 0; i < ids.Length; i++)
            for (int j = i + 1; j < ids.Length; j++, q++) { identityA[q] = ids[i]; identityB[q] = ids[j]; }
        var pairs = PairedScores.Create(new[] { "good", "worse" }, new[] { sa, sb }, identityA, identityB);
        var targets = new[] { 0.1, 0.01, 0.001 };
        var result = PairedBootstrap.Compare(pairs, targets, 300, seed: 3);
        foreach (var c in result.Comparisons)
        {
            Assert.Equal(("good", "worse"), (c.ModelA, c.ModelB));
            if (c.Metric == PairedBootstrap.Tar)
            {
                Assert.True(c.Difference > 0 && c.Lower > 0, $"TAR at {c.TargetFar}: {c.Difference} [{c.Lower}, {c.Upper}]");
                // B's impostors are A's, so its thresholds are A's: it can only lose genuine pairs.
                Assert.Equal(c.ThresholdA, c.ThresholdB);
                Assert.Equal(0, c.GenuineOnlyB);
                Assert.True(c.GenuineOnlyA > 0);
                Assert.Equal((0L, 0L), (c.ImpostorOnlyA, c.ImpostorOnlyB));
            }
            else
            {
                Assert.True(double.IsNaN(c.TargetFar));
                Assert.True(c.Difference < 0 && c.Upper < 0, $"EER: {c.Difference} [{c.Lower}, {c.Upper}]");
            }
            Assert.True(c.AdjustedPValue < 0.05);
            Assert.Equal(ModelComparison.ABetter, c.Verdict);
        }
    }

    [Fact]
    public void McNemarCountsAndOperatingThresholdsByHand()
    {
        // Genuine g1..g5 (identities X X Y Z W), impostors i1 X-Y, i2 Z-W, i3 X-Z, i4 Y-W.
        string[] first = { "X", "X", "Y", "Z", "W", "X", "Z", "X", "Y" };
        string[] second = { "X", "X", "Y", "Z", "W", "Y", "W", "Z", "W" };
        float[] a = { 0.9f, 0.8f, 0.7f, 0.35f, 0.1f, 0.5f, 0.3f, 0.2f, 0.05f };
        float[] b = { 0.95f, 0.3f, 0.2f, 0.6f, 0.1f, 0.4f, 0.5f, 0.1f, 0.05f };
        var pairs = PairedScores.Create(new[] { "A", "B" }, new[] { a, b }, first, second);
        var result = PairedBootstrap.Compare(pairs, new[] { 0.25 }, 20, seed: 1);
        var tar = result.Comparisons.Single(c => c.Metric == PairedBootstrap.Tar);
        // FAR 0.25 of 4 impostors allows one false accept. A: the 2nd impostor is 0.3, the lowest score above
        // it 0.35 -> accepts g1-g4 (TAR 4/5) and i1. B: 2nd impostor 0.4, lowest above 0.5 -> g1, g4 (2/5) and i2.
        Assert.Equal((0.35f, 0.5f), ((float)tar.ThresholdA, (float)tar.ThresholdB));
        Assert.Equal((0.8, 0.4), (tar.ValueA, tar.ValueB));
        Assert.Equal(0.4, tar.Difference, 12);
        // Genuine: g2, g3 by A only; none by B only -> p = 2 · P[Bin(2, 1/2) = 0] = 0.5. Impostors: i1 by A only, i2 by B only -> 1.
        Assert.Equal((2L, 0L), (tar.GenuineOnlyA, tar.GenuineOnlyB));
        Assert.Equal(0.5, tar.GenuineMcNemarP, 14);
        Assert.Equal((1L, 1L, 1.0), (tar.ImpostorOnlyA, tar.ImpostorOnlyB, tar.ImpostorMcNemarP));

        var eer = result.Comparisons.Single(c => c.Metric == PairedBootstrap.Eer);
        // A: the midpoint 0.325 (between 0.35 and 0.3) leaves FAR 1/4, FRR 1/5: EER 0.225.
        // B: 0.35 and 0.25 both leave |FAR − FRR| = 0.1; the lower, 0.25 (FAR 2/4, FRR 2/5), wins: EER 0.45.
        Assert.Equal(0.225, eer.ValueA, 6);
        Assert.Equal(0.45, eer.ValueB, 6);
        Assert.Equal(((double)0.35f + 0.3f) / 2, eer.ThresholdA, 12);
        Assert.Equal(((double)0.3f + 0.2f) / 2, eer.ThresholdB, 12);
        // At those thresholds g3 (A 0.7, B 0.2) is accepted by A only; i2 (A 0.3, B 0.5) by B only.
        Assert.Equal((1L, 0L, 0L, 1L), (eer.GenuineOnlyA, eer.GenuineOnlyB, eer.ImpostorOnlyA, eer.ImpostorOnlyB));
        Assert.Equal(1.0, eer.GenuineMcNemarP);
    }

    [Theory]
    [InlineData(new[] { -1.0, 0, 2, 3 }, 1.0)]              // #{≤0} = 2, #{≥0} = 3: 2 · 3 / 5 > 1
    [InlineData(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8, 9 }, 0.2)] // #{≤0} = 0: 2 · 1 / 10
    [InlineData(new[] { -1.0, 2, 3, 4, 5, 6, 7, 8, 9 }, 0.4)] // #{≤0} = 1: 2 · 2 / 10
    [InlineData(new[] { 0.0, 2, 3, 4, 5, 6, 7, 8, 9 }, 0.4)]  // a zero counts on both sides
    public void BootstrapPByHand(double[] deltas, double expected) =>
        Assert.Equal(expected, PairedBootstrap.TwoSidedP(deltas), 14);

    [Theory]
    [InlineData(0.1, 0.01, false, ModelComparison.ABetter)]
    [InlineData(-0.1, 0.01, false, ModelComparison.BBetter)]
    [InlineData(0.1, 0.01, true, ModelComparison.BBetter)]  // EER: A's is higher, so B is better
    [InlineData(-0.1, 0.01, true, ModelComparison.ABetter)]
    [InlineData(0.1, 0.06, false, ModelComparison.NoSignificantDifference)] // not below 1 − 0.95
    [InlineData(0.1, 0.2, false, ModelComparison.NoSignificantDifference)]
    public void VerdictByHand(double difference, double adjustedP, bool lowerIsBetter, string expected) =>
        Assert.Equal(expected, PairedBootstrap.Verdict(difference, adjustedP, 0.95, lowerIsBetter));

    [Fact]
    public void ThreeModelsAreAdjustedTogetherPerMetric()
    {
        var (a, b, ids) = TwoModels(30, 4, 7, 0.8);
        var scaled = b.Select(v => v.Select(x => x * 0.5f).ToArray()).ToArray(); // b's scores times 1/4 exactly: the same order
        var result = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b", "b4" }, new[] { a, b, scaled }, ids), new[] { 0.05 }, 200, seed: 4);
        foreach (var metric in new[] { PairedBootstrap.Tar, PairedBootstrap.Eer })
        {
            var family = result.Comparisons.Where(x => x.Metric == metric).ToArray();
            Assert.Equal(new[] { ("a", "b"), ("a", "b4"), ("b", "b4") }, family.Select(x => (x.ModelA, x.ModelB)));
            Assert.Equal(Holm.Adjust(family.Select(x => x.PValue).ToArray()), family.Select(x => x.AdjustedPValue));
            // b and its scaled copy rank every pair alike: the same TAR and EER in every replicate.
            Assert.Equal((0.0, 0.0, 1.0), (family[2].Lower, family[2].Upper, family[2].PValue));
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameAnswer()
    {
        var (a, b, ids) = TwoModels(25, 4, 8, 0.6);
        var pairs = PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids);
        var targets = new[] { 0.1, 0.01 };
        var first = PairedBootstrap.Compare(pairs, targets, 150, seed: 11);
        var again = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids), targets, 150, seed: 11);
        var other = PairedBootstrap.Compare(pairs, targets, 150, seed: 12);
        Assert.Equal(first.Comparisons, again.Comparisons);
        Assert.Equal(first.Thresholds, again.Thresholds);
        Assert.NotEqual(first.Comparisons.Select(c => (c.Lower, c.Upper)), other.Comparisons.Select(c => (c.Lower, c.Upper)));
    }

    [Fact]
    public void BadInputIsRefusedClearly()
    {
        var (a, _, ids) = TwoModels(5, 2, 1, 0);
        var one = PairedScores.AllPairs(new[] { "a" }, new[] { a }, ids);
        Assert.Contains("at least two models", Assert.Throws<ArgumentException>(() => PairedBootstrap.Compare(one, new[] { 0.1 })).Message);
        Assert.Contains("named twice", Assert.Throws<ArgumentException>(() => PairedScores.AllPairs(new[] { "a", "a" }, new[] { a, a }, ids)).Message);
        Assert.Contains("same pairs", Assert.Throws<ArgumentException>(() =>
            PairedScores.Create(new[] { "a", "b" }, new[] { new[] { 0.1f, 0.2f }, new[] { 0.1f } }, new[] { "x", "x" }, new[] { "x", "y" })).Message);
        Assert.Contains("no impostor pairs", Assert.Throws<FaceEvalException>(() =>
            PairedScores.Create(new[] { "a" }, new[] { new[] { 0.1f } }, new[] { "x" }, new[] { "x" })).Message);
        Assert.Throws<ArgumentException>(() =>
            PairedScores.Create(new[] { "a" }, new[] { new[] { float.NaN, 0.1f } }, new[] { "x", "x" }, new[] { "x", "y" }));
    }
}
