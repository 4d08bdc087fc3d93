using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Identification;

/// <summary>
/// Searches every probe in a gallery (dot products of the vectors as returned, SIMD, on every core) and keeps,
/// per search, only what the 1:N metrics need (<see cref="SearchOutcomes"/>). Probes go in blocks: a block's
/// scores against the whole gallery are one buffer per worker (block × gallery), reduced at once, so memory
/// stays linear in probes + gallery whatever their product.
/// </summary>
public static class SearchScorer
{
    /// <summary>Probes per block.</summary>
    private const int Block = 32;
    /// <summary>Gallery entries per tile: a tile stays in cache while the block's probes pass over it.</summary>
    private const int Tile = 128;
    /// <summary>Best scores kept per non-mated search.</summary>
    public const int DefaultTopK = 16;

    /// <summary>Searches the probes whose <see cref="ProbeSet.MateClass"/> is not −2.</summary>
    public static SearchOutcomes Search(GalleryMatrix gallery, ProbeSet probes, int topK = DefaultTopK, CancellationToken cancellation = default)
    {
        int d = gallery.Dimension, k = gallery.Classes, n = probes.Count;
        if (probes.Vectors.Length != (long)n * d) throw new ArgumentException($"Expected {n} x {d} probe numbers, got {probes.Vectors.Length}.", nameof(probes));
        var mated = new List<int>();
        var nonMated = new List<int>();
        for (int p = 0; p < n; p++)
        {
            if (probes.MateClass[p] >= 0) mated.Add(p);
            else if (probes.MateClass[p] == -1) nonMated.Add(p);
        }
        var order = mated.Concat(nonMated).Where(p => probes.Enrolled[p]).ToArray();
        var mate = new float[n];
        var above = new int[n];
        var bestOther = new float[n];
        var top = new float[(long)nonMated.Count * topK];
        Array.Fill(top, float.NegativeInfinity);
        var topRow = new int[n];
        for (int i = 0; i < nonMated.Count; i++) topRow[nonMated[i]] = i;
        for (int p = 0; p < n; p++) { mate[p] = float.NegativeInfinity; bestOther[p] = float.NegativeInfinity; }

        int blocks = (order.Length + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation },
            () => (Scores: new float[Block * gallery.Entries], Classes: new float[k]),
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b, _, buffers) =>
            {
                int b0 = b * Block, b1 = Math.Min(order.Length, b0 + Block);
                ScoreBlock(gallery, probes.Vectors, order, b0, b1, buffers.Scores);
                for (int i = b0; i < b1; i++)
                {
                    int p = order[i];
                    var row = ClassScores(gallery, buffers.Scores.AsSpan((i - b0) * gallery.Entries, gallery.Entries), buffers.Classes);
                    int c = probes.MateClass[p];
                    if (c >= 0)
                    {
                        float m = row[c];
                        int count = 0;
                        float best = float.NegativeInfinity;
                        for (int j = 0; j < row.Length; j++)
                        {
                            if (j == c) continue;
                            float s = row[j];
                            if (s >= m) count++;
                            if (s > best) best = s;
                        }
                        mate[p] = m; above[p] = count; bestOther[p] = best;
                    }
                    else
                    {
                        var kept = top.AsSpan(topRow[p] * topK, topK);
                        float max = float.NegativeInfinity;
                        for (int j = 0; j < row.Length; j++)
                        {
                            float s = row[j];
                            if (s > max) max = s;
                            if (s > kept[topK - 1]) Insert(kept, s);
                        }
                        bestOther[p] = max;
                    }
                }
                return buffers;
            },
            _ => { });

        return new SearchOutcomes
        {
            GalleryEntries = k,
            MateScore = mated.Select(p => mate[p]).ToArray(),
            OthersAtOrAbove = mated.Select(p => above[p]).ToArray(),
            BestOther = mated.Select(p => bestOther[p]).ToArray(),
            MatedIdentity = mated.Select(p => probes.Identity[p]).ToArray(),
            NonMatedMax = nonMated.Select(p => bestOther[p]).ToArray(),
            NonMatedIdentity = nonMated.Select(p => probes.Identity[p]).ToArray(),
            NonMatedTop = top,
            TopK = topK,
            CountAtOrAbove = (searches, thresholds) => Count(gallery, probes, nonMated, searches, thresholds),
        };
    }

    /// <summary>Inserts <paramref name="s"/> into a descending list, dropping its last element.</summary>
    private static void Insert(Span<float> kept, float s)
    {
        int i = kept.Length - 1;
        while (i > 0 && kept[i - 1] < s) { kept[i] = kept[i - 1]; i--; }
        kept[i] = s;
    }

    /// <summary>Per identity, its score: the entry's own with one template per identity, else its best entry.</summary>
    private static ReadOnlySpan<float> ClassScores(GalleryMatrix gallery, ReadOnlySpan<float> entries, float[] classes)
    {
        if (gallery.OnePerClass) return entries;
        Array.Fill(classes, float.NegativeInfinity);
        var cls = gallery.EntryClass;
        for (int j = 0; j < entries.Length; j++)
            if (entries[j] > classes[cls[j]]) classes[cls[j]] = entries[j];
        return classes;
    }

    /// <summary>The scores of probes order[b0..b1) against every entry, row by row into <paramref name="scores"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScoreBlock(GalleryMatrix gallery, float[] probeVectors, int[] order, int b0, int b1, float[] scores)
    {
        int d = gallery.Dimension, g = gallery.Entries;
        var all = gallery.Vectors.AsSpan();
        var pv = probeVectors.AsSpan();
        Span<float> twelve = stackalloc float[12];
        for (int j0 = 0; j0 < g; j0 += Tile)
        {
            int j1 = Math.Min(g, j0 + Tile);
            int i = b0;
            for (; i + 3 < b1; i += 4)
            {
                var a0 = pv.Slice(order[i] * d, d);
                var a1 = pv.Slice(order[i + 1] * d, d);
                var a2 = pv.Slice(order[i + 2] * d, d);
                var a3 = pv.Slice(order[i + 3] * d, d);
                int r0 = (i - b0) * g, r1 = r0 + g, r2 = r1 + g, r3 = r2 + g;
                int j = j0;
                for (; j + 3 <= j1; j += 3)
                {
                    DotKernel.Dot4x3(a0, a1, a2, a3, all.Slice(j * d, 3 * d), twelve);
                    scores[r0 + j] = twelve[0]; scores[r0 + j + 1] = twelve[1]; scores[r0 + j + 2] = twelve[2];
                    scores[r1 + j] = twelve[3]; scores[r1 + j + 1] = twelve[4]; scores[r1 + j + 2] = twelve[5];
                    scores[r2 + j] = twelve[6]; scores[r2 + j + 1] = twelve[7]; scores[r2 + j + 2] = twelve[8];
                    scores[r3 + j] = twelve[9]; scores[r3 + j + 1] = twelve[10]; scores[r3 + j + 2] = twelve[11];
                }
                for (; j < j1; j++)
                {
                    var e = all.Slice(j * d, d);
                    scores[r0 + j] = TensorPrimitives.Dot(a0, e);
                    scores[r1 + j] = TensorPrimitives.Dot(a1, e);
                    scores[r2 + j] = TensorPrimitives.Dot(a2, e);
                    scores[r3 + j] = TensorPrimitives.Dot(a3, e);
                }
            }
            for (; i < b1; i++)
            {
                var a = pv.Slice(order[i] * d, d);
                int r = (i - b0) * g;
                for (int j = j0; j < j1; j++) scores[r + j] = TensorPrimitives.Dot(a, all.Slice(j * d, d));
            }
        }
    }

    /// <summary>Summed over the given non-mated searches, how many gallery entries score at or above each threshold.</summary>
    private static long[] Count(GalleryMatrix gallery, ProbeSet probes, List<int> nonMated, IReadOnlyList<int> searches, IReadOnlyList<float> thresholds)
    {
        int d = gallery.Dimension;
        var counts = new long[thresholds.Count];
        var entries = new float[gallery.Entries];
        var classes = new float[gallery.Classes];
        foreach (int s in searches)
        {
            int p = nonMated[s];
            if (!probes.Enrolled[p]) continue;
            var v = probes.Vectors.AsSpan(p * d, d);
            for (int j = 0; j < entries.Length; j++) entries[j] = TensorPrimitives.Dot(v, gallery.Vectors.AsSpan(j * d, d));
            var row = ClassScores(gallery, entries, classes);
            for (int t = 0; t < thresholds.Count; t++)
                foreach (float x in row) if (x >= thresholds[t]) counts[t]++;
        }
        return counts;
    }
}
