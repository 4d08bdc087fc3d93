using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>The transfer check: a threshold chosen on half of the identities, applied to the other half; worked by hand.</summary>
public class TransferCheckTests
{
    // Identities P, Q (one half) and R, S (the other). Genuine: P .9 .6, Q .8, R .7 .5, S .85.
    // Impostors P-Q .55 .52 .2 .1; R-S .65 .4 .35 .15; and P-R .95, which spans the halves.
    private static readonly string[] First = { "P", "P", "Q", "R", "R", "S", "P", "P", "P", "P", "R", "R", "R", "R", "P" };
    private static readonly string[] Second = { "P", "P", "Q", "R", "R", "S", "Q", "Q", "Q", "Q", "S", "S", "S", "S", "R" };
    private static readonly float[] Scores = { 0.9f, 0.6f, 0.8f, 0.7f, 0.5f, 0.85f, 0.55f, 0.52f, 0.2f, 0.1f, 0.65f, 0.4f, 0.35f, 0.15f, 0.95f };

    [Fact]
    public void OneTransferEachWayByHand()
    {
        var pairs = PairedScores.Create(new[] { "m" }, new[] { Scores }, First, Second);
        // Identities are numbered by first appearance: P 0, Q 1, R 2, S 3.
        double[] pq = { 1, 1, 0, 0 }, rs = { 0, 0, 1, 1 };
        var targets = new[] { 0.25, 0.5 };
        var points = new WeightedPoints(2);
        var ratio = new double[2];
        var tar = new double[2];

        // Chosen on P, Q: at .25 one of 4 impostors may pass: the 2nd highest is .52, the lowest score above
        // it .55. At .5 two may pass: the 3rd is .2, the lowest above it .52.
        // On R, S at .55: impostors .65 -> 1/4, ratio 1; genuine .7, .85 -> 2/3. At .52: the same, ratio 1/4 / .5.
        TransferCheck.Transfer(pairs, pairs.Sorted(0), pq, rs, targets, points, ratio, tar);
        Assert.Equal(new[] { 0.55f, 0.52f }, points.Threshold.Select(t => (float)t));
        Assert.Equal(new[] { 1.0, 0.5 }, ratio);
        Assert.Equal(new[] { 2.0 / 3, 2.0 / 3 }, tar);

        // Chosen on R, S: at .25 the 2nd impostor is .4, the lowest score above it .5 (a genuine of R); at .5
        // the 3rd is .35, the lowest above .4. On P, Q at .5: .55 and .52 pass, 2/4 -> ratio 2; at .4 the
        // same 2/4 -> ratio 1. Every genuine of P, Q passes both. The spanning .95 counts nowhere.
        TransferCheck.Transfer(pairs, pairs.Sorted(0), rs, pq, targets, points, ratio, tar);
        Assert.Equal(new[] { 0.5f, 0.4f }, points.Threshold.Select(t => (float)t));
        Assert.Equal(new[] { 2.0, 1.0 }, ratio);
        Assert.Equal(new[] { 1.0, 1.0 }, tar);
    }

    [Fact]
    public void SeededSplitsSummariseTheTransfersThatCanBeMade()
    {
        // Of the three ways to halve P, Q, R, S only {P, Q} | {R, S} leaves impostor pairs inside both halves
        // ({P, R} has one, {Q, S} and the others none), so every transfer made is one of the two above:
        // ratios {1, 2} at .25 (median 1.5, max 2) and {.5, 1} at .5 (median .75, max 1); TAR {2/3, 1}: 5/6.
        var pairs = PairedScores.Create(new[] { "m" }, new[] { Scores }, First, Second);
        var result = TransferCheck.Run(pairs, new[] { 0.25, 0.5 }, splits: 20, seed: 3);
        Assert.Equal(2, result.Count);
        var (at25, at5) = (result[0], result[1]);
        Assert.True(at25.Transfers > 0 && at25.Transfers % 2 == 0, $"{at25.Transfers} transfers");
        Assert.Equal((0.25, 1.5, 2.0, 20), (at25.TargetFar, at25.TransferFarRatio, at25.TransferFarRatioMax, at25.Splits));
        Assert.Equal((0.5, 0.75, 1.0), (at5.TargetFar, at5.TransferFarRatio, at5.TransferFarRatioMax));
        Assert.Equal(5.0 / 6, at25.TransferTar, 15);
        Assert.Equal(5.0 / 6, at5.TransferTar, 15);
        Assert.Equal(at25.Transfers, at5.Transfers);
    }

    [Fact]
    public void ExchangeableIdentitiesHoldTheirFar()
    {
        // Identities drawn alike: a threshold set on half of them gives about the target FAR on the others.
        var (a, b, ids) = PairedBootstrapTests.TwoModels(300, 3, 21, 0.4, dimension: 16);
        var pairs = PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids);
        var result = TransferCheck.Run(pairs, new[] { 0.01, 0.001 }, splits: 10, seed: 5);
        foreach (var r in result)
        {
            Assert.Equal(20, r.Transfers);
            double tolerance = r.TargetFar == 0.01 ? 0.15 : 0.3;
            Assert.InRange(r.TransferFarRatio, 1 - tolerance, 1 + tolerance);
            Assert.True(r.TransferFarRatioMax >= r.TransferFarRatio);
            Assert.InRange(r.TransferTar, 0, 1);
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameSplits()
    {
        var (a, b, ids) = PairedBootstrapTests.TwoModels(40, 3, 22, 0.4);
        var pairs = PairedScores.AllPairs(new[] { "a", "b" }, new[] { a, b }, ids);
        var targets = new[] { 0.05 };
        Assert.Equal(TransferCheck.Run(pairs, targets, 5, seed: 1), TransferCheck.Run(pairs, targets, 5, seed: 1));
        Assert.NotEqual(TransferCheck.Run(pairs, targets, 5, seed: 1), TransferCheck.Run(pairs, targets, 5, seed: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransferCheck.Run(pairs, targets, 0));
    }
}
