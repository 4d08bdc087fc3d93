using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

public class BootstrapTests
{
    private static (float[][] Vectors, string[] Ids) Set(int identities, int perIdentity, int seed, int dimension = 6)
    {
        var r = new Random(seed);
        var vectors = new List<float[]>();
        var ids = new List<string>();
        for (int id = 0; id < identities; id++)
        {
            var centre = Enumerable.Range(0, dimension).Select(_ => r.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < perIdentity; k++)
            {
                // Rounded so that scores tie now and then.
                var v = centre.Select(c => (float)Math.Round(c + 0.6 * (r.NextDouble() - 0.5), 1)).ToArray();
                vectors.Add(v);
                ids.Add($"id{id}");
            }
        }
        return (vectors.ToArray(), ids.ToArray());
    }

    [Fact]
    public void WithEveryIdentityOnceTheWeightedMetricsAreTheOrdinaryOnes()
    {
        var (vectors, ids) = Set(25, 4, 1);
        vectors[7] = Array.Empty<float>(); // a failure to enrol
        var targets = new[] { 0.3, 0.1, 0.01, 0.001 };
        var pairs = LabelledPairs.AllPairs(vectors, ids);
        var (tar, eer) = Bootstrap.Weighted(pairs, Enumerable.Repeat(1.0, pairs.Identities).ToArray(), targets);

        // The same scores (summation order decides ties), split the ordinary way.
        var idx = Enumerable.Range(0, pairs.Scores.Length).ToArray();
        bool Genuine(int p) => pairs.A[p] == pairs.B[p];
        bool Failed(int p) => float.IsNegativeInfinity(pairs.Scores[p]);
        var set = ScoreSet.Create(
            idx.Where(p => Genuine(p) && !Failed(p)).Select(p => pairs.Scores[p]).ToArray(),
            idx.Where(p => !Genuine(p) && !Failed(p)).Select(p => pairs.Scores[p]).ToArray(),
            idx.Count(p => Genuine(p) && Failed(p)), idx.Count(p => !Genuine(p) && Failed(p)));
        Assert.Equal(PairScorer.ScoreAllPairs(vectors, ids).GenuineFailures, set.GenuineFailures);
        var expected = VerificationMetrics.TarAtFar(set, targets);
        for (int k = 0; k < targets.Length; k++) Assert.Equal(expected[k].Tar, tar[k], 12);
        Assert.Equal(VerificationMetrics.Eer(set).Eer, eer, 12);
    }

    [Fact]
    public void IntervalsAreSeededContainTheEstimateAndWidenWithTheLevel()
    {
        var (vectors, ids) = Set(40, 5, 2);
        var targets = new[] { 0.1, 0.01 };
        var pairs = LabelledPairs.AllPairs(vectors, ids);
        var a = Bootstrap.Intervals(pairs, targets, 300, seed: 5, level: 0.95);
        var b = Bootstrap.Intervals(pairs, targets, 300, seed: 5, level: 0.95);
        var narrow = Bootstrap.Intervals(pairs, targets, 300, seed: 5, level: 0.5);
        Assert.Equal(a.Tar, b.Tar);
        Assert.Equal(a.Eer, b.Eer);
        var scores = PairScorer.ScoreAllPairs(vectors, ids);
        var set = ScoreSet.Create(scores.Genuine, scores.Impostor);
        var points = VerificationMetrics.TarAtFar(set, targets);
        for (int k = 0; k < targets.Length; k++)
        {
            Assert.InRange(points[k].Tar, a.Tar[k].Low, a.Tar[k].High);
            Assert.True(a.Tar[k].Low < a.Tar[k].High);
            Assert.InRange(narrow.Tar[k].Low, a.Tar[k].Low, a.Tar[k].High);
            Assert.InRange(narrow.Tar[k].High, a.Tar[k].Low, a.Tar[k].High);
        }
        Assert.InRange(VerificationMetrics.Eer(set).Eer, a.Eer.Low, a.Eer.High);
        Assert.NotEqual(a.Eer, Bootstrap.Intervals(pairs, targets, 300, seed: 6).Eer);
    }

    [Fact]
    public void ThresholdIntervalsAreThoseOfThePairedBootstrapAndHoldTheFullDataThreshold()
    {
        var (vectors, ids) = Set(40, 5, 2);
        vectors[3] = Array.Empty<float>(); // a failure to enrol
        var targets = new[] { 0.1, 0.01 };
        var single = Bootstrap.Intervals(LabelledPairs.AllPairs(vectors, ids), targets, 300, seed: 5);
        Assert.Equal(targets.Length, single.Threshold.Length);
        // The same draws as the paired bootstrap (one seed), so its per-model threshold intervals.
        var paired = PairedBootstrap.Compare(PairedScores.AllPairs(new[] { "a", "b" }, new[] { vectors, vectors }, ids), targets, 300, seed: 5);
        var rows = paired.Thresholds.Where(t => t.Model == "a").ToArray();
        var scores = PairScorer.ScoreAllPairs(vectors, ids);
        var points = VerificationMetrics.TarAtFar(ScoreSet.Create(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures), targets);
        for (int k = 0; k < targets.Length; k++)
        {
            Assert.Equal((rows[k].ThresholdLower, rows[k].ThresholdUpper), (single.Threshold[k].Low, single.Threshold[k].High));
            Assert.True(single.Threshold[k].Low < single.Threshold[k].High);
            Assert.InRange(points[k].Threshold, single.Threshold[k].Low, single.Threshold[k].High);
        }
    }
}
