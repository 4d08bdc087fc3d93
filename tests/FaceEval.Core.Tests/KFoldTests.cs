using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

public class KFoldTests
{
    [Fact]
    public void BestThresholdIsTheLowestWithTheMostCorrectDecisions()
    {
        // Scores 0.1(i) 0.2(i) 0.3(g) 0.4(i) 0.5(g) 0.6(g): at 0.3 five of six are right (0.4 is a false accept);
        // at 0.5 also five (0.3 is a false reject). The lower one is taken, moved to the middle of the gap below: 0.25.
        var scores = new[] { 0.5f, 0.1f, 0.6f, 0.2f, 0.4f, 0.3f };
        var match = new[] { true, false, true, false, false, true };
        Assert.Equal(0.25, KFold.BestThreshold(scores, match), 6);
    }

    [Fact]
    public void EverythingImpostorMeansRejectEverything()
    {
        Assert.True(KFold.BestThreshold(new[] { 0.2f, 0.9f }, new[] { false, false }) > (double)0.9f);
    }

    [Fact]
    public void FoldsFromThePairListAreUsedAsGiven()
    {
        // Fold 1 trains on fold 2 {0.3 i, 0.5 g, 0.7 g}: all right from 0.5, moved to 0.4; on fold 1 it
        // accepts 0.6 g, rejects 0.2 i, and wrongly accepts 0.45 i: 2/3. Fold 2 trains on fold 1
        // {0.2 i, 0.45 i, 0.6 g}: threshold 0.525; on fold 2 it wrongly rejects 0.5 g: 2/3.
        var scores = new[] { 0.6f, 0.2f, 0.45f, 0.7f, 0.3f, 0.5f };
        var match = new[] { true, false, false, true, false, true };
        var (mean, std, acc, thresholds) = KFold.Accuracy(scores, match, new[] { 1, 1, 1, 2, 2, 2 });
        Assert.Equal(new[] { 2.0 / 3, 2.0 / 3 }, acc);
        Assert.Equal(new[] { 0.4, 0.525 }, thresholds.Select(t => Math.Round(t, 6)));
        Assert.Equal(2.0 / 3, mean, 12);
        Assert.Equal(0, std, 12);
    }

    [Fact]
    public void SeparableScoresGiveFullAccuracyInEveryFold()
    {
        var rng = new Random(3);
        var scores = Enumerable.Range(0, 200).Select(i => i < 100 ? 0.6f + (float)rng.NextDouble() * 0.3f : (float)rng.NextDouble() * 0.5f).ToArray();
        var match = Enumerable.Range(0, 200).Select(i => i < 100).ToArray();
        var (mean, std, acc, _) = KFold.Accuracy(scores, match, k: 10, seed: 1);
        Assert.Equal(10, acc.Length);
        Assert.Equal((1.0, 0.0), (mean, std));
        Assert.Equal(acc, KFold.Accuracy(scores, match, k: 10, seed: 1).Accuracies); // seeded: repeatable
    }

    [Fact]
    public void DPrimeAndMoments()
    {
        // genuine 1, 3 (mean 2, sd 1); impostor 0, 0 (mean 0, sd 0): d' = 2 / sqrt(1/2).
        Assert.Equal((2.0, 1.0), KFold.MeanStd(new[] { 1f, 3f }));
        Assert.Equal(2 / Math.Sqrt(0.5), KFold.DPrime(new[] { 1f, 3f }, new[] { 0f, 0f }), 12);
    }
}
