using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceEval.Core.Metrics;

/// <summary>
/// The dot products of the all-pairs sweep (<see cref="PairSweep"/>). Every product, alone or in a tile, is
/// the same sequence of operations: one 8-wide accumulator of fused multiply-adds over the dimensions in
/// order (AVX2 and FMA when present), its lanes summed, then the dimensions past the last multiple of 8
/// added one at a time. So a pair's score does not depend on which kernel or tile computed it, and changing
/// the tiling cannot change a score.
/// </summary>
internal static class DotKernel
{
    /// <summary>One product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int d = a.Length;
        if (b.Length != d) throw new ArgumentException("Dot needs two vectors of D numbers.");
        int k = 0;
        float result = 0;
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            ref float x = ref MemoryMarshal.GetReference(a), y = ref MemoryMarshal.GetReference(b);
            var c = Vector256<float>.Zero;
            for (; k + 8 <= d; k += 8) c = MultiplyAdd(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref y, (nuint)k), c);
            result = Vector256.Sum(c);
        }
        for (; k < d; k++) result += a[k] * b[k];
        return result;
    }

    /// <summary>
    /// The 12 products of four vectors with three consecutive ones: a 4 × 3 register tile (12 accumulators;
    /// each load of one of the three feeds four products, each load of one of the four feeds three). The
    /// sweep passes four of its rows, the 1:N search four probes against three gallery entries.
    /// </summary>
    /// <param name="p0">Vector 0 of the four, D numbers.</param>
    /// <param name="p1">Vector 1.</param>
    /// <param name="p2">Vector 2.</param>
    /// <param name="p3">Vector 3.</param>
    /// <param name="rows">The three, D numbers each, one after the other.</param>
    /// <param name="result">Twelve products: vector q with row e at 3 q + e.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x3(ReadOnlySpan<float> p0, ReadOnlySpan<float> p1, ReadOnlySpan<float> p2, ReadOnlySpan<float> p3, ReadOnlySpan<float> rows, Span<float> result)
    {
        int d = p0.Length;
        if (p1.Length != d || p2.Length != d || p3.Length != d || rows.Length < 3 * d || result.Length < 12) throw new ArgumentException("Dot4x3 needs four vectors of D numbers, three rows of D and room for twelve results.");
        int k = 0;
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            ref float x0 = ref MemoryMarshal.GetReference(p0), x1 = ref MemoryMarshal.GetReference(p1);
            ref float x2 = ref MemoryMarshal.GetReference(p2), x3 = ref MemoryMarshal.GetReference(p3);
            ref float b = ref MemoryMarshal.GetReference(rows);
            nuint n1 = (nuint)d, n2 = 2 * n1;
            Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
            Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
            for (; k + 8 <= d; k += 8)
            {
                nuint o = (nuint)k;
                var r0 = Vector256.LoadUnsafe(ref b, o);
                var r1 = Vector256.LoadUnsafe(ref b, o + n1);
                var r2 = Vector256.LoadUnsafe(ref b, o + n2);
                var u = Vector256.LoadUnsafe(ref x0, o);
                c00 = MultiplyAdd(u, r0, c00); c01 = MultiplyAdd(u, r1, c01); c02 = MultiplyAdd(u, r2, c02);
                u = Vector256.LoadUnsafe(ref x1, o);
                c10 = MultiplyAdd(u, r0, c10); c11 = MultiplyAdd(u, r1, c11); c12 = MultiplyAdd(u, r2, c12);
                u = Vector256.LoadUnsafe(ref x2, o);
                c20 = MultiplyAdd(u, r0, c20); c21 = MultiplyAdd(u, r1, c21); c22 = MultiplyAdd(u, r2, c22);
                u = Vector256.LoadUnsafe(ref x3, o);
                c30 = MultiplyAdd(u, r0, c30); c31 = MultiplyAdd(u, r1, c31); c32 = MultiplyAdd(u, r2, c32);
            }
            result[0] = Vector256.Sum(c00); result[1] = Vector256.Sum(c01); result[2] = Vector256.Sum(c02);
            result[3] = Vector256.Sum(c10); result[4] = Vector256.Sum(c11); result[5] = Vector256.Sum(c12);
            result[6] = Vector256.Sum(c20); result[7] = Vector256.Sum(c21); result[8] = Vector256.Sum(c22);
            result[9] = Vector256.Sum(c30); result[10] = Vector256.Sum(c31); result[11] = Vector256.Sum(c32);
        }
        else
        {
            result[..12].Clear();
        }
        for (; k < d; k++)
            for (int e = 0; e < 3; e++)
            {
                float v = rows[e * d + k];
                result[e] += p0[k] * v; result[3 + e] += p1[k] * v; result[6 + e] += p2[k] * v; result[9 + e] += p3[k] * v;
            }
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> sum) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
