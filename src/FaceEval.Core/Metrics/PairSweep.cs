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
/// so splitting a run over processes does not change a single score either.
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
        Parallel.For(fromBlock, toBlock, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, init,
            (b, _, state) =>
            {
                var sink = sinkFor(state, b);
                Rows(ref sink, vectors.Span, dimension, ids, ok, n, b);
                blockDone(state, sink);
                return state;
            }, done);
    }

    /// <summary>Every pair whose first row lies in row block <paramref name="b"/>, each row's pairs in ascending j.</summary>
    // Compiled optimised at once: a one-shot run would otherwise spend its first second in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TSink>(ref TSink sink, ReadOnlySpan<float> all, int dimension, int[] ids, bool[] ok, int n, int b) where TSink : struct, IPairSink
    {
        int d = dimension;
        int i0 = b * Block, i1 = Math.Min(n, i0 + Block);
        Span<float> tile = stackalloc float[12];
        for (int j0 = i0; j0 < n; j0 += Block)
        {
            int j1 = Math.Min(n, j0 + Block);
            int i = i0;
            // Four rows at a time against three later rows: the four stay in L1 while the block of later rows streams past.
            for (; i + 4 <= i1; i += 4)
            {
                if (j0 == i0)
                {
                    // The pairs within the four rows.
                    for (int r = i; r < i + 3; r++)
                        for (int c = r + 1; c < i + 4; c++)
                            if (ok[r] && ok[c]) sink.Add(r, c, DotKernel.Dot(all.Slice(r * d, d), all.Slice(c * d, d)));
                }
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
                for (; j < j1; j++)
                {
                    if (!ok[j]) continue;
                    var other = all.Slice(j * d, d);
                    for (int r = 0; r < 4; r++) if (ok[i + r]) sink.Add(i + r, j, DotKernel.Dot(all.Slice((i + r) * d, d), other));
                }
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
}
