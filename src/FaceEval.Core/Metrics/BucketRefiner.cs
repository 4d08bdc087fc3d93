using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FaceEval.Core.Metrics;

/// <summary>
/// What a refinement pass does with one impostor score, for a <see cref="CountPlan"/>: counts its exact key
/// when its bucket is planned, and adds its part of the within-bucket Mann-Whitney sum when genuine keys
/// share its bucket. Built once per plan; the rescoring pass (<see cref="CountingPairScorer.Refine"/>) and
/// the passes over kept or listed scores use the same tables, so they count the same.
/// </summary>
internal sealed class BucketRefiner
{
    /// <summary>Genuine keys a bucket may hold and still be compared in one vector step.</summary>
    private const int Lane = 8;

    /// <summary>Genuine keys a bucket may hold and still be compared by scanning them (eight vector steps); more are binary-searched.</summary>
    private const int Scanned = 8 * Lane;

    /// <summary>Buckets that are planned or hold a genuine key: most impostor scores fall elsewhere, and this bitmap stays in cache.</summary>
    private readonly ulong[] _matters;

    /// <summary>Per word of <see cref="_matters"/>: how many buckets that matter come before it (a bucket's rank is its index below).</summary>
    private readonly int[] _rankBase;

    /// <summary>Per bucket that matters, by rank: its place in the plan + 1 (0: not planned).</summary>
    private readonly int[] _slot;

    /// <summary>Per bucket that matters, by rank: how many genuine keys it holds, and where they start in the plan's keys.</summary>
    private readonly int[] _count, _from;

    /// <summary>Per bucket that matters, by rank: its first <see cref="Lane"/> genuine keys, padded with 0 (the key of no finite score).</summary>
    private readonly uint[] _lanes;

    private readonly uint[] _keys;

    /// <summary>The plan's genuine keys (ascending) and <see cref="Lane"/> more, so that a bucket's keys can be read eight at a time.</summary>
    private readonly uint[] _padded;

    public BucketRefiner(CountPlan plan)
    {
        Plan = plan;
        _keys = plan.GenuineKeys;
        _padded = new uint[_keys.Length + Lane];
        _keys.CopyTo(_padded, 0);
        _matters = new ulong[ScoreKey.Buckets / 64];
        foreach (var k in _keys) Mark(ScoreKey.Bucket(k));
        foreach (var b in plan.Buckets) Mark(b);
        _rankBase = new int[_matters.Length];
        int ranks = 0;
        for (int w = 0; w < _matters.Length; w++) { _rankBase[w] = ranks; ranks += BitOperations.PopCount(_matters[w]); }
        _slot = new int[ranks];
        _count = new int[ranks];
        _from = new int[ranks];
        _lanes = new uint[(long)ranks * Lane];
        for (int s = 0; s < plan.Buckets.Length; s++) _slot[Rank(plan.Buckets[s])] = s + 1;
        for (int g = 0; g < _keys.Length; g++)
        {
            int r = Rank(ScoreKey.Bucket(_keys[g]));
            if (_count[r] == 0) _from[r] = g;
            if (_count[r] < Lane) _lanes[(long)r * Lane + _count[r]] = _keys[g];
            _count[r]++;
        }

        void Mark(int b) => _matters[b >> 6] |= 1UL << (b & 63);
    }

    public CountPlan Plan { get; }

    /// <summary>Exact counts for the plan's buckets: <see cref="ScoreKey.SubBuckets"/> per planned bucket, in the plan's order.</summary>
    public long[] NewSub() => new long[(long)Plan.Buckets.Length * ScoreKey.SubBuckets];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Rank(int b) => _rankBase[b >> 6] + BitOperations.PopCount(_matters[b >> 6] & ((1UL << (b & 63)) - 1));

    /// <summary>Refines for the key of an impostor score whose bucket matters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddMatching(uint key, long[] sub, ref long aucWithinTwice)
    {
        int b = (int)(key >> ScoreKey.SubBits);
        int r = _rankBase[b >> 6] + BitOperations.PopCount(_matters[b >> 6] & ((1UL << (b & 63)) - 1));
        int slot = _slot[r];
        if (slot != 0) sub[((long)(slot - 1) << ScoreKey.SubBits) + (key & ScoreKey.SubMask)]++;
        int count = _count[r];
        if (count == 0) return;
        if (!Vector256.IsHardwareAccelerated || count > Scanned)
        {
            aucWithinTwice += Within(_keys, _from[r], _from[r] + count, key);
            return;
        }
        // 2 per genuine key above, 1 per equal one, eight keys at a time.
        var probe = Vector256.Create(key);
        if (count <= Lane)
        {
            // The padding 0 (the key of no finite score) is neither.
            var lanes = Vector256.LoadUnsafe(ref _lanes[0], (nuint)((long)r * Lane));
            aucWithinTwice += 2 * BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.GreaterThan(lanes, probe)))
                + BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.Equals(lanes, probe)));
            return;
        }
        // A crowded bucket (dozens of genuine keys in large sets): the same compare over its keys in the plan,
        // the lanes past its last key masked off; no branch on the key, where a binary search mispredicts. Past
        // Scanned keys (ties: many genuine scores of one value) the binary search above costs less.
        int from = _from[r];
        for (int m = 0; m < count; m += Lane)
        {
            var lanes = Vector256.LoadUnsafe(ref _padded[0], (nuint)(from + m));
            uint valid = count - m >= Lane ? 0xFFu : (1u << (count - m)) - 1;
            aucWithinTwice += 2 * BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.GreaterThan(lanes, probe)) & valid)
                + BitOperations.PopCount(Vector256.ExtractMostSignificantBits(Vector256.Equals(lanes, probe)) & valid);
        }
    }

    /// <summary>
    /// Refines <paramref name="counts"/> from its impostor scores given as a list (kept by pass 1, or scored
    /// elsewhere), on every core: the same counts as a rescoring pass, without scoring a pair.
    /// </summary>
    public void RefineFrom(PairCounts counts, ReadOnlyMemory<float> impostor, CancellationToken cancellation = default)
    {
        var sub = NewSub();
        long auc = 0;
        ScoreChunks.Run(impostor, () => (Sub: NewSub(), Auc: 0L),
            (chunk, _, state) => (state.Sub, state.Auc + AddAll(chunk, state.Sub)),
            state =>
            {
                AddInto(sub, state.Sub);
                auc += state.Auc;
            }, cancellation);
        Record(counts, sub, auc);
    }

    /// <summary>Adds one worker's exact counts (<see cref="NewSub"/>) into the total.</summary>
    public static void AddInto(long[] total, long[] part)
    {
        for (long k = 0; k < total.LongLength; k++) total[k] += part[k];
    }

    /// <summary>Records a finished refinement pass in the counts: this plan, its exact counts and within-bucket sum (replacing any earlier one).</summary>
    public void Record(PairCounts counts, long[] sub, long aucWithinTwice)
    {
        counts.Plan = Plan;
        counts.Sub = sub;
        counts.AucWithinTwice = aucWithinTwice;
    }

    /// <summary>Refines for every score of a chunk, in runs of <see cref="Run"/> keys (<see cref="AddKeys"/>); returns its part of the within-bucket sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long AddAll(ReadOnlySpan<float> scores, long[] sub)
    {
        long auc = 0;
        Span<uint> keys = stackalloc uint[Run];
        for (int i = 0; i < scores.Length; i += Run)
        {
            var run = keys[..Math.Min(Run, scores.Length - i)];
            for (int k = 0; k < run.Length; k++) run[k] = ScoreKey.Of(scores[i + k]);
            auc += AddKeys(run, sub);
        }
        return auc;
    }

    /// <summary>Keys a rescoring pass gathers before refining them as <see cref="AddKeys"/> does.</summary>
    public const int Run = 64;

    /// <summary>
    /// Refines for a run of impostor keys (at most <see cref="Run"/>); returns their part of the within-bucket sum.
    /// Both refinement passes come here: the one over kept scores run by run, the rescoring one with the keys it
    /// gathers as it scores.
    /// </summary>
    /// <remarks>
    /// First the keys whose bucket matters are picked out without a branch (whether a score's bucket matters is
    /// close to a coin toss where genuine and impostor scores overlap, and a mispredicted branch per score cost as
    /// much as the rest), then only those are refined. Twice as fast on the 10,000-item benchmark set, where a
    /// third of the impostor scores share a bucket with a genuine one.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long AddKeys(ReadOnlySpan<uint> keys, long[] sub)
    {
        long auc = 0;
        Span<uint> picked = stackalloc uint[Run];
        ref ulong matters = ref MemoryMarshal.GetArrayDataReference(_matters);
        if (keys.Length > Run) throw new ArgumentException($"AddKeys refines at most {Run} keys at a time.", nameof(keys));
        int count = 0;
        foreach (uint key in keys)
        {
            int b = (int)(key >> ScoreKey.SubBits);
            picked[count] = key;
            count += (int)((Unsafe.Add(ref matters, b >> 6) >> (b & 63)) & 1);
        }
        for (int k = 0; k < count; k++) AddMatching(picked[k], sub, ref auc);
        return auc;
    }

    /// <summary>2 per genuine key above <paramref name="key"/>, 1 per equal one, among keys[from..to) (ascending).</summary>
    private static long Within(uint[] keys, int from, int to, uint key)
    {
        // The first key at or above, and the first above.
        int lo = from, hi = to;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (keys[mid] < key) lo = mid + 1; else hi = mid; }
        int atOrAbove = lo;
        hi = to;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (keys[mid] <= key) lo = mid + 1; else hi = mid; }
        return 2L * (to - lo) + (lo - atOrAbove);
    }
}
