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
    /// The 12 products of four consecutive vectors with three consecutive ones: a 4 × 3 register tile (12
    /// accumulators, each load of a vector feeding three or four products).
    /// </summary>
    /// <param name="a">Four vectors of <paramref name="d"/> numbers, one after the other.</param>
    /// <param name="b">Three vectors of <paramref name="d"/> numbers, one after the other.</param>
    /// <param name="d">The dimension.</param>
    /// <param name="result">Twelve products: a[r] with b[c] at 3 r + c.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x3(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int d, Span<float> result)
    {
        if (d <= 0 || a.Length < 4 * d || b.Length < 3 * d || result.Length < 12) throw new ArgumentException("Dot4x3 needs four vectors of D numbers, three of D and room for twelve results.");
        int k = 0;
        result[..12].Clear();
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            // Bounds were checked above; the loads below stay within them (k + 8 <= d).
            ref float x = ref MemoryMarshal.GetReference(a), y = ref MemoryMarshal.GetReference(b);
            nuint n1 = (nuint)d, n2 = 2 * n1, n3 = 3 * n1;
            Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default,
                c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
            for (; k + 8 <= d; k += 8)
            {
                nuint o = (nuint)k;
                var b0 = Vector256.LoadUnsafe(ref y, o);
                var b1 = Vector256.LoadUnsafe(ref y, o + n1);
                var b2 = Vector256.LoadUnsafe(ref y, o + n2);
                var r = Vector256.LoadUnsafe(ref x, o);
                c00 = MultiplyAdd(r, b0, c00); c01 = MultiplyAdd(r, b1, c01); c02 = MultiplyAdd(r, b2, c02);
                r = Vector256.LoadUnsafe(ref x, o + n1);
                c10 = MultiplyAdd(r, b0, c10); c11 = MultiplyAdd(r, b1, c11); c12 = MultiplyAdd(r, b2, c12);
                r = Vector256.LoadUnsafe(ref x, o + n2);
                c20 = MultiplyAdd(r, b0, c20); c21 = MultiplyAdd(r, b1, c21); c22 = MultiplyAdd(r, b2, c22);
                r = Vector256.LoadUnsafe(ref x, o + n3);
                c30 = MultiplyAdd(r, b0, c30); c31 = MultiplyAdd(r, b1, c31); c32 = MultiplyAdd(r, b2, c32);
            }
            result[0] = Vector256.Sum(c00); result[1] = Vector256.Sum(c01); result[2] = Vector256.Sum(c02);
            result[3] = Vector256.Sum(c10); result[4] = Vector256.Sum(c11); result[5] = Vector256.Sum(c12);
            result[6] = Vector256.Sum(c20); result[7] = Vector256.Sum(c21); result[8] = Vector256.Sum(c22);
            result[9] = Vector256.Sum(c30); result[10] = Vector256.Sum(c31); result[11] = Vector256.Sum(c32);
        }
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 3; c++)
            {
                float sum = result[3 * r + c];
                for (int q = k; q < d; q++) sum += a[r * d + q] * b[c * d + q];
                result[3 * r + c] = sum;
            }
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> sum) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
