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

public class SampledPairScorerTests
{
    private static (float[][] Vectors, string[] Ids) Set(int perIdentity, int identities, int seed)
    {
        var r = new Random(seed);
        var vectors = new List<float[]>();
        var ids = new List<string>();
        for (int id = 0; id < identities; id++)
            for (int k = 0; k < perIdentity; k++)
            {
                var v = Enumerable.Range(0, 8).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
                float norm = MathF.Sqrt(v.Sum(x => x * x));
                vectors.Add(v.Select(x => x / norm).ToArray());
                ids.Add($"id{id}");
            }
        return (vectors.ToArray(), ids.ToArray());
    }

    [Fact]
    public void KeepsEveryGenuinePairAndDrawsDistinctImpostorPairsReproducibly()
    {
        var (vectors, ids) = Set(4, 30, 1); // 30 x 6 = 180 genuine, C(120,2) - 180 = 6960 impostor pairs
        var all = PairScorer.ScoreAllPairs(vectors, ids);
        var a = SampledPairScorer.Score(vectors, ids, 500, seed: 7);
        var b = SampledPairScorer.Score(vectors, ids, 500, seed: 7);
        var c = SampledPairScorer.Score(vectors, ids, 500, seed: 8);
        Assert.Equal(180, a.Genuine.Length);
        Assert.Equal(all.Genuine.Order(), a.Genuine.Order());
        Assert.Equal(500, a.Impostor.Length);
        Assert.Equal(a.Impostor, b.Impostor);
        Assert.NotEqual(a.Impostor, c.Impostor);
        // Every sampled score is one of the real impostor scores, and no pair was drawn twice.
        var pool = all.Impostor.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        foreach (var s in a.Impostor) { Assert.True(pool.TryGetValue(s, out int left) && left > 0); pool[s] = left - 1; }
    }

    [Fact]
    public void ASampleAsLargeAsThePoolIsEveryPairAndFailuresAreCounted()
    {
        var (vectors, ids) = Set(3, 4, 2); // 12 genuine, 54 impostor pairs
        vectors[0] = Array.Empty<float>();
        var whole = SampledPairScorer.Score(vectors, ids, 1000, seed: 1);
        Assert.Equal(PairScorer.ScoreAllPairs(vectors, ids).Impostor.Length, whole.Impostor.Length);
        var sample = SampledPairScorer.Score(vectors, ids, 40, seed: 3);
        Assert.Equal(2, sample.GenuineFailures);
        Assert.Equal(40, sample.Impostor.Length + sample.ImpostorFailures);
    }
}

public class DotKernelTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(13)]
    [InlineData(3)]
    public void TwelveDotsAtOnceAreBitForBitTheSingleDots(int dimension)
    {
        // Every product is the same sequence of operations whichever kernel computes it: a tile's twelve
        // products equal the single kernel's exactly, and both are dot products (to float rounding).
        var r = new Random(dimension);
        var a = Enumerable.Range(0, 4 * dimension).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, 3 * dimension).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var twelve = new float[12];
        DotKernel.Dot4x3(a.AsSpan(0, dimension), a.AsSpan(dimension, dimension), a.AsSpan(2 * dimension, dimension), a.AsSpan(3 * dimension, dimension), b, twelve);
        for (int row = 0; row < 4; row++)
            for (int c = 0; c < 3; c++)
            {
                var x = a.AsSpan(row * dimension, dimension);
                var y = b.AsSpan(c * dimension, dimension);
                float single = DotKernel.Dot(x, y);
                Assert.True(BitConverter.SingleToUInt32Bits(single) == BitConverter.SingleToUInt32Bits(twelve[3 * row + c]), $"a{row} . b{c}: tile {twelve[3 * row + c]:R}, single {single:R}");
                double exact = 0;
                for (int k = 0; k < dimension; k++) exact += (double)x[k] * y[k];
                Assert.True(Math.Abs(exact - single) <= 1e-5, $"a{row} . b{c}: {single:R} vs {exact:R}");
            }
        Assert.Throws<ArgumentException>(() => DotKernel.Dot4x3(a.AsSpan(0, dimension), a.AsSpan(dimension, dimension), a.AsSpan(2 * dimension, dimension), a.AsSpan(3 * dimension, dimension), b.AsSpan(1), twelve));
        Assert.Throws<ArgumentException>(() => DotKernel.Dot(a.AsSpan(0, dimension), b.AsSpan(0, dimension - 1)));
    }

    [Fact]
    public void AllPairsMatchPlainDotProductsAcrossBlocksAndFailures()
    {
        var r = new Random(4);
        int n = 150, d = 20; // several 64-row blocks, runs of four and remainders
        var vectors = Enumerable.Range(0, n).Select(i => i % 37 == 5 ? Array.Empty<float>() : Enumerable.Range(0, d).Select(_ => (float)r.NextDouble() - 0.5f).ToArray()).ToArray();
        var ids = Enumerable.Range(0, n).Select(i => $"id{i % 11}").ToArray();
        var scores = PairScorer.ScoreAllPairs(vectors, ids);
        var genuine = new List<float>();
        var impostor = new List<float>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (vectors[i].Length == 0 || vectors[j].Length == 0) continue;
                float s = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
                (ids[i] == ids[j] ? genuine : impostor).Add(s);
            }
        Assert.Equal(genuine.Count, scores.Genuine.Length);
        Assert.Equal(impostor.Count, scores.Impostor.Length);
        foreach (var (x, y) in genuine.Zip(scores.Genuine)) Assert.True(Math.Abs(x - y) <= 1e-5, $"{x} vs {y}");
        foreach (var (x, y) in impostor.Zip(scores.Impostor)) Assert.True(Math.Abs(x - y) <= 1e-5, $"{x} vs {y}");
    }
}
