using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceEval.Core.Identification;

/// <summary>
/// Dot products of four probes with two gallery entries: a 4 × 2 register block (AVX2 and FMA when present).
/// Each gallery load feeds four products, so a gallery tile streams from cache once per four probes.
/// </summary>
internal static class SearchKernel
{
    /// <param name="p0">Probe 0.</param>
    /// <param name="p1">Probe 1.</param>
    /// <param name="p2">Probe 2.</param>
    /// <param name="p3">Probe 3.</param>
    /// <param name="rows">Two entries of D numbers, one after the other.</param>
    /// <param name="result">Eight products: probe q with entry e at 2q + e.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4x2(ReadOnlySpan<float> p0, ReadOnlySpan<float> p1, ReadOnlySpan<float> p2, ReadOnlySpan<float> p3, ReadOnlySpan<float> rows, Span<float> result)
    {
        int d = p0.Length;
        if (p1.Length != d || p2.Length != d || p3.Length != d || rows.Length < 2 * d || result.Length < 8) throw new ArgumentException("Dot4x2 needs four probes of D numbers, two rows of D and room for eight results.");
        int k = 0;
        if (Vector256.IsHardwareAccelerated && d >= 8)
        {
            // Bounds were checked above; the loads stay within them (k + 8 <= d).
            ref float x0 = ref MemoryMarshal.GetReference(p0), x1 = ref MemoryMarshal.GetReference(p1);
            ref float x2 = ref MemoryMarshal.GetReference(p2), x3 = ref MemoryMarshal.GetReference(p3);
            ref float b = ref MemoryMarshal.GetReference(rows);
            nuint n1 = (nuint)d;
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
            for (; k + 8 <= d; k += 8)
            {
                nuint o = (nuint)k;
                var r0 = Vector256.LoadUnsafe(ref b, o);
                var r1 = Vector256.LoadUnsafe(ref b, o + n1);
                var u = Vector256.LoadUnsafe(ref x0, o);
                c00 = MultiplyAdd(u, r0, c00); c01 = MultiplyAdd(u, r1, c01);
                u = Vector256.LoadUnsafe(ref x1, o);
                c10 = MultiplyAdd(u, r0, c10); c11 = MultiplyAdd(u, r1, c11);
                u = Vector256.LoadUnsafe(ref x2, o);
                c20 = MultiplyAdd(u, r0, c20); c21 = MultiplyAdd(u, r1, c21);
                u = Vector256.LoadUnsafe(ref x3, o);
                c30 = MultiplyAdd(u, r0, c30); c31 = MultiplyAdd(u, r1, c31);
            }
            result[0] = Vector256.Sum(c00); result[1] = Vector256.Sum(c01); result[2] = Vector256.Sum(c10); result[3] = Vector256.Sum(c11);
            result[4] = Vector256.Sum(c20); result[5] = Vector256.Sum(c21); result[6] = Vector256.Sum(c30); result[7] = Vector256.Sum(c31);
        }
        else
        {
            result[..8].Clear();
        }
        for (; k < d; k++)
        {
            float e0 = rows[k], e1 = rows[d + k];
            result[0] += p0[k] * e0; result[1] += p0[k] * e1;
            result[2] += p1[k] * e0; result[3] += p1[k] * e1;
            result[4] += p2[k] * e0; result[5] += p2[k] * e1;
            result[6] += p3[k] * e0; result[7] += p3[k] * e1;
        }
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> sum) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
