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
/// the tiling cannot change a score. The widest tile (<see cref="Dot8x6"/>, where AVX-512 is there) keeps
/// that sequence too: each 512-bit register holds two products' 8-wide accumulators side by side.
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

    /// <summary>
    /// Whether <see cref="Dot8x6"/> runs on 512-bit vectors here: AVX-512 (F and DQ) that the runtime accelerates
    /// (it does not where 512-bit code would slow the core down). Elsewhere the sweep uses <see cref="Dot4x3"/>.
    /// </summary>
    public static bool HasWideTile => Avx512F.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated
        && Vector256.IsHardwareAccelerated && Fma.IsSupported; // the single kernel's FMA path, which the wide tiles reproduce

    /// <summary>The numbers of a row that packed pairs hold: D rounded down to a multiple of 8 (the rest is added one at a time).</summary>
    public static int PackedWidth(int dimension) => dimension & ~7;

    /// <summary>
    /// N rows of D numbers side by side in pairs for <see cref="Dot8x6"/>: pair p is rows 2p and 2p + 1 (zeros for
    /// the missing partner when N is odd), as 8 numbers of the one, the same 8 of the other, the next 8 of the one, ...,
    /// over the first <see cref="PackedWidth"/> numbers. One 512-bit load then brings the same 8 numbers of two rows.
    /// </summary>
    public static float[] PackPairs(ReadOnlySpan<float> rows, int n, int dimension)
    {
        int d = dimension, w = PackedWidth(d), pairs = (n + 1) / 2;
        if (rows.Length < (long)n * d) throw new ArgumentException("PackPairs needs N rows of D numbers.", nameof(rows));
        var packed = new float[(long)pairs * 2 * w];
        for (int row = 0; row < n; row++)
        {
            var from = rows.Slice(row * d, w);
            var to = packed.AsSpan((row >> 1) * 2 * w + 8 * (row & 1));
            for (int c = 0; c < w; c += 8) from.Slice(c, 8).CopyTo(to.Slice(2 * c, 8));
        }
        return packed;
    }

    /// <summary>
    /// The 48 products of eight consecutive rows with six consecutive ones: an 8 × 3 tile of 512-bit registers
    /// (24 accumulators, each two products' 8-wide accumulators). Each load of a packed pair feeds eight registers,
    /// each broadcast of 8 numbers of one of the eight feeds three.
    /// </summary>
    /// <param name="probes">The eight rows, D numbers each, one after the other.</param>
    /// <param name="packed">The six rows as three packed pairs (<see cref="PackPairs"/>): 6 × <see cref="PackedWidth"/> numbers.</param>
    /// <param name="rows">The same six rows unpacked, for the numbers past <see cref="PackedWidth"/>.</param>
    /// <param name="dimension">D.</param>
    /// <param name="result">48 products: row q of the eight with row e of the six at 6 q + e.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Dot8x6(ReadOnlySpan<float> probes, ReadOnlySpan<float> packed, ReadOnlySpan<float> rows, int dimension, Span<float> result)
    {
        int d = dimension, w = PackedWidth(d);
        if (probes.Length < 8 * d || packed.Length < 6 * w || rows.Length < 6 * d || result.Length < 48)
            throw new ArgumentException("Dot8x6 needs eight rows of D numbers, three packed pairs, the six rows and room for 48 results.");
        if (!HasWideTile)
        {
            OneAtATime(probes, rows, d, 6, result);
            return;
        }
        fixed (float* x = probes, b = packed)
        {
            nuint n1 = (nuint)d, pair = 2 * (nuint)w;
            Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
            Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
            Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
            Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
            for (nuint k = 0; k < (nuint)w; k += 8)
            {
                float* r = b + 2 * k;
                var r0 = Avx512F.LoadVector512(r);
                var r1 = Avx512F.LoadVector512(r + pair);
                var r2 = Avx512F.LoadVector512(r + 2 * pair);
                float* u = x + k;
                var v = Avx512DQ.BroadcastVector256ToVector512(u);
                c00 = Avx512F.FusedMultiplyAdd(v, r0, c00); c01 = Avx512F.FusedMultiplyAdd(v, r1, c01); c02 = Avx512F.FusedMultiplyAdd(v, r2, c02);
                v = Avx512DQ.BroadcastVector256ToVector512(u + n1);
                c10 = Avx512F.FusedMultiplyAdd(v, r0, c10); c11 = Avx512F.FusedMultiplyAdd(v, r1, c11); c12 = Avx512F.FusedMultiplyAdd(v, r2, c12);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 2 * n1);
                c20 = Avx512F.FusedMultiplyAdd(v, r0, c20); c21 = Avx512F.FusedMultiplyAdd(v, r1, c21); c22 = Avx512F.FusedMultiplyAdd(v, r2, c22);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 3 * n1);
                c30 = Avx512F.FusedMultiplyAdd(v, r0, c30); c31 = Avx512F.FusedMultiplyAdd(v, r1, c31); c32 = Avx512F.FusedMultiplyAdd(v, r2, c32);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 4 * n1);
                c40 = Avx512F.FusedMultiplyAdd(v, r0, c40); c41 = Avx512F.FusedMultiplyAdd(v, r1, c41); c42 = Avx512F.FusedMultiplyAdd(v, r2, c42);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 5 * n1);
                c50 = Avx512F.FusedMultiplyAdd(v, r0, c50); c51 = Avx512F.FusedMultiplyAdd(v, r1, c51); c52 = Avx512F.FusedMultiplyAdd(v, r2, c52);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 6 * n1);
                c60 = Avx512F.FusedMultiplyAdd(v, r0, c60); c61 = Avx512F.FusedMultiplyAdd(v, r1, c61); c62 = Avx512F.FusedMultiplyAdd(v, r2, c62);
                v = Avx512DQ.BroadcastVector256ToVector512(u + 7 * n1);
                c70 = Avx512F.FusedMultiplyAdd(v, r0, c70); c71 = Avx512F.FusedMultiplyAdd(v, r1, c71); c72 = Avx512F.FusedMultiplyAdd(v, r2, c72);
            }
            Sums(c00, c01, c02, result); Sums(c10, c11, c12, result[6..]); Sums(c20, c21, c22, result[12..]); Sums(c30, c31, c32, result[18..]);
            Sums(c40, c41, c42, result[24..]); Sums(c50, c51, c52, result[30..]); Sums(c60, c61, c62, result[36..]); Sums(c70, c71, c72, result[42..]);
        }
        AddTail(probes, rows, d, 6, result);
    }

    /// <summary>
    /// The 16 products of eight consecutive rows with one packed pair: the <see cref="Dot8x6"/> tile one pair
    /// wide, for the rows a run of six leaves over (otherwise one product at a time, several times slower).
    /// </summary>
    /// <param name="probes">The eight rows, D numbers each, one after the other.</param>
    /// <param name="packed">The pair, packed (<see cref="PackPairs"/>): 2 × <see cref="PackedWidth"/> numbers.</param>
    /// <param name="rows">The same two rows unpacked, for the numbers past <see cref="PackedWidth"/>.</param>
    /// <param name="dimension">D.</param>
    /// <param name="result">16 products: row q of the eight with row e of the two at 2 q + e.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Dot8x2(ReadOnlySpan<float> probes, ReadOnlySpan<float> packed, ReadOnlySpan<float> rows, int dimension, Span<float> result)
    {
        int d = dimension, w = PackedWidth(d);
        if (probes.Length < 8 * d || packed.Length < 2 * w || rows.Length < 2 * d || result.Length < 16)
            throw new ArgumentException("Dot8x2 needs eight rows of D numbers, a packed pair, its two rows and room for 16 results.");
        if (!HasWideTile)
        {
            OneAtATime(probes, rows, d, 2, result);
            return;
        }
        fixed (float* x = probes, b = packed)
        {
            nuint n1 = (nuint)d;
            Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (nuint k = 0; k < (nuint)w; k += 8)
            {
                var r = Avx512F.LoadVector512(b + 2 * k);
                float* u = x + k;
                c0 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u), r, c0);
                c1 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + n1), r, c1);
                c2 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 2 * n1), r, c2);
                c3 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 3 * n1), r, c3);
                c4 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 4 * n1), r, c4);
                c5 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 5 * n1), r, c5);
                c6 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 6 * n1), r, c6);
                c7 = Avx512F.FusedMultiplyAdd(Avx512DQ.BroadcastVector256ToVector512(u + 7 * n1), r, c7);
            }
            Sums(c0, result); Sums(c1, result[2..]); Sums(c2, result[4..]); Sums(c3, result[6..]);
            Sums(c4, result[8..]); Sums(c5, result[10..]); Sums(c6, result[12..]); Sums(c7, result[14..]);
        }
        AddTail(probes, rows, d, 2, result);
    }

    /// <summary>Without AVX-512: each of a tile's products by the single kernel.</summary>
    private static void OneAtATime(ReadOnlySpan<float> probes, ReadOnlySpan<float> rows, int d, int columns, Span<float> result)
    {
        for (int q = 0; q < 8; q++)
            for (int e = 0; e < columns; e++) result[columns * q + e] = Dot(probes.Slice(q * d, d), rows.Slice(e * d, d));
    }

    /// <summary>A wide tile's numbers past <see cref="PackedWidth"/>, added one at a time in order, as the single kernel adds them.</summary>
    private static void AddTail(ReadOnlySpan<float> probes, ReadOnlySpan<float> rows, int d, int columns, Span<float> result)
    {
        for (int k = PackedWidth(d); k < d; k++)
            for (int q = 0; q < 8; q++)
            {
                float p = probes[q * d + k];
                for (int e = 0; e < columns; e++) result[columns * q + e] += p * rows[e * d + k];
            }
    }

    /// <summary>A register's two halves: two products' accumulators.</summary>
    private static void Sums(Vector512<float> a, Span<float> two)
    {
        two[0] = Vector256.Sum(a.GetLower()); two[1] = Vector256.Sum(a.GetUpper());
    }

    /// <summary>One probe's six sums: each register's two halves are two products' accumulators.</summary>
    private static void Sums(Vector512<float> a, Vector512<float> b, Vector512<float> c, Span<float> six)
    {
        six[0] = Vector256.Sum(a.GetLower()); six[1] = Vector256.Sum(a.GetUpper());
        six[2] = Vector256.Sum(b.GetLower()); six[3] = Vector256.Sum(b.GetUpper());
        six[4] = Vector256.Sum(c.GetLower()); six[5] = Vector256.Sum(c.GetUpper());
    }

    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> sum) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, sum) : sum + x * y;
}
