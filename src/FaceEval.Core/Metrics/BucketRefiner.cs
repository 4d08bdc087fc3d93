using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// What a refinement pass does with one impostor score, for a <see cref="CountPlan"/>: counts its exact key
/// when its bucket is planned, and adds its part of the within-bucket Mann-Whitney sum when genuine keys
/// share its bucket. Built once per plan; the rescoring pass (<see cref="CountingPairScorer.Refine"/>) and
/// the passes over kept or listed scores use the same tables, so they count the same.
/// </summary>
internal sealed class BucketRefiner
{
    /// <summary>Scores per parallel chunk when refining from a list.</summary>
    private const int Chunk = 1 << 20;

    /// <summary>Per bucket: [2b] the first of the plan's genuine keys in it, [2b + 1] its place in the plan + 1 (0: not planned).</summary>
    private readonly int[] _packed;

    /// <summary>Buckets that are planned or hold a genuine key: most impostor scores fall elsewhere, and this bitmap stays in cache.</summary>
    private readonly ulong[] _matters;

    private readonly uint[] _keys;

    public BucketRefiner(CountPlan plan)
    {
        Plan = plan;
        _keys = plan.GenuineKeys;
        _packed = new int[2 * ScoreKey.Buckets + 2];
        int g = 0;
        for (int b = 0; b <= ScoreKey.Buckets; b++)
        {
            while (g < _keys.Length && ScoreKey.Bucket(_keys[g]) < b) g++;
            _packed[2 * b] = g;
        }
        for (int s = 0; s < plan.Buckets.Length; s++) _packed[2 * plan.Buckets[s] + 1] = s + 1;
        _matters = new ulong[ScoreKey.Buckets / 64];
        for (int b = 0; b < ScoreKey.Buckets; b++)
            if (_packed[2 * b + 1] != 0 || _packed[2 * b] < _packed[2 * b + 2]) _matters[b >> 6] |= 1UL << (b & 63);
    }

    public CountPlan Plan { get; }

    /// <summary>Exact counts for the plan's buckets: <see cref="ScoreKey.SubBuckets"/> per planned bucket, in the plan's order.</summary>
    public long[] NewSub() => new long[(long)Plan.Buckets.Length * ScoreKey.SubBuckets];

    /// <summary>Refines for one impostor score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(float score, long[] sub, ref long aucWithinTwice)
    {
        uint key = ScoreKey.Of(score);
        int b = (int)(key >> ScoreKey.SubBits);
        if ((_matters[b >> 6] & (1UL << (b & 63))) == 0) return;
        int from = _packed[2 * b], slot = _packed[2 * b + 1], to = _packed[2 * b + 2];
        if (slot != 0) sub[((long)(slot - 1) << ScoreKey.SubBits) + (key & ScoreKey.SubMask)]++;
        if (from < to) aucWithinTwice += Within(_keys, from, to, key);
    }

    /// <summary>
    /// Refines <paramref name="counts"/> from its impostor scores given as a list (kept by pass 1, or scored
    /// elsewhere), on every core: the same counts as a rescoring pass, without scoring a pair.
    /// </summary>
    public void RefineFrom(PairCounts counts, ReadOnlyMemory<float> impostor, CancellationToken cancellation = default)
    {
        var sub = NewSub();
        long auc = 0;
        var gate = new object();
        int chunks = (int)((impostor.Length + (long)Chunk - 1) / Chunk);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation },
            () => (Sub: NewSub(), Auc: 0L),
            (c, _, state) =>
            {
                var span = impostor.Span.Slice(c * Chunk, Math.Min(Chunk, impostor.Length - c * Chunk));
                long a = state.Auc;
                foreach (var v in span) Add(v, state.Sub, ref a);
                return (state.Sub, a);
            },
            state =>
            {
                lock (gate)
                {
                    for (long k = 0; k < sub.LongLength; k++) sub[k] += state.Sub[k];
                    auc += state.Auc;
                }
            });
        counts.Plan = Plan;
        counts.Sub = sub;
        counts.AucWithinTwice = auc;
    }

    /// <summary>2 per genuine key above <paramref name="key"/>, 1 per equal one, among keys[from..to) (ascending).</summary>
    private static long Within(uint[] keys, int from, int to, uint key)
    {
        if (to - from <= 16)
        {
            long sum = 0;
            for (int k = from; k < to; k++) sum += keys[k] > key ? 2 : keys[k] == key ? 1 : 0;
            return sum;
        }
        // The first key at or above, and the first above.
        int lo = from, hi = to;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (keys[mid] < key) lo = mid + 1; else hi = mid; }
        int atOrAbove = lo;
        hi = to;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (keys[mid] <= key) lo = mid + 1; else hi = mid; }
        return 2L * (to - lo) + (lo - atOrAbove);
    }
}
