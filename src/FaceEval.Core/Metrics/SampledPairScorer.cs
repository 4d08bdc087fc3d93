using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceEval.Core.Metrics;

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

/// <summary>Dot products of two vectors with four consecutive ones: a 2 x 4 register block (AVX2 and FMA when present).</summary>
internal static class DotKernel
{
    /// <param name="a0">The first vector, D numbers.</param>
    /// <param name="a1">The second vector, D numbers.</param>
    /// <param name="rows">Four vectors of D numbers, one after the other.</param>
    /// <param name="result">Eight dot products: a0 with the four rows, then a1 with the four rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot2x4(ReadOnlySpan<float> a0, ReadOnlySpan<float> a1, ReadOnlySpan<float> rows, Span<float> result)
    {
        int d = a0.Length;
        if (a1.Length != d || rows.Length < 4 * d || result.Length < 8) throw new ArgumentException("Dot2x4 needs two vectors of D numbers, four rows of D and room for eight results.");
        int k = 0;
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            // Bounds were checked above; the loads below stay within them (k + 8 <= d).
            ref float x0 = ref MemoryMarshal.GetReference(a0), x1 = ref MemoryMarshal.GetReference(a1);
            ref float b = ref MemoryMarshal.GetReference(rows);
            nuint n1 = (nuint)d, n2 = 2 * n1, n3 = 3 * n1;
            Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
            for (; k + 8 <= d; k += 8)
            {
                nuint o = (nuint)k;
                var u = Vector256.LoadUnsafe(ref x0, o);
                var v = Vector256.LoadUnsafe(ref x1, o);
                var r0 = Vector256.LoadUnsafe(ref b, o);
                var r1 = Vector256.LoadUnsafe(ref b, o + n1);
                var r2 = Vector256.LoadUnsafe(ref b, o + n2);
                var r3 = Vector256.LoadUnsafe(ref b, o + n3);
                c00 = MultiplyAdd(u, r0, c00); c01 = MultiplyAdd(u, r1, c01); c02 = MultiplyAdd(u, r2, c02); c03 = MultiplyAdd(u, r3, c03);
                c10 = MultiplyAdd(v, r0, c10); c11 = MultiplyAdd(v, r1, c11); c12 = MultiplyAdd(v, r2, c12); c13 = MultiplyAdd(v, r3, c13);
            }
            result[0] = Vector256.Sum(c00); result[1] = Vector256.Sum(c01); result[2] = Vector256.Sum(c02); result[3] = Vector256.Sum(c03);
            result[4] = Vector256.Sum(c10); result[5] = Vector256.Sum(c11); result[6] = Vector256.Sum(c12); result[7] = Vector256.Sum(c13);
        }
        else
        {
            result[..8].Clear();
        }
        for (; k < d; k++)
            for (int q = 0; q < 4; q++)
            {
                result[q] += a0[k] * rows[q * d + k];
                result[4 + q] += a1[k] * rows[q * d + k];
            }
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> sum) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
