using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>Receives the scores of one block of rows (see <see cref="PairSweep"/>): pair (i, j), i &lt; j, both enrolled.</summary>
internal interface IPairSink
{
    void Add(int i, int j, float score);
}

/// <summary>
/// The one loop that scores all pairs i &lt; j of N embeddings (dot products, never re-normalised), in
/// cache-sized blocks of <see cref="Block"/> rows on every core. Both the sorted path
/// (<see cref="PairScorer"/>) and the counting path (<see cref="CountingPairScorer"/>) score through
/// here, so a pair gets bit for bit the same score on both; and every product is the same sequence of
/// operations whichever kernel computes it (<see cref="DotKernel"/>), so not even the tiling changes a score. A pair block (<see cref="CountingPairScorer.BlockRange"/>) is a range of row blocks,
/// so splitting a run over processes does not change a single score either. Where AVX-512 is there
/// (<see cref="DotKernel.HasWideTile"/>) the sweep first packs the rows in pairs (<see cref="DotKernel.PackPairs"/>:
/// a second copy of the vectors, N × D × 4 bytes, for the length of the sweep) and scores eight rows against
/// six at a time, about twice as fast as the 4 × 3 tile on this project's machine.
/// </summary>
internal static class PairSweep
{
    /// <summary>Rows per block: a block stays in cache while every later block streams past it once.</summary>
    public const int Block = 64;

    /// <summary>Row blocks of N rows.</summary>
    public static int Blocks(int n) => (n + Block - 1) / Block;

    /// <summary>
    /// Scores every pair whose first row lies in row blocks [<paramref name="fromBlock"/>, <paramref name="toBlock"/>).
    /// Each worker thread gets its own state from <paramref name="init"/> (handed to <paramref name="done"/>
    /// once at the end, one thread at a time is NOT guaranteed: <paramref name="done"/> must lock), and each
    /// row block a sink from <paramref name="sinkFor"/>.
    /// </summary>
    public static void Run<TState, TSink>(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, int fromBlock, int toBlock,
        Func<TState> init, Func<TState, int, TSink> sinkFor, Action<TState, TSink> blockDone, Action<TState> done, CancellationToken cancellation = default)
        where TSink : struct, IPairSink
    {
        int n = ids.Length;
        if (fromBlock >= toBlock) return;
        // Rows from the first block's on are the only ones a pair of these blocks reads.
        int first = Math.Min(n, fromBlock * Block);
        float[]? packed = DotKernel.HasWideTile && dimension >= 8 && n - first >= 8
            ? DotKernel.PackPairs(vectors.Span[(first * dimension)..], n - first, dimension) : null;
        Parallel.For(fromBlock, toBlock, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, init,
            (b, _, state) =>
            {
                var sink = sinkFor(state, b);
                Rows(ref sink, vectors.Span, packed, first, dimension, ids, ok, n, b);
                blockDone(state, sink);
                return state;
            }, done);
    }

    /// <summary>Every pair whose first row lies in row block <paramref name="b"/>, each row's pairs in ascending j.</summary>
    // Compiled optimised at once: a one-shot run would otherwise spend its first second in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TSink>(ref TSink sink, ReadOnlySpan<float> all, float[]? packed, int first, int dimension, int[] ids, bool[] ok, int n, int b) where TSink : struct, IPairSink
    {
        int d = dimension;
        int i0 = b * Block, i1 = Math.Min(n, i0 + Block);
        Span<float> tile = stackalloc float[12];
        Span<float> wide = stackalloc float[48];
        Span<float> pair = stackalloc float[16];
        int w = DotKernel.PackedWidth(d);
        for (int j0 = i0; j0 < n; j0 += Block)
        {
            int j1 = Math.Min(n, j0 + Block);
            int i = i0;
            // Where AVX-512 is there: eight rows at a time against six later rows (three packed pairs), then
            // against the pairs a run of six leaves over.
            for (; packed is not null && i + 8 <= i1; i += 8)
            {
                if (j0 == i0) AmongThemselves(ref sink, all, d, ok, i, 8);
                var probes = all.Slice(i * d, 8 * d);
                int j = Math.Max(j0, i + 8);
                // A packed pair starts at an even row counted from the first packed one.
                if (((j - first) & 1) != 0 && j < j1) { Against(ref sink, all, d, ok, i, 8, j); j++; }
                for (; j + 6 <= j1; j += 6)
                {
                    DotKernel.Dot8x6(probes, packed.AsSpan((j - first) / 2 * 2 * w, 6 * w), all.Slice(j * d, 6 * d), d, wide);
                    for (int q = 0; q < 8; q++)
                    {
                        if (!ok[i + q]) continue;
                        for (int e = 0; e < 6; e++) if (ok[j + e]) sink.Add(i + q, j + e, wide[6 * q + e]);
                    }
                }
                for (; j + 2 <= j1; j += 2)
                {
                    DotKernel.Dot8x2(probes, packed.AsSpan((j - first) / 2 * 2 * w, 2 * w), all.Slice(j * d, 2 * d), d, pair);
                    for (int q = 0; q < 8; q++)
                    {
                        if (!ok[i + q]) continue;
                        if (ok[j]) sink.Add(i + q, j, pair[2 * q]);
                        if (ok[j + 1]) sink.Add(i + q, j + 1, pair[2 * q + 1]);
                    }
                }
                for (; j < j1; j++) Against(ref sink, all, d, ok, i, 8, j);
            }
            // Four rows at a time against three later rows: the four stay in L1 while the block of later rows streams past.
            for (; i + 4 <= i1; i += 4)
            {
                if (j0 == i0) AmongThemselves(ref sink, all, d, ok, i, 4);
                ReadOnlySpan<float> a0 = all.Slice(i * d, d), a1 = all.Slice((i + 1) * d, d), a2 = all.Slice((i + 2) * d, d), a3 = all.Slice((i + 3) * d, d);
                int j = Math.Max(j0, i + 4);
                for (; j + 3 <= j1; j += 3)
                {
                    DotKernel.Dot4x3(a0, a1, a2, a3, all.Slice(j * d, 3 * d), tile);
                    for (int r = 0; r < 4; r++)
                    {
                        if (!ok[i + r]) continue;
                        for (int c = 0; c < 3; c++) if (ok[j + c]) sink.Add(i + r, j + c, tile[3 * r + c]);
                    }
                }
                for (; j < j1; j++) Against(ref sink, all, d, ok, i, 4, j);
            }
            // The last rows of a short last block, one at a time.
            for (; i < i1; i++)
            {
                if (!ok[i]) continue;
                var row = all.Slice(i * d, d);
                for (int j = Math.Max(j0, i + 1); j < j1; j++)
                    if (ok[j]) sink.Add(i, j, DotKernel.Dot(row, all.Slice(j * d, d)));
            }
        }
    }

    /// <summary>The pairs among rows i .. i + count - 1, one product at a time, each row's in ascending order.</summary>
    private static void AmongThemselves<TSink>(ref TSink sink, ReadOnlySpan<float> all, int d, bool[] ok, int i, int count) where TSink : struct, IPairSink
    {
        for (int r = i; r < i + count - 1; r++)
            for (int c = r + 1; c < i + count; c++)
                if (ok[r] && ok[c]) sink.Add(r, c, DotKernel.Dot(all.Slice(r * d, d), all.Slice(c * d, d)));
    }

    /// <summary>Row j against rows i .. i + count - 1, one product at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Against<TSink>(ref TSink sink, ReadOnlySpan<float> all, int d, bool[] ok, int i, int count, int j) where TSink : struct, IPairSink
    {
        if (!ok[j]) return;
        var other = all.Slice(j * d, d);
        for (int r = 0; r < count; r++) if (ok[i + r]) sink.Add(i + r, j, DotKernel.Dot(all.Slice((i + r) * d, d), other));
    }
}
