using System.Numerics.Tensors;
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
/// here, so a pair gets bit for bit the same score on both: which kernel computes a product (the 2 × 4
/// register tile or a single dot product) depends only on the row block and on which rows are enrolled,
/// never on what is done with the score. A pair block (<see cref="CountingPairScorer.BlockRange"/>) is a range of row blocks,
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

    /// <summary>Every pair whose first row lies in row block <paramref name="b"/>.</summary>
    // Compiled optimised at once: a one-shot run would otherwise spend its first second in tier-0 code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<TSink>(ref TSink sink, ReadOnlySpan<float> all, int dimension, int[] ids, bool[] ok, int n, int b) where TSink : struct, IPairSink
    {
        int i0 = b * Block, i1 = Math.Min(n, i0 + Block);
        Span<float> eight = stackalloc float[8];
        for (int j0 = i0; j0 < n; j0 += Block)
        {
            int j1 = Math.Min(n, j0 + Block);
            for (int i = i0; i < i1; i++)
            {
                if (!ok[i]) continue;
                var row = all.Slice(i * dimension, dimension);
                int j = Math.Max(j0, i + 1);
                if (i + 1 < i1 && ok[i + 1])
                {
                    // Rows i and i + 1 together against four later rows: each load feeds two products
                    // and each load of a later row feeds two. Row i first takes its pair with i + 1.
                    if (j == i + 1 && j < j1) sink.Add(i, j, TensorPrimitives.Dot(row, all.Slice(j * dimension, dimension)));
                    j = Math.Max(j0, i + 2);
                    var next = all.Slice((i + 1) * dimension, dimension);
                    for (; j + 4 <= j1; j += 4)
                    {
                        DotKernel.Dot2x4(row, next, all.Slice(j * dimension, 4 * dimension), eight);
                        for (int q = 0; q < 4; q++) if (ok[j + q]) sink.Add(i, j + q, eight[q]);
                        for (int q = 0; q < 4; q++) if (ok[j + q]) sink.Add(i + 1, j + q, eight[4 + q]);
                    }
                    for (; j < j1; j++)
                    {
                        var other = all.Slice(j * dimension, dimension);
                        float first = TensorPrimitives.Dot(row, other), second = TensorPrimitives.Dot(next, other);
                        if (ok[j]) { sink.Add(i, j, first); sink.Add(i + 1, j, second); }
                    }
                    i++; // row i + 1 is done for this block of columns
                    continue;
                }
                for (; j < j1; j++)
                    if (ok[j]) sink.Add(i, j, TensorPrimitives.Dot(row, all.Slice(j * dimension, dimension)));
            }
        }
    }
}
