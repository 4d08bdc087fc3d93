namespace FaceEval.Core.Metrics;

/// <summary>One chunk of a score list: its scores and the place of the first in the list.</summary>
internal delegate TState ChunkVisitor<TState>(ReadOnlySpan<float> chunk, long first, TState state);

/// <summary>
/// A parallel pass over a list of scores (kept impostor scores, genuine lists) in chunks of 2^20, with one
/// state per worker thread handed to a merge step one at a time: the scaffold the refinement pass and the
/// k-fold scans share.
/// </summary>
internal static class ScoreChunks
{
    /// <summary>Scores per chunk.</summary>
    public const int Size = 1 << 20;

    /// <param name="scores">The list.</param>
    /// <param name="init">A worker thread's fresh state.</param>
    /// <param name="visit">Visits one chunk with the worker's state and returns it.</param>
    /// <param name="merge">Called once per worker state at the end, under a lock.</param>
    /// <param name="cancellation">Stops the pass.</param>
    public static void Run<TState>(ReadOnlyMemory<float> scores, Func<TState> init, ChunkVisitor<TState> visit, Action<TState> merge, CancellationToken cancellation)
    {
        var gate = new object();
        int chunks = (int)(((long)scores.Length + Size - 1) / Size);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, init,
            (c, _, state) => visit(scores.Span.Slice(c * Size, Math.Min(Size, scores.Length - c * Size)), (long)c * Size, state),
            state => { lock (gate) merge(state); });
    }
}
