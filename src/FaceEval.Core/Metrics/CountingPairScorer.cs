using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Scores all pairs i &lt; j of N embeddings, or one block of them, without storing impostor scores: pass 1
/// (<see cref="Count"/>) keeps the genuine scores and counts impostor scores per key bucket
/// (<see cref="PairCounts"/>); pass 2 (<see cref="Refine"/>) scores the same pairs again and counts the
/// exact values in the buckets of a <see cref="CountPlan"/>. Both score through <see cref="PairSweep"/>,
/// the loop of the sorted path, so every pair gets the same score as there. Memory: the vectors (twice
/// while a pass runs where AVX-512 is there: <see cref="PairSweep"/> packs them for its widest tile), the
/// genuine scores, and per worker thread 8 MB of bucket counts plus 32 KB per planned bucket. A set of up
/// to <see cref="KeptScoreLimit"/> pairs may also keep its impostor scores in pass 1 (4 bytes a pair), so
/// that refinement reads them instead of scoring every pair again.
/// </summary>
public static class CountingPairScorer
{
    /// <summary>
    /// The most impostor scores pass 1 keeps in memory when asked to (100,000,000: 400 MB, all pairs of about
    /// 14,000 embeddings); the same size up to which the sorted path stores every score.
    /// </summary>
    public const long KeptScoreLimit = 100_000_000;

    /// <summary>
    /// The row blocks of block <paramref name="index"/> of <paramref name="count"/> (1-based): consecutive
    /// row blocks of about the same number of pairs. The split depends only on N, so every process of a
    /// split run computes the same one.
    /// </summary>
    public static (int FromBlock, int ToBlock) BlockRange(int n, int index, int count)
    {
        if (count < 1 || index < 1 || index > count) throw new ArgumentOutOfRangeException(nameof(index), $"Block {index} of {count}: the block is 1 to the number of blocks.");
        int blocks = PairSweep.Blocks(n);
        long total = (long)n * (n - 1) / 2;
        // Block b's first row is 64 b; the pairs before it are those of the rows above.
        long PairsBefore(int b)
        {
            long rows = Math.Min(n, (long)b * PairSweep.Block);
            return rows * (n - 1) - rows * (rows - 1) / 2;
        }
        int Boundary(int k)
        {
            if (k == 0) return 0;
            if (k == count) return blocks;
            long goal = (long)Math.Round((double)total * k / count);
            int lo = 0, hi = blocks;
            while (lo < hi) { int mid = (lo + hi) / 2; if (PairsBefore(mid) < goal) lo = mid + 1; else hi = mid; }
            return lo;
        }
        return (Boundary(index - 1), Boundary(index));
    }

    /// <summary>Pass 1 over the pairs of one block (all pairs: block 1 of 1).</summary>
    /// <param name="vectors">N rows of D numbers; the row of an item that is not enrolled is ignored.</param>
    /// <param name="dimension">D.</param>
    /// <param name="ids">Identity numbers of the N items.</param>
    /// <param name="ok">Which items have an embedding.</param>
    /// <param name="blockIndex">Which block of the pair space (1-based; see <see cref="BlockRange"/>).</param>
    /// <param name="blockCount">Into how many blocks the pair space is split.</param>
    /// <param name="keepImpostorScores">
    /// Also keep every impostor score (4 bytes a pair, in the order of <see cref="PairScorer.ScoreAllPairs(ReadOnlyMemory{float}, int, ReadOnlySpan{int}, ReadOnlySpan{bool})"/>:
    /// row by row, i then j) in <see cref="PairCounts.ImpostorScores"/>, so that refinement and k-fold read
    /// them instead of scoring the pairs again. For sets up to <see cref="KeptScoreLimit"/> pairs.
    /// </param>
    /// <param name="cancellation">Stops the scoring.</param>
    /// <exception cref="FaceEvalException">CannotMeasure when a score is NaN or infinite.</exception>
    public static PairCounts Count(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, int blockIndex = 1, int blockCount = 1, bool keepImpostorScores = false, CancellationToken cancellation = default)
    {
        int n = ids.Length;
        Check(vectors, dimension, n, ok);
        var (fromBlock, toBlock) = BlockRange(n, blockIndex, blockCount);
        int r0 = Math.Min(n, fromBlock * PairSweep.Block), r1 = Math.Min(n, toBlock * PairSweep.Block);

        // Per row: later enrolled rows of its identity (its genuine pairs), and the pairs with a failure to enrol.
        var sameAfter = new long[n];
        var enrolledAfter = new long[n];
        var perIdentityEnrolled = new Dictionary<int, long>();
        var perIdentityAll = new Dictionary<int, long>();
        long genuineFailures = 0, impostorFailures = 0, enrolledSoFar = 0, allSoFar = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            perIdentityEnrolled.TryGetValue(ids[i], out long sameEnrolled);
            perIdentityAll.TryGetValue(ids[i], out long sameAll);
            bool mine = i >= r0 && i < r1;
            if (ok[i])
            {
                sameAfter[i] = sameEnrolled;
                enrolledAfter[i] = enrolledSoFar;
                if (mine)
                {
                    genuineFailures += sameAll - sameEnrolled;
                    impostorFailures += (allSoFar - sameAll) - (enrolledSoFar - sameEnrolled);
                }
                perIdentityEnrolled[ids[i]] = sameEnrolled + 1;
                enrolledSoFar++;
            }
            else if (mine)
            {
                genuineFailures += sameAll;
                impostorFailures += allSoFar - sameAll;
            }
            perIdentityAll[ids[i]] = sameAll + 1;
            allSoFar++;
        }
        var offset = new long[r1 - r0 + 1];
        for (int i = r0; i < r1; i++) offset[i - r0 + 1] = offset[i - r0] + (ok[i] ? sameAfter[i] : 0);
        var genuine = new float[offset[r1 - r0]];
        long[]? impostorOffset = null;
        float[]? kept = null;
        if (keepImpostorScores)
        {
            impostorOffset = new long[r1 - r0 + 1];
            for (int i = r0; i < r1; i++) impostorOffset[i - r0 + 1] = impostorOffset[i - r0] + (ok[i] ? enrolledAfter[i] - sameAfter[i] : 0);
            if (impostorOffset[r1 - r0] > KeptScoreLimit)
                throw new ArgumentException($"Keeping {impostorOffset[r1 - r0]:N0} impostor scores is more than the {KeptScoreLimit:N0} this is for.", nameof(keepImpostorScores));
            kept = new float[impostorOffset[r1 - r0]];
        }

        var result = new PairCounts { Items = n, BlockIndex = blockIndex, BlockCount = blockCount, Genuine = genuine, ImpostorScores = kept, GenuineFailures = genuineFailures, ImpostorFailures = impostorFailures };
        var gate = new object();
        PairSweep.Run(vectors, dimension, ids, ok, fromBlock, toBlock,
            () => new CountState(),
            (state, b) =>
            {
                int i0 = b * PairSweep.Block, i1 = Math.Min(n, i0 + PairSweep.Block);
                // At most 64 n pairs per row block: flush the 32-bit counts before they could overflow.
                long most = (long)(i1 - i0) * n;
                if (state.SinceFlush + most > uint.MaxValue) state.Flush();
                state.SinceFlush += most;
                var next = new long[i1 - i0];
                for (int i = i0; i < i1; i++) next[i - i0] = offset[i - r0];
                long[]? nextImpostor = null;
                if (impostorOffset is not null)
                {
                    nextImpostor = new long[i1 - i0];
                    for (int i = i0; i < i1; i++) nextImpostor[i - i0] = impostorOffset[i - r0];
                }
                return new CountSink(ids, i0, next, genuine, nextImpostor, kept, state.Counts, state.ExponentSum, state.SquaresHigh, state.SquaresLow);
            },
            (state, sink) => { state.MinKey = Math.Min(state.MinKey, sink.MinKey); state.MaxKey = Math.Max(state.MaxKey, sink.MaxKey); },
            state =>
            {
                state.Flush();
                lock (gate)
                {
                    for (int b = 0; b < ScoreKey.Buckets; b++) result.Impostor[b] += state.Impostor[b];
                    for (int e = 0; e < 256; e++) { result.ExponentSum[e] += state.ExponentSum[e]; result.ExponentSquares[e] += state.ExponentSquares[e]; }
                    result.MinKey = Math.Min(result.MinKey, state.MinKey);
                    result.MaxKey = Math.Max(result.MaxKey, state.MaxKey);
                }
            }, cancellation);
        foreach (var g in genuine)
            if (!float.IsFinite(g)) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"A genuine score is {g}: every score must be a finite number.");
        for (int b = 0; b < ScoreKey.Buckets; b++)
            if (result.Impostor[b] > 0 && ScoreKey.IsNonFinite(b))
                throw new FaceEvalException(FaceEvalError.CannotMeasure, $"An impostor score is {ScoreKey.Lowest(b)}: every score must be a finite number.");
        return result;
    }

    /// <summary>
    /// Pass 2: scores the pairs of the block of <paramref name="counts"/> again and records, for
    /// <paramref name="plan"/>, the exact count of every value in its buckets and the within-bucket
    /// Mann-Whitney sum (replacing any earlier refinement).
    /// </summary>
    public static void Refine(PairCounts counts, ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, CountPlan plan, CancellationToken cancellation = default)
    {
        int n = ids.Length;
        Check(vectors, dimension, n, ok);
        if (counts.Items != n) throw new ArgumentException($"The counts are of {counts.Items} items, the vectors of {n}.", nameof(counts));
        var (fromBlock, toBlock) = BlockRange(n, counts.BlockIndex, counts.BlockCount);
        var refiner = new BucketRefiner(plan);
        if (counts.ImpostorScores is { } kept)
        {
            // Pass 1 kept the impostor scores: read them instead of scoring every pair again.
            refiner.RefineFrom(counts, kept, cancellation);
            return;
        }
        var sub = refiner.NewSub();
        long auc = 0;
        var gate = new object();
        PairSweep.Run(vectors, dimension, ids, ok, fromBlock, toBlock,
            () => new RefineState(refiner),
            (state, _) => new RefineSink(ids, refiner, state.Sub, state.Keys),
            (state, sink) => state.AucWithinTwice += sink.AucWithinTwice + refiner.AddKeys(state.Keys.AsSpan(0, sink.Gathered), state.Sub),
            state =>
            {
                lock (gate)
                {
                    BucketRefiner.AddInto(sub, state.Sub);
                    auc += state.AucWithinTwice;
                }
            }, cancellation);
        refiner.Record(counts, sub, auc);
    }

    private static void Check(ReadOnlyMemory<float> vectors, int dimension, int n, bool[] ok)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension));
        if (vectors.Length != (long)n * dimension) throw new ArgumentException($"Expected {n} x {dimension} numbers, got {vectors.Length}.", nameof(vectors));
        if (ok.Length != n) throw new ArgumentException("Every item needs its enrolled flag.", nameof(ok));
    }

    private sealed class CountState
    {
        /// <summary>32-bit counts: half the cache footprint of 64-bit ones, where every impostor pair lands at random.</summary>
        public readonly uint[] Counts = new uint[ScoreKey.Buckets];
        public long SinceFlush;
        public readonly long[] Impostor = new long[ScoreKey.Buckets];

        /// <summary>Moves the 32-bit counts and the split squares (at most 2^32 pairs since the last flush) into the 64- and 128-bit totals.</summary>
        public void Flush()
        {
            for (int b = 0; b < Counts.Length; b++) Impostor[b] += Counts[b];
            Array.Clear(Counts);
            for (int e = 0; e < 256; e++) ExponentSquares[e] += ((Int128)SquaresHigh[e] << 16) + SquaresLow[e];
            Array.Clear(SquaresHigh);
            Array.Clear(SquaresLow);
            SinceFlush = 0;
        }

        public readonly long[] ExponentSum = new long[256];
        public readonly Int128[] ExponentSquares = new Int128[256];

        /// <summary>Since the last flush, per exponent: the sum of the squared significands' bits 16 and up, and of their low 16 bits.</summary>
        public readonly ulong[] SquaresHigh = new ulong[256], SquaresLow = new ulong[256];
        public uint MinKey = uint.MaxValue, MaxKey;
    }

    private struct CountSink(int[] ids, int i0, long[] next, float[] genuine, long[]? nextImpostor, float[]? kept, uint[] impostor, long[] exponentSum, ulong[] squaresHigh, ulong[] squaresLow) : IPairSink
    {
        public uint MinKey = uint.MaxValue, MaxKey = 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int i, int j, float score)
        {
            if (ids[j] == ids[i]) { genuine[next[i - i0]++] = score; return; }
            if (kept is not null) kept[nextImpostor![i - i0]++] = score;
            uint key = ScoreKey.Of(score);
            impostor[key >> ScoreKey.SubBits]++;
            if (key < MinKey) MinKey = key;
            if (key > MaxKey) MaxKey = key;
            // The exact sums, without a branch on the sign (a coin toss per score) and without 128-bit adds:
            // m^2 < 2^48 goes in as its top 32 and low 16 bits, which 2^32 pairs cannot overflow (see Flush).
            uint bits = BitConverter.SingleToUInt32Bits(score);
            int e = (int)((bits >> 23) & 0xFF);
            long m = (long)((bits & 0x7F_FFFFu) | (e != 0 ? 0x80_0000u : 0u));
            long sign = (int)bits >> 31;
            exponentSum[e] += (m ^ sign) - sign;
            ulong square = (ulong)(m * m);
            squaresHigh[e] += square >> 16;
            squaresLow[e] += square & 0xFFFF;
        }
    }

    private sealed class RefineState(BucketRefiner refiner)
    {
        public readonly long[] Sub = refiner.NewSub();
        public readonly uint[] Keys = new uint[BucketRefiner.Run];
        public long AucWithinTwice;
    }

    /// <summary>Gathers impostor keys in runs of <see cref="BucketRefiner.Run"/> and refines each run at once (the last, short one when the row block is done).</summary>
    private struct RefineSink(int[] ids, BucketRefiner refiner, long[] sub, uint[] keys) : IPairSink
    {
        public long AucWithinTwice = 0;
        public int Gathered = 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int i, int j, float score)
        {
            if (ids[j] == ids[i]) return;
            keys[Gathered++] = ScoreKey.Of(score);
            if (Gathered == keys.Length)
            {
                AucWithinTwice += refiner.AddKeys(keys, sub);
                Gathered = 0;
            }
        }
    }
}
