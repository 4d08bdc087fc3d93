using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

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
        var labels = IdentityIndex.Of(identities, out _);
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

        // The shared blocked loop (PairSweep): each row block writes its rows' scores into their own slices, in
        // ascending j, exactly where the offsets say.
        PairSweep.Run(vectors, dimension, ids, ok, 0, PairSweep.Blocks(n),
            () => 0,
            (_, b) =>
            {
                int i0 = b * PairSweep.Block, i1 = Math.Min(n, i0 + PairSweep.Block);
                var g = new long[i1 - i0];
                var m = new long[i1 - i0];
                for (int i = i0; i < i1; i++) { g[i - i0] = genuineOffset[i]; m[i - i0] = impostorOffset[i]; }
                return new SliceWriter(ids, i0, g, m, genuine, impostor);
            },
            (_, _) => { }, _ => { });
        return new PairScores(genuine, impostor, genuineFailures, impostorFailures);
    }

    /// <summary>Writes the score of (i, j) to row i's next genuine or impostor slot.</summary>
    private readonly struct SliceWriter(int[] ids, int i0, long[] g, long[] m, float[] genuine, float[] impostor) : IPairSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int i, int j, float score)
        {
            if (ids[j] == ids[i]) genuine[g[i - i0]++] = score; else impostor[m[i - i0]++] = score;
        }
    }
}
