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

    [Theory]
    [InlineData(512)]
    [InlineData(37)]
    [InlineData(8)]
    public void TheWideTilesAreBitForBitTheSingleDots(int dimension)
    {
        // Each 512-bit register holds two products' 8-wide accumulators, so the wide tile's products are the
        // single kernel's exactly. Where AVX-512 is missing (DotKernel.HasWideTile false) the tile is the single
        // kernel and this only checks the layout of its results; this project's machine has AVX-512.
        var r = new Random(dimension + 1);
        var probes = Enumerable.Range(0, 8 * dimension).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var rows = Enumerable.Range(0, 6 * dimension).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var packed = DotKernel.PackPairs(rows, 6, dimension);
        Assert.Equal(6 * DotKernel.PackedWidth(dimension), packed.Length);
        var products = new float[48];
        DotKernel.Dot8x6(probes, packed, rows, dimension, products);
        for (int q = 0; q < 8; q++)
            for (int e = 0; e < 6; e++)
            {
                float single = DotKernel.Dot(probes.AsSpan(q * dimension, dimension), rows.AsSpan(e * dimension, dimension));
                Assert.True(BitConverter.SingleToUInt32Bits(single) == BitConverter.SingleToUInt32Bits(products[6 * q + e]), $"p{q} . r{e}: tile {products[6 * q + e]:R}, single {single:R}");
            }
        Assert.Throws<ArgumentException>(() => DotKernel.Dot8x6(probes, packed.AsSpan(1), rows, dimension, products));
        // The same tile one pair wide: the pair of rows 2 and 3.
        var sixteen = new float[16];
        int w = DotKernel.PackedWidth(dimension);
        DotKernel.Dot8x2(probes, packed.AsSpan(2 * w, 2 * w), rows.AsSpan(2 * dimension, 2 * dimension), dimension, sixteen);
        for (int q = 0; q < 8; q++)
            for (int e = 0; e < 2; e++)
                Assert.True(BitConverter.SingleToUInt32Bits(products[6 * q + 2 + e]) == BitConverter.SingleToUInt32Bits(sixteen[2 * q + e]), $"p{q} . r{2 + e}: one pair wide {sixteen[2 * q + e]:R}, tile {products[6 * q + 2 + e]:R}");
    }

    [Fact]
    public void PackedPairsHoldTheSameEightNumbersOfTwoRowsSideBySide()
    {
        // Three rows of 10: pairs (0, 1) and (2, zeros); numbers 8 and 9 are past the packed width.
        var rows = Enumerable.Range(0, 30).Select(k => (float)k).ToArray();
        var packed = DotKernel.PackPairs(rows, 3, 10);
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 27, 0, 0, 0, 0, 0, 0, 0, 0 }, packed);
    }

    [Theory]
    [InlineData(203, 37, 0, 4)]   // odd N, several blocks, a short last block, a dimension with a tail
    [InlineData(203, 512, 1, 3)]  // a range of blocks: the packed rows start at the range's first row
    [InlineData(70, 8, 0, 2)]     // no tail
    [InlineData(11, 5, 0, 1)]     // too narrow to pack: the 4 x 3 tile alone
    public void TheSweepScoresEachPairOnceInRowOrderAsTheSingleDot(int n, int d, int fromBlock, int toBlock)
    {
        var r = new Random(n * d);
        var vectors = Enumerable.Range(0, n * d).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        var ids = Enumerable.Range(0, n).Select(i => i % 7).ToArray();
        var ok = Enumerable.Range(0, n).Select(i => i % 13 != 4).ToArray();
        var seen = new List<(int I, int J, float S)>[n];
        for (int i = 0; i < n; i++) seen[i] = new();
        PairSweep.Run(vectors, d, ids, ok, fromBlock, toBlock, () => 0, (_, _) => new RecordingSink(seen), (_, _) => { }, _ => { });
        int lastRow = Math.Min(n, toBlock * PairSweep.Block);
        for (int i = 0; i < n; i++)
        {
            var expected = new List<int>();
            if (i >= fromBlock * PairSweep.Block && i < lastRow && ok[i])
                for (int j = i + 1; j < n; j++) if (ok[j]) expected.Add(j);
            Assert.Equal(expected, seen[i].Select(p => p.J));
            foreach (var (_, j, score) in seen[i])
            {
                float single = DotKernel.Dot(vectors.AsSpan(i * d, d), vectors.AsSpan(j * d, d));
                Assert.True(BitConverter.SingleToUInt32Bits(single) == BitConverter.SingleToUInt32Bits(score), $"({i}, {j}): sweep {score:R}, single {single:R}");
            }
        }
    }

    private readonly struct RecordingSink(List<(int I, int J, float S)>[] seen) : IPairSink
    {
        public void Add(int i, int j, float score)
        {
            lock (seen[i]) seen[i].Add((i, j, score));
        }
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
