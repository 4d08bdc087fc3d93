using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

public class PairScorerTests
{
    [Fact]
    public void ScoresEveryPairOnceByDotProductAndCountsFailuresToEnrol()
    {
        // Items: 0 = (1,0) A, 1 = (0.6,0.8) A, 2 = (0,1) B, 3 = B without an embedding.
        var vectors = new float[] { 1, 0, 0.6f, 0.8f, 0, 1, 0, 0 };
        var scores = PairScorer.ScoreAllPairs(vectors, 2, new[] { 7, 7, 9, 9 }, new[] { true, true, true, false });
        Assert.Equal(new[] { 0.6f }, scores.Genuine);              // (0,1)
        Assert.Equal(new[] { 0f, 0.8f }, scores.Impostor);         // (0,2), (1,2)
        Assert.Equal(1, scores.GenuineFailures);                   // (2,3)
        Assert.Equal(2, scores.ImpostorFailures);                  // (0,3), (1,3)
    }

    [Fact]
    public void NeverRenormalisesTheVectors()
    {
        var scores = PairScorer.ScoreAllPairs(new float[] { 2, 0, 3, 0 }, 2, new[] { 1, 1 });
        Assert.Equal(new[] { 6f }, scores.Genuine);
    }

    [Fact]
    public void AgreesWithANaiveLoopOnRandomData()
    {
        var rng = new Random(5);
        int n = 60, d = 33;
        var v = Enumerable.Range(0, n * d).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var ids = Enumerable.Range(0, n).Select(i => i % 7).ToArray();
        var scores = PairScorer.ScoreAllPairs(v, d, ids);
        var genuine = new List<float>();
        var impostor = new List<float>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                float s = 0;
                for (int k = 0; k < d; k++) s += v[i * d + k] * v[j * d + k];
                (ids[i] == ids[j] ? genuine : impostor).Add(s);
            }
        Assert.Equal(genuine.Count, scores.Genuine.Length);
        Assert.Equal(impostor.Count, scores.Impostor.Length);
        for (int i = 0; i < genuine.Count; i++) Assert.Equal(genuine[i], scores.Genuine[i], tolerance: 1e-5f);
        for (int i = 0; i < impostor.Count; i++) Assert.Equal(impostor[i], scores.Impostor[i], tolerance: 1e-5f);
    }

    [Fact]
    public void FailuresToEnrolScoreAsRejections()
    {
        // Genuine 0.6 and one failure; impostors 0 and 0.8 and two failures (4 impostor pairs in all).
        var s = ScoreSet.Create(new[] { 0.6f }, new[] { 0f, 0.8f }, genuineFailures: 1, impostorFailures: 2);
        Assert.Equal((2L, 4L), (s.GenuineCount, s.ImpostorCount));
        // AUC: g = 0.6 beats impostor 0 and both failures (3); the genuine failure ties the two impostor failures (2 x 1/2). 4 / 8.
        Assert.Equal(0.5, VerificationMetrics.Auc(s), 12);
        // FAR 0.25 allows one false accept: threshold 0.6 accepts the 0.8 impostor; TAR = 1 of 2 genuine pairs.
        var p = VerificationMetrics.TarAtFar(s, new[] { 0.25 })[0];
        Assert.Equal((0.6f, 0.5, 0.25, 1L), ((float)p.Threshold, p.Tar, p.AchievedFar, p.FalseAccepts));
        // Excluding them instead changes the answer: TAR 1 of 1.
        Assert.Equal(1.0, VerificationMetrics.TarAtFar(ScoreSet.Create(new[] { 0.6f }, new[] { 0f, 0.8f }), new[] { 0.5 })[0].Tar);
    }
}
