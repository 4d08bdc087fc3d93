using System.Numerics.Tensors;

namespace FaceEval.Core.Metrics;

/// <summary>The scores of every pair of a set of embeddings, split by whether the two share an identity.</summary>
/// <param name="Genuine">Scores of same-identity pairs (pairs with a failure to enrol are not here).</param>
/// <param name="Impostor">Scores of different-identity pairs (likewise).</param>
/// <param name="GenuineFailures">Same-identity pairs involving an item without an embedding.</param>
/// <param name="ImpostorFailures">Different-identity pairs involving an item without an embedding.</param>
public sealed record PairScores(float[] Genuine, float[] Impostor, long GenuineFailures, long ImpostorFailures);

/// <summary>
/// Scores all pairs i &lt; j of N embeddings by their dot product (cosine similarity of the vectors as
/// returned, never re-normalised) on every core, in cache-sized blocks of rows, with SIMD dot products
/// (System.Numerics.Tensors). Each row writes straight into its own slice of the genuine and impostor
/// arrays, so nothing quadratic is held beyond the scores themselves.
/// </summary>
public static class PairScorer
{
    /// <summary>All pairs of labelled vectors; an empty vector is a failure to enrol.</summary>
    /// <exception cref="FaceEvalException">DimensionMismatch when the non-empty vectors differ in length.</exception>
    public static PairScores ScoreAllPairs(IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities)
    {
        int dimension = CommonDimension(vectors);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = identities.Select(id => ids.TryGetValue(id, out int i) ? i : ids[id] = ids.Count).ToArray();
        var matrix = new float[(long)vectors.Count * dimension];
        for (int i = 0; i < vectors.Count; i++) vectors[i].CopyTo(matrix, (long)i * dimension);
        return ScoreAllPairs(matrix, dimension, labels, vectors.Select(v => v.Length > 0).ToArray());
    }

    /// <summary>The one dimension of all non-empty vectors (1 when all are empty: failures to enrol).</summary>
    /// <exception cref="FaceEvalException">DimensionMismatch.</exception>
    public static int CommonDimension(IReadOnlyList<float[]> vectors)
    {
        int dimension = vectors.Where(v => v.Length > 0).Select(v => v.Length).DefaultIfEmpty(1).First();
        if (vectors.Any(v => v.Length > 0 && v.Length != dimension))
            throw new FaceEvalException(FaceEvalError.DimensionMismatch, $"The embeddings do not all have {dimension} dimensions.");
        return dimension;
    }

    /// <param name="vectors">N rows of D numbers, row-major; a row of an item without an embedding is ignored.</param>
    /// <param name="dimension">D.</param>
    /// <param name="identities">N identity labels (any integers).</param>
    /// <param name="enrolled">Which items have an embedding; null when all do.</param>
    public static PairScores ScoreAllPairs(ReadOnlyMemory<float> vectors, int dimension, ReadOnlySpan<int> identities, ReadOnlySpan<bool> enrolled = default)
    {
        int n = identities.Length;
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension));
        if (vectors.Length != (long)n * dimension) throw new ArgumentException($"Expected {n} x {dimension} numbers, got {vectors.Length}.", nameof(vectors));
        var ids = identities.ToArray();
        var ok = enrolled.IsEmpty ? Enumerable.Repeat(true, n).ToArray() : enrolled.ToArray();

        // Per row: how many later rows share its identity, among enrolled ones, and how many pairs fail.
        var sameAfter = new long[n];
        var enrolledAfter = new long[n];
        var perIdentityEnrolled = new Dictionary<int, long>();
        var perIdentityAll = new Dictionary<int, long>();
        long genuineFailures = 0, impostorFailures = 0, enrolledSoFar = 0, allSoFar = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            perIdentityEnrolled.TryGetValue(ids[i], out long sameEnrolled);
            perIdentityAll.TryGetValue(ids[i], out long sameAll);
            if (ok[i])
            {
                sameAfter[i] = sameEnrolled;
                enrolledAfter[i] = enrolledSoFar;
                genuineFailures += sameAll - sameEnrolled;
                impostorFailures += (allSoFar - sameAll) - (enrolledSoFar - sameEnrolled);
                perIdentityEnrolled[ids[i]] = sameEnrolled + 1;
                enrolledSoFar++;
            }
            else
            {
                genuineFailures += sameAll;
                impostorFailures += allSoFar - sameAll;
            }
            perIdentityAll[ids[i]] = sameAll + 1;
            allSoFar++;
        }
        var genuineOffset = new long[n + 1];
        var impostorOffset = new long[n + 1];
        for (int i = 0; i < n; i++)
        {
            genuineOffset[i + 1] = genuineOffset[i] + (ok[i] ? sameAfter[i] : 0);
            impostorOffset[i + 1] = impostorOffset[i] + (ok[i] ? enrolledAfter[i] - sameAfter[i] : 0);
        }
        var genuine = new float[genuineOffset[n]];
        var impostor = new float[impostorOffset[n]];

        // Cache blocking: a block of rows stays in cache while every later block streams past it once, so
        // the matrix is read n / Block times instead of n times. Within a row the later rows still come in
        // ascending order, so each row fills its own slices of the output exactly as the offsets say.
        const int Block = 64;
        int blocks = (n + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var all = vectors.Span;
            int i0 = b * Block, i1 = Math.Min(n, i0 + Block);
            var g = new long[i1 - i0];
            var m = new long[i1 - i0];
            Span<float> four = stackalloc float[4];
            for (int i = i0; i < i1; i++) { g[i - i0] = genuineOffset[i]; m[i - i0] = impostorOffset[i]; }
            for (int j0 = i0; j0 < n; j0 += Block)
            {
                int j1 = Math.Min(n, j0 + Block);
                for (int i = i0; i < i1; i++)
                {
                    if (!ok[i]) continue;
                    var row = all.Slice(i * dimension, dimension);
                    int id = ids[i];
                    ref long gi = ref g[i - i0], mi = ref m[i - i0];
                    int j = Math.Max(j0, i + 1);
                    for (; j + 4 <= j1; j += 4)
                    {
                        // Four rows against this one: each load of the row feeds four products.
                        DotKernel.Dot4(row, all.Slice(j * dimension, 4 * dimension), four);
                        for (int q = 0; q < 4; q++)
                        {
                            if (!ok[j + q]) continue;
                            if (ids[j + q] == id) genuine[gi++] = four[q]; else impostor[mi++] = four[q];
                        }
                    }
                    for (; j < j1; j++)
                    {
                        if (!ok[j]) continue;
                        float score = TensorPrimitives.Dot(row, all.Slice(j * dimension, dimension));
                        if (ids[j] == id) genuine[gi++] = score; else impostor[mi++] = score;
                    }
                }
            }
        });
        return new PairScores(genuine, impostor, genuineFailures, impostorFailures);
    }
}

/// <summary>All genuine pairs and a seeded uniform sample of the impostor pairs, for sets too large to score every impostor pair.</summary>
public static class SampledPairScorer
{
    /// <param name="vectors">One vector per item; an empty one is a failure to enrol.</param>
    /// <param name="identities">One label per item.</param>
    /// <param name="impostorSample">How many distinct impostor pairs to draw (without replacement); all of them when there are no more.</param>
    /// <param name="seed">Seed of the draw: the same seed gives the same pairs.</param>
    public static PairScores Score(IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities, long impostorSample, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(impostorSample, 1);
        int n = vectors.Count;
        PairScorer.CommonDimension(vectors);
        long allPairs = (long)n * (n - 1) / 2;
        long genuineTotal = identities.GroupBy(id => id, StringComparer.Ordinal).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        long impostorTotal = allPairs - genuineTotal;
        if (impostorSample >= impostorTotal) return PairScorer.ScoreAllPairs(vectors, identities);

        var genuine = new List<float>();
        long genuineFailures = 0, impostorFailures = 0;
        foreach (var group in Enumerable.Range(0, n).GroupBy(i => identities[i], StringComparer.Ordinal))
        {
            var members = group.ToArray();
            for (int a = 0; a < members.Length; a++)
                for (int b = a + 1; b < members.Length; b++)
                {
                    var u = vectors[members[a]];
                    var v = vectors[members[b]];
                    if (u.Length == 0 || v.Length == 0) genuineFailures++;
                    else genuine.Add(TensorPrimitives.Dot(u, v));
                }
        }
        var random = new Random(seed);
        var drawn = new HashSet<long>();
        var impostor = new List<float>((int)Math.Min(impostorSample, int.MaxValue));
        while (drawn.Count < impostorSample)
        {
            int i = random.Next(n), j = random.Next(n);
            if (i == j || string.Equals(identities[i], identities[j], StringComparison.Ordinal)) continue;
            if (i > j) (i, j) = (j, i);
            if (!drawn.Add((long)i * n + j)) continue;
            if (vectors[i].Length == 0 || vectors[j].Length == 0) impostorFailures++;
            else impostor.Add(TensorPrimitives.Dot(vectors[i], vectors[j]));
        }
        return new PairScores(genuine.ToArray(), impostor.ToArray(), genuineFailures, impostorFailures);
    }
}

/// <summary>Dot products of one vector with four consecutive ones, sharing each load of the first (AVX2 when present).</summary>
internal static class DotKernel
{
    /// <param name="a">The vector, D numbers.</param>
    /// <param name="rows">Four vectors of D numbers, one after the other.</param>
    /// <param name="result">The four dot products.</param>
    public static void Dot4(ReadOnlySpan<float> a, ReadOnlySpan<float> rows, Span<float> result)
    {
        int d = a.Length;
        var b0 = rows[..d];
        var b1 = rows.Slice(d, d);
        var b2 = rows.Slice(2 * d, d);
        var b3 = rows.Slice(3 * d, d);
        int k = 0;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated && d >= 8)
        {
            var acc0 = System.Runtime.Intrinsics.Vector256<float>.Zero;
            var acc1 = acc0;
            var acc2 = acc0;
            var acc3 = acc0;
            for (; k + 8 <= d; k += 8)
            {
                var x = System.Runtime.Intrinsics.Vector256.Create(a.Slice(k, 8));
                acc0 = MultiplyAdd(x, System.Runtime.Intrinsics.Vector256.Create(b0.Slice(k, 8)), acc0);
                acc1 = MultiplyAdd(x, System.Runtime.Intrinsics.Vector256.Create(b1.Slice(k, 8)), acc1);
                acc2 = MultiplyAdd(x, System.Runtime.Intrinsics.Vector256.Create(b2.Slice(k, 8)), acc2);
                acc3 = MultiplyAdd(x, System.Runtime.Intrinsics.Vector256.Create(b3.Slice(k, 8)), acc3);
            }
            s0 = System.Runtime.Intrinsics.Vector256.Sum(acc0);
            s1 = System.Runtime.Intrinsics.Vector256.Sum(acc1);
            s2 = System.Runtime.Intrinsics.Vector256.Sum(acc2);
            s3 = System.Runtime.Intrinsics.Vector256.Sum(acc3);
        }
        for (; k < d; k++)
        {
            s0 += a[k] * b0[k];
            s1 += a[k] * b1[k];
            s2 += a[k] * b2[k];
            s3 += a[k] * b3[k];
        }
        result[0] = s0; result[1] = s1; result[2] = s2; result[3] = s3;
    }

    private static System.Runtime.Intrinsics.Vector256<float> MultiplyAdd(System.Runtime.Intrinsics.Vector256<float> x, System.Runtime.Intrinsics.Vector256<float> y, System.Runtime.Intrinsics.Vector256<float> sum) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
