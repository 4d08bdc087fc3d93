using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>
/// Cllr, minCllr and the linear calibration against their definitions: by hand on small sets with ties,
/// against a plain transcription of pool-adjacent-violators, and on Gaussian scores whose llr is known.
/// </summary>
public class CalibrationTests
{
    private static double Log2(double x) => Math.Log(x) / Math.Log(2);

    [Fact]
    public void CllrByHand()
    {
        // llr = 0 everywhere: log₂(1 + 1) = 1 bit on both sides.
        Assert.Equal(1.0, Calibration.Cllr(new double[] { 0, 0, 0 }, new double[] { 0, 0 }));
        // ±ln 3 on the right sides: log₂(1 + 1/3) each.
        Assert.Equal(Log2(4.0 / 3), Calibration.Cllr(new[] { Math.Log(3) }, new[] { -Math.Log(3) }), 14);
        // The right infinity costs 0: ½ · [(1 + 0) / 2 + (0 + 1) / 2].
        Assert.Equal(0.5, Calibration.Cllr(new[] { 0, double.PositiveInfinity }, new[] { double.NegativeInfinity, 0 }), 15);
        // The wrong one costs everything.
        Assert.Equal(double.PositiveInfinity, Calibration.Cllr(new[] { double.NegativeInfinity }, new[] { 0.0 }));
        // ln 3 for a genuine, +ln 3 for an impostor: ½ · [log₂(4/3) + log₂(4)].
        Assert.Equal(0.5 * (Log2(4.0 / 3) + 2), Calibration.Cllr(new[] { Math.Log(3) }, new[] { Math.Log(3) }), 14);
    }

    [Fact]
    public void MinCllrPoolsTiesBeforeThePoolingOfViolators()
    {
        // Genuine .4 .8; impostor .1 .4 .4 .6. Blocks by score: .1 (0 g, 1 i), .4 (1, 2), .6 (0, 1), .8 (1, 0).
        // Posteriors 0, 1/3, 0, 1: .4 and .6 violate and pool to (1, 3), posterior 1/4. Its llr is
        // ln(1/3) − ln(2/4) = ln(2/3): the genuine there costs log₂(1 + 3/2), each of its impostors log₂(1 + 2/3);
        // the blocks of one kind cost 0.
        double expected = 0.5 * (Log2(2.5) / 2 + 3 * Log2(5.0 / 3) / 4);
        Assert.Equal(expected, Calibration.MinCllr(new[] { 0.4, 0.8 }, new[] { 0.1, 0.4, 0.4, 0.6 }), 14);
        // Without pooling the tie first (impostors of .4 sorted before its genuine) the answer would differ.
        Assert.NotEqual(expected, NaiveMinCllr(new[] { 0.4, 0.8 }, new[] { 0.1, 0.4, 0.4, 0.6 }, poolTies: false), 6);
    }

    [Fact]
    public void MinCllrByHandWithEqualClasses()
    {
        // Genuine .2 .5 .9; impostor .1 .3 .5. Blocks .1 (0,1) .2 (1,0) .3 (0,1) .5 (1,1) .9 (1,0): .2 and .3
        // pool to posterior 1/2; the prior odds are 1, so llr 0 there and in the tied block: 1 bit for each
        // of the two genuine and two impostor pairs in them, 0 for the others: ½ · (2/3 + 2/3).
        Assert.Equal(2.0 / 3, Calibration.MinCllr(new[] { 0.2, 0.5, 0.9 }, new[] { 0.1, 0.3, 0.5 }), 14);
    }

    [Fact]
    public void MinCllrIsZeroWhenSeparatedAndOneBitWithoutInformation()
    {
        Assert.Equal(0.0, Calibration.MinCllr(new[] { 0.7, 0.9, 0.8 }, new[] { 0.1, 0.6, 0.2, 0.3 }));
        // All tied, or ranked the wrong way round: the best monotone map is one llr, ln(posterior odds / prior odds) = 0.
        Assert.Equal(1.0, Calibration.MinCllr(new[] { 0.5, 0.5 }, new[] { 0.5, 0.5, 0.5, 0.5 }), 15);
        Assert.Equal(1.0, Calibration.MinCllr(new[] { 0.1, 0.2 }, new[] { 0.6, 0.7, 0.8 }), 15);
    }

    [Fact]
    public void MinCllrAgreesWithAPlainTranscriptionOfPav()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            // Scores on a coarse grid, so ties between and within classes are common.
            var genuine = Enumerable.Range(0, random.Next(1, 40)).Select(_ => Math.Round(random.NextDouble() + 0.4, 1)).ToArray();
            var impostor = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
            double min = Calibration.MinCllr(genuine, impostor);
            Assert.Equal(NaiveMinCllr(genuine, impostor, poolTies: true), min, 12);
            // No monotone map does better: the fitted line and a few others.
            var line = Calibration.FitLinear(genuine, impostor);
            foreach (var f in new Func<double, double>[] { line.Llr, s => 8 * s - 4, s => Math.Exp(3 * s) - 3 })
                Assert.True(Calibration.Cllr(genuine.Select(f).ToArray(), impostor.Select(f).ToArray()) >= min - 1e-12);
        }
    }

    [Fact]
    public void EqualVarianceGaussiansGiveTheirKnownLinearLlr()
    {
        // Genuine ~ N(.6, .1²), impostor ~ N(.1, .1²): llr(s) = ln N(s; .6) − ln N(s; .1)
        // = (.6 − .1) / .01 · s − (.36 − .01) / .02 = 50 s − 17.5, whatever the class sizes.
        var random = new Random(11);
        foreach (var (ng, ni) in new[] { (20_000, 20_000), (3_000, 60_000) })
        {
            var genuine = Gaussian(random, ng, 0.6, 0.1);
            var impostor = Gaussian(random, ni, 0.1, 0.1);
            var line = Calibration.FitLinear(genuine, impostor);
            Assert.InRange(line.Slope, 50 * 0.95, 50 * 1.05);
            Assert.InRange(line.Intercept, -17.5 * 1.05, -17.5 * 0.95);
            Assert.InRange(line.Llr(0.35), -0.3, 0.3); // the llr is 0 midway
        }
    }

    [Fact]
    public void TheFitMinimisesCllrOnItsPairs()
    {
        // The objective is Cllr (in nats) at prior ½, so no nearby line has a lower Cllr (up to the tiny ridge).
        var random = new Random(12);
        var genuine = Gaussian(random, 500, 0.5, 0.15);
        var impostor = Gaussian(random, 2000, 0.1, 0.1);
        var line = Calibration.FitLinear(genuine, impostor);
        double Cost(LlrLine l) => Calibration.Cllr(genuine.Select(l.Llr).ToArray(), impostor.Select(l.Llr).ToArray());
        double best = Cost(line);
        foreach (var (da, db) in new[] { (0.01, 0.0), (-0.01, 0.0), (0.0, 0.01), (0.0, -0.01), (0.01, 0.01), (-0.01, -0.01) })
            Assert.True(Cost(new LlrLine(line.Slope * (1 + da), line.Intercept + db * Math.Abs(line.Intercept))) >= best - 1e-9);
    }

    [Fact]
    public void UninformativeScoresGiveLlrZeroAndSeparatedOnesAFiniteLine()
    {
        // Every score equal: the best line says llr 0 (prior weighting: the class sizes do not leak in).
        var flat = Calibration.FitLinear(new[] { 0.5, 0.5 }, new[] { 0.5, 0.5, 0.5, 0.5, 0.5 });
        Assert.Equal(0.0, flat.Llr(0.5), 6);
        // Perfectly separated: the unpenalised slope would be infinite; the fit stays finite, steep, and
        // symmetric about the gap.
        var steep = Calibration.FitLinear(new[] { 0.8, 0.9 }, new[] { 0.1, 0.2 });
        Assert.True(double.IsFinite(steep.Slope) && steep.Slope > 10, $"slope {steep.Slope}");
        Assert.Equal(0.0, steep.Llr(0.5), 6);
        Assert.True(Calibration.Cllr(new[] { steep.Llr(0.8), steep.Llr(0.9) }, new[] { steep.Llr(0.1), steep.Llr(0.2) }) < 1e-3);
    }

    [Fact]
    public void CrossFittingJudgesEachHalfByTheOtherHalfsMap()
    {
        var (a, b, ids) = PairedBootstrapTests.TwoModels(30, 4, 13, 0.6);
        a[3] = Array.Empty<float>(); // a failure to enrol: its pairs are left out
        var pairs = PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids);
        var firstHalf = Enumerable.Range(0, pairs.Identities).Select(i => i % 3 == 0).ToArray();
        var measured = Calibration.Measure(pairs, 0, firstHalf, seed: 0);

        // The definition, step by step: halves of identities, pairs inside a half, each half's line applied
        // to the other half, Cllr over both, minCllr on the same pairs.
        var s = pairs.Scores(0).ToArray();
        var inside = new List<double>[2, 2]; // [genuine 0 / impostor 1, half]
        for (int c = 0; c < 2; c++) for (int h = 0; h < 2; h++) inside[c, h] = new List<double>();
        var all = new[] { new List<double>(), new List<double>() };
        int failures = 0;
        for (int p = 0; p < s.Length; p++)
        {
            if (float.IsNegativeInfinity(s[p])) { failures++; continue; }
            int side = pairs.IsGenuine(p) ? 0 : 1;
            all[side].Add(s[p]);
            bool ha = firstHalf[pairs.A[p]], hb = firstHalf[pairs.B[p]];
            if (ha == hb) inside[side, ha ? 0 : 1].Add(s[p]);
        }
        Assert.Equal(ids.Length - 1, failures); // item 3 paired with each of the 119 other items
        var line0 = Calibration.FitLinear(inside[0, 0].ToArray(), inside[1, 0].ToArray());
        var line1 = Calibration.FitLinear(inside[0, 1].ToArray(), inside[1, 1].ToArray());
        var genuineLlr = inside[0, 0].Select(line1.Llr).Concat(inside[0, 1].Select(line0.Llr)).ToArray();
        var impostorLlr = inside[1, 0].Select(line1.Llr).Concat(inside[1, 1].Select(line0.Llr)).ToArray();
        double cllr = Calibration.Cllr(genuineLlr, impostorLlr);
        double min = Calibration.MinCllr(inside[0, 0].Concat(inside[0, 1]).ToArray(), inside[1, 0].Concat(inside[1, 1]).ToArray());
        var full = Calibration.FitLinear(all[0].ToArray(), all[1].ToArray());

        Assert.Equal((full.Slope, full.Intercept), (measured.Slope, measured.Intercept));
        Assert.Equal(cllr, measured.Cllr, 14);
        Assert.Equal(min, measured.MinCllr, 14);
        Assert.Equal(cllr - min, measured.CalibrationLoss, 14);
        Assert.Equal((all[0].Count, all[1].Count, (long)failures), (measured.GenuinePairs, measured.ImpostorPairs, measured.FailurePairs));
        Assert.Equal((inside[0, 0].Count + inside[0, 1].Count, inside[1, 0].Count + inside[1, 1].Count), ((int)measured.EvaluatedGenuinePairs, (int)measured.EvaluatedImpostorPairs));
        Assert.True(measured.Cllr < 1 && measured.MinCllr < measured.Cllr);
    }

    [Fact]
    public void EveryModelIsMeasuredWithTheSameSeededHalves()
    {
        var (a, b, ids) = PairedBootstrapTests.TwoModels(30, 4, 14, 0.6);
        var pairs = PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids);
        var first = Calibration.Measure(pairs, seed: 3);
        Assert.Equal(new[] { "a", "b" }, first.Select(c => c.Model));
        var again = Calibration.Measure(pairs, seed: 3);
        // (Reliability is an array: a record compares it by reference, so it is compared on its own.)
        Assert.Equal(first.Select(c => c with { Reliability = [] }), again.Select(c => c with { Reliability = [] }));
        Assert.Equal(first.SelectMany(c => c.Reliability), again.SelectMany(c => c.Reliability));
        Assert.NotEqual(first[0].Cllr, Calibration.Measure(pairs, seed: 4)[0].Cllr);
        Assert.Equal(first[0].EvaluatedImpostorPairs, first[1].EvaluatedImpostorPairs);
    }

    [Fact]
    public void ReliabilityWeighsBothClassesToThePriorOfAHalf()
    {
        // Genuine llrs 0, ln 3 (p = ½, ¾); impostor llrs −ln 3, 0, 0, ln 3 (p = ¼, ½, ½, ¾). G = 2, I = 4.
        double l3 = Math.Log(3);
        var bins = Calibration.Reliability(new[] { 0, l3 }, new[] { -l3, 0, 0, l3 });
        Assert.Equal(new[] { 0.2, 0.5, 0.7 }, bins.Select(b => Math.Round(b.Low, 10)));
        // [0.2, 0.3): one impostor at ¼ — predicted ¼, never genuine.
        Assert.Equal((0L, 1L), (bins[0].GenuinePairs, bins[0].ImpostorPairs));
        Assert.Equal(0.25, bins[0].MeanPredicted, 12);
        Assert.Equal(0.0, bins[0].Observed);
        // [0.5, 0.6): one genuine (weight ½) and two impostors (¼ each) at ½ — weight 1, observed ½.
        Assert.Equal(0.5, bins[1].MeanPredicted, 12);
        Assert.Equal(0.5, bins[1].Observed, 12);
        // [0.7, 0.8): one genuine (½) and one impostor (¼) at ¾ — observed ½ / ¾ = ⅔: over-confident for impostors here.
        Assert.Equal(0.75, bins[2].MeanPredicted, 12);
        Assert.Equal(2.0 / 3, bins[2].Observed, 12);
        // A certain llr falls in the end bins, p = 1 in the last one.
        var ends = Calibration.Reliability(new[] { double.PositiveInfinity }, new[] { double.NegativeInfinity });
        Assert.Equal((0.0, 0.0, 1.0, 1.0), (ends[0].Low, ends[0].Observed, ends[1].High, ends[1].Observed));
        Assert.Throws<ArgumentException>(() => Calibration.Reliability(Array.Empty<double>(), new[] { 0.0 }));
    }

    [Fact]
    public void MeasureGivesTheReliabilityOfTheCrossFittedPairs()
    {
        var (a, b, ids) = PairedBootstrapTests.TwoModels(30, 4, 14, 0.6);
        var measured = Calibration.Measure(PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids), seed: 3)[0];
        Assert.NotEmpty(measured.Reliability);
        Assert.Equal(measured.EvaluatedGenuinePairs, measured.Reliability.Sum(r => r.GenuinePairs));
        Assert.Equal(measured.EvaluatedImpostorPairs, measured.Reliability.Sum(r => r.ImpostorPairs));
    }

    [Fact]
    public void ProbabilityAddsThePriorLogOdds()
    {
        var c = new ModelCalibration { Model = "m", Slope = 2, Intercept = -1 };
        // llr(1) = 1: σ(1) at prior ½, σ(1 + ln(.2 / .8)) at prior .2.
        Assert.Equal(1 / (1 + Math.Exp(-1)), c.Probability(1, 0.5), 15);
        Assert.Equal(1 / (1 + Math.Exp(-(1 + Math.Log(0.25)))), c.Probability(1, 0.2), 15);
        Assert.Equal(0.0, c.Probability(double.NegativeInfinity, 0.5)); // a failure to enrol is no match
        foreach (var prior in new[] { 0.0, 1.0, double.NaN, -0.1 })
            Assert.Throws<ArgumentOutOfRangeException>(() => c.Probability(1, prior));
    }

    private static double[] Gaussian(Random random, int n, double mean, double sd) =>
        Enumerable.Range(0, n).Select(_ =>
        {
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            return mean + sd * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }).ToArray();

    /// <summary>
    /// Brümmer's opt_loglr followed by cllr, written plainly: sort, (optionally) one block per distinct score,
    /// merge the first adjacent violating pair of blocks until none is left, llr = logit(posterior) − logit(prior),
    /// and the Cllr sum with a right infinity costing 0.
    /// </summary>
    private static double NaiveMinCllr(double[] genuine, double[] impostor, bool poolTies)
    {
        // Impostors before genuine pairs of the same score when ties are not pooled (the optimistic order).
        var items = genuine.Select(s => (Score: s, Genuine: 1)).Concat(impostor.Select(s => (Score: s, Genuine: 0)))
            .OrderBy(x => x.Score).ThenBy(x => x.Genuine).ToList();
        var blocks = new List<(double G, double I, List<int> Members)>();
        for (int i = 0; i < items.Count; i++)
        {
            if (poolTies && blocks.Count > 0 && items[blocks[^1].Members[0]].Score == items[i].Score)
            {
                var last = blocks[^1];
                last.Members.Add(i);
                blocks[^1] = (last.G + items[i].Genuine, last.I + 1 - items[i].Genuine, last.Members);
            }
            else blocks.Add((items[i].Genuine, 1 - items[i].Genuine, new List<int> { i }));
        }
        bool merged = true;
        while (merged)
        {
            merged = false;
            for (int j = 0; j + 1 < blocks.Count; j++)
            {
                double p = blocks[j].G / (blocks[j].G + blocks[j].I), q = blocks[j + 1].G / (blocks[j + 1].G + blocks[j + 1].I);
                if (p > q)
                {
                    blocks[j] = (blocks[j].G + blocks[j + 1].G, blocks[j].I + blocks[j + 1].I, blocks[j].Members.Concat(blocks[j + 1].Members).ToList());
                    blocks.RemoveAt(j + 1);
                    merged = true;
                    break;
                }
            }
        }
        double priorLogit = Math.Log((double)genuine.Length / impostor.Length), cg = 0, ci = 0;
        foreach (var (g, i, members) in blocks)
        {
            double posterior = g / (g + i);
            double llr = posterior == 1 ? double.PositiveInfinity : posterior == 0 ? double.NegativeInfinity : Math.Log(posterior / (1 - posterior)) - priorLogit;
            foreach (var k in members)
            {
                if (items[k].Genuine == 1) cg += double.IsPositiveInfinity(llr) ? 0 : Log2(1 + Math.Exp(-llr));
                else ci += double.IsNegativeInfinity(llr) ? 0 : Log2(1 + Math.Exp(llr));
            }
        }
        return 0.5 * (cg / genuine.Length + ci / impostor.Length);
    }
}
