using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Sorts floats ascending with an LSD radix sort (three passes of 11 bits over the bits mapped to an
/// order-preserving unsigned key), each pass split over the cores. On the tens of millions of scores of
/// an all-pairs evaluation it is several times faster than <see cref="Array.Sort{T}(T[])"/>, at the cost
/// of one buffer of the same size. NaN must not occur (callers validate first); -0 sorts before +0, which
/// compare equal anyway.
/// </summary>
public static class FloatSort
{
    private const int SmallArray = 1 << 16;
    private const int Digits = 2048;

    public static void Sort(float[] values)
    {
        if (values.Length < SmallArray) { Array.Sort(values); return; }
        int n = values.Length;
        var buffer = GC.AllocateUninitializedArray<uint>(n); // every element is written before it is read
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, n / SmallArray));
        int chunkSize = (n + chunks - 1) / chunks;
        // The floats' own memory holds the keys between passes: one extra buffer in all.
        Span<uint> View(bool inValues) => inValues ? MemoryMarshal.Cast<float, uint>(values.AsSpan()) : buffer.AsSpan();
        (int From, int To) Chunk(int c) => (c * chunkSize, Math.Min(n, (c + 1) * chunkSize));

        // The read that maps the floats to keys also counts the first digit of every chunk. Offsets are
        // laid out digit by digit, chunk by chunk, so the sort stays stable. (Later digits are counted per
        // pass: a chunk of a later pass holds different keys than the same chunk of the input.)
        var counts = new int[chunks][];
        Parallel.For(0, chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            var keys = View(true);
            var local = counts[c] = new int[Digits];
            var (from, to) = Chunk(c);
            for (int i = from; i < to; i++)
            {
                uint bits = keys[i];
                uint k = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
                keys[i] = k;
                local[k & 0x7FF]++;
            }
        });

        bool sourceInValues = true;
        for (int pass = 0; pass < 3; pass++)
        {
            int shift = 11 * pass;
            bool fromValues = sourceInValues;
            if (pass > 0)
                Parallel.For(0, chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
                {
                    var src = View(fromValues);
                    var local = counts[c];
                    Array.Clear(local);
                    var (from, to) = Chunk(c);
                    for (int i = from; i < to; i++) local[(src[i] >> shift) & 0x7FF]++;
                });
            var offsets = new int[chunks][];
            for (int c = 0; c < chunks; c++) offsets[c] = new int[Digits];
            int running = 0;
            for (int d = 0; d < Digits; d++)
                for (int c = 0; c < chunks; c++) { offsets[c][d] = running; running += counts[c][d]; }
            Parallel.For(0, chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
            {
                var src = View(fromValues);
                var dst = View(!fromValues);
                var at = offsets[c];
                var (from, to) = Chunk(c);
                for (int i = from; i < to; i++) { uint k = src[i]; dst[at[(k >> shift) & 0x7FF]++] = k; }
            });
            sourceInValues = !sourceInValues;
        }

        // Three passes leave the sorted keys in the buffer: map them back into the floats.
        Parallel.For(0, chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            var keys = View(true);
            var (from, to) = Chunk(c);
            for (int i = from; i < to; i++)
            {
                uint k = buffer[i];
                keys[i] = (k & 0x8000_0000u) != 0 ? k & 0x7FFF_FFFFu : ~k;
            }
        });
    }
}
