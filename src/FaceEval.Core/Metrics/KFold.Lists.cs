using System.Numerics;
using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

public static partial class KFold
{
    /// <summary>
    /// Low key bits below a k-fold bucket: 2^16 buckets (sign, exponent and 7 bits of the significand) for up
    /// to 16 folds, fewer beyond so that the counts stay near 2^20 per list whatever k is.
    /// </summary>
    private static int FoldBucketShift(int k) => 16 + Math.Clamp(BitOperations.Log2((uint)(k - 1)) + 1 - 4, 0, 8);

    /// <summary>
    /// k-fold accuracy over every pair given as lists, without sorting them: the definition of
    /// <see cref="Accuracy(ReadOnlySpan{float}, ReadOnlySpan{bool}, ReadOnlySpan{int}, int, int)"/> (for each fold,
    /// the lowest threshold with the best accuracy on the other folds, moved to the middle of the gap below
    /// it; accuracy measured on the fold), on the folds of <see cref="FoldOfPair"/>. Pairs with a failure to
    /// enrol take part as scores of minus infinity (below every threshold but minus infinity itself).
    /// </summary>
    /// <remarks>
    /// The pairs are never sorted: three parallel scans of the lists. The first counts each fold's pairs per
    /// bucket of the score's order-preserving key (2^16 buckets). From those counts, each training set's
    /// accuracy at the bottom of every bucket is exact, and a bucket can hold the best threshold only if
    /// that accuracy plus its training impostors reaches the best accuracy known at a bucket bottom; the
    /// second scan takes the exact scores of those few buckets (and of the bucket below each, for the middle
    /// of the gap), which settle every fold's threshold exactly as the definition's sweep would. The third
    /// counts each fold's correct decisions at its threshold. Memory: about 1 MB per fold, plus 256 KB per fold
    /// and worker thread while counting, plus the scores of the buckets taken.
    /// </remarks>
    /// <param name="genuine">Genuine scores in any order (the order numbers the pairs for the folds).</param>
    /// <param name="impostor">Impostor scores likewise.</param>
    /// <param name="genuineFailures">Genuine pairs with a failure to enrol.</param>
    /// <param name="impostorFailures">Impostor pairs with a failure to enrol.</param>
    /// <param name="k">Folds, 2 to the number of pairs.</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <param name="cancellation">Stops the scans.</param>
    public static KFoldResult Accuracy(ReadOnlyMemory<float> genuine, ReadOnlyMemory<float> impostor, long genuineFailures, long impostorFailures,
        int k = 10, int seed = 0, CancellationToken cancellation = default)
    {
        long total = genuine.Length + impostor.Length + genuineFailures + impostorFailures;
        if (k < 2 || k > total) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 2 and the number of pairs ({total}).");
        return new ListSweep(k, seed, cancellation).Run(genuine, impostor, genuineFailures, impostorFailures);
    }

    /// <summary>
    /// The fold of a pair for <see cref="Accuracy(ReadOnlyMemory{float}, ReadOnlyMemory{float}, long, long, int, int, CancellationToken)"/>:
    /// the pairs are numbered genuine failures first, then impostor failures, then the genuine list in its
    /// order, then the impostor list, and a pair's fold is a seeded hash of its number (uniform over 0..k-1,
    /// independent of the scores).
    /// </summary>
    public static int FoldOfPair(int seed, long number, int k) => FoldOf(Salt(seed), number, k);

    /// <summary>One run of the list k-fold: its folds, seed and bucket size.</summary>
    private sealed class ListSweep(int k, int seed, CancellationToken cancellation)
    {
        private readonly ulong _salt = Salt(seed);
        private readonly int _shift = FoldBucketShift(k);
        private int Buckets => 1 << (32 - _shift);

        public KFoldResult Run(ReadOnlyMemory<float> genuine, ReadOnlyMemory<float> impostor, long genuineFailures, long impostorFailures)
        {
            long genuineFrom = genuineFailures + impostorFailures, impostorFrom = genuineFrom + genuine.Length;

            // Scan 1: per fold, pairs per bucket; and the failures per fold.
            var genuineCounts = Count(genuine, genuineFrom);
            var impostorCounts = Count(impostor, impostorFrom);
            var gf = new long[k];
            var mf = new long[k];
            for (long r = 0; r < genuineFailures; r++) gf[FoldOf(_salt, r, k)]++;
            for (long r = 0; r < impostorFailures; r++) mf[FoldOf(_salt, genuineFailures + r, k)]++;
            var allGenuine = AllFolds(genuineCounts);
            var allImpostor = AllFolds(impostorCounts);
            var positives = new long[k];
            var negatives = new long[k];
            for (int f = 0; f < k; f++) { positives[f] = gf[f] + Total(Fold(genuineCounts, f)); negatives[f] = mf[f] + Total(Fold(impostorCounts, f)); }
            long allPositives = positives.Sum();

            // Per training set (every fold but f): the correct decisions at the bottom of each bucket, the best
            // of them, and the buckets that could reach it, with the bucket below each.
            var wanted = new ulong[Math.Max(1, Buckets / 64)];
            var plans = new FoldPlan[k];
            for (int f = 0; f < k; f++)
            {
                var g = Fold(genuineCounts, f);
                var m = Fold(impostorCounts, f);
                long trainGf = genuineFailures - gf[f], trainMf = impostorFailures - mf[f];
                var plan = new FoldPlan { Positives = allPositives - positives[f], FailuresTrained = trainGf + trainMf > 0 };
                // The failures are the lowest group (minus infinity); at it every training pair is accepted.
                long correct = plan.Positives, best = plan.FailuresTrained ? correct : long.MinValue;
                if (plan.FailuresTrained) correct += trainMf - trainGf;
                long afterFailures = correct;
                for (int b = 0; b < Buckets; b++)
                {
                    long tg = allGenuine[b] - g[b], tm = allImpostor[b] - m[b];
                    if (tg + tm == 0) continue;
                    best = Math.Max(best, correct);
                    correct += tm - tg;
                    plan.Last = b;
                }
                plan.End = correct;
                best = Math.Max(best, correct);
                correct = afterFailures;
                int previous = -1;
                for (int b = 0; b < Buckets; b++)
                {
                    long tg = allGenuine[b] - g[b], tm = allImpostor[b] - m[b];
                    if (tg + tm == 0) continue;
                    // Inside the bucket, accuracy is at most its bottom's plus the training impostors it holds.
                    if (correct + tm >= best)
                    {
                        plan.Candidates.Add((b, correct, previous));
                        Want(wanted, b);
                        if (previous >= 0) Want(wanted, previous);
                    }
                    correct += tm - tg;
                    previous = b;
                }
                if (plan.Last >= 0) Want(wanted, plan.Last);
                plans[f] = plan;
            }

            // Scan 2: the exact scores of the wanted buckets, with their folds, in key order.
            var taken = Take(genuine, genuineFrom, true, wanted);
            taken.AddRange(Take(impostor, impostorFrom, false, wanted));
            var exact = taken.ToArray();
            Array.Sort(exact);

            var thresholds = new double[k];
            for (int f = 0; f < k; f++) thresholds[f] = Threshold(plans[f], f, exact);

            // Scan 3: each fold's correct decisions at its threshold.
            var right = new long[k];
            CountRight(genuine, genuineFrom, true, thresholds, right);
            CountRight(impostor, impostorFrom, false, thresholds, right);
            var accuracies = new double[k];
            for (int f = 0; f < k; f++)
            {
                // A failure scores minus infinity: a genuine one is accepted only at a threshold of minus infinity.
                right[f] += double.IsNegativeInfinity(thresholds[f]) ? gf[f] : mf[f];
                long size = positives[f] + negatives[f];
                accuracies[f] = size == 0 ? double.NaN : (double)right[f] / size;
            }
            return Summarise(accuracies, thresholds);
        }

        private sealed class FoldPlan
        {
            public long Positives, End;
            public bool FailuresTrained;
            public int Last = -1;
            public readonly List<(int Bucket, long Correct, int Below)> Candidates = new();
        }

        private ReadOnlySpan<long> Fold(long[] perFold, int f) => perFold.AsSpan(f * Buckets, Buckets);

        private long[] AllFolds(long[] perFold)
        {
            var all = new long[Buckets];
            for (int f = 0; f < k; f++)
            {
                var fold = Fold(perFold, f);
                for (int b = 0; b < Buckets; b++) all[b] += fold[b];
            }
            return all;
        }

        private static long Total(ReadOnlySpan<long> counts)
        {
            long sum = 0;
            foreach (var c in counts) sum += c;
            return sum;
        }

        private static void Want(ulong[] wanted, int b) => wanted[b >> 6] |= 1UL << (b & 63);

        /// <summary>Per fold (k blocks of <see cref="Buckets"/>), the list's pairs per bucket; pair r of the list is number from + r.</summary>
        private long[] Count(ReadOnlyMemory<float> list, long from)
        {
            var counts = new long[k * Buckets];
            ScoreChunks.Run(list, () => new int[k * Buckets],
                (chunk, first, local) => { CountChunk(chunk, from + first, local); return local; },
                local => { for (int q = 0; q < counts.Length; q++) counts[q] += local[q]; }, cancellation);
            return counts;
        }

        // The loops over the scores are compiled optimised at once: each runs a million times per call and is
        // called a few dozen times, too few for tiered compilation to reach them in time.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CountChunk(ReadOnlySpan<float> span, long number, int[] local)
        {
            for (int q = 0; q < span.Length; q++)
                local[FoldOf(_salt, number + q, k) * Buckets + (int)(ScoreKey.Of(span[q]) >> _shift)]++;
        }

        /// <summary>The list's scores in the wanted buckets, each as its key (high 32 bits), fold and kind (bit 0: impostor).</summary>
        private List<ulong> Take(ReadOnlyMemory<float> list, long from, bool isGenuine, ulong[] wanted)
        {
            var taken = new List<ulong>();
            ScoreChunks.Run(list, () => new List<ulong>(),
                (chunk, first, local) => { TakeChunk(chunk, from + first, isGenuine, wanted, local); return local; },
                taken.AddRange, cancellation);
            return taken;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void TakeChunk(ReadOnlySpan<float> span, long number, bool isGenuine, ulong[] wanted, List<ulong> local)
        {
            for (int q = 0; q < span.Length; q++)
            {
                uint key = ScoreKey.Of(span[q]);
                int b = (int)(key >> _shift);
                if ((wanted[b >> 6] & (1UL << (b & 63))) == 0) continue;
                local.Add(((ulong)key << 32) | ((ulong)FoldOf(_salt, number + q, k) << 1) | (isGenuine ? 0UL : 1UL));
            }
        }

        /// <summary>
        /// Fold f's threshold as <see cref="BestThreshold"/> finds it on the training set: the same sweep, run over
        /// the failures' group and the candidate buckets (no other value reaches the best accuracy).
        /// </summary>
        private double Threshold(FoldPlan plan, int f, ulong[] exact)
        {
            long best = -1;
            double threshold = double.PositiveInfinity;
            // The failures' group comes first: it sets the best so far, at minus infinity.
            if (plan.FailuresTrained) { best = plan.Positives; threshold = double.NegativeInfinity; }
            foreach (var (bucket, bottom, belowBucket) in plan.Candidates)
            {
                long correct = bottom;
                double below = belowBucket >= 0 ? Highest(exact, belowBucket, f) : plan.FailuresTrained ? double.NegativeInfinity : double.NaN;
                int q = Lower(exact, bucket), end = Lower(exact, bucket + 1);
                while (q < end)
                {
                    uint key = (uint)(exact[q] >> 32);
                    long delta = 0;
                    bool trained = false;
                    for (; q < end && (uint)(exact[q] >> 32) == key; q++)
                    {
                        if (FoldOfEntry(exact[q]) == f) continue;
                        trained = true;
                        delta += (exact[q] & 1) != 0 ? 1 : -1;
                    }
                    if (!trained) continue;
                    double t = ScoreKey.Value(key);
                    if (correct > best) { best = correct; threshold = double.IsNaN(below) ? t : (below + t) / 2; }
                    below = t;
                    correct += delta;
                }
            }
            if (plan.End > best)
            {
                // Rejecting every training pair is best: just above the highest training score.
                double highest = plan.Last >= 0 ? Highest(exact, plan.Last, f) : plan.FailuresTrained ? double.NegativeInfinity : double.NaN;
                threshold = Math.BitIncrement(highest);
            }
            return threshold;
        }

        private static int FoldOfEntry(ulong entry) => (int)((uint)entry >> 1);

        /// <summary>The first taken entry in bucket b or above.</summary>
        private int Lower(ulong[] exact, int b)
        {
            if (b >= Buckets) return exact.Length;
            ulong bound = (ulong)((uint)b << _shift) << 32;
            int lo = 0, hi = exact.Length;
            while (lo < hi) { int mid = (lo + hi) >>> 1; if (exact[mid] < bound) lo = mid + 1; else hi = mid; }
            return lo;
        }

        /// <summary>The highest training score (of a fold other than f) in a taken bucket.</summary>
        private double Highest(ulong[] exact, int bucket, int f)
        {
            for (int q = Lower(exact, bucket + 1) - 1; q >= 0 && (int)((uint)(exact[q] >> 32) >> _shift) == bucket; q--)
                if (FoldOfEntry(exact[q]) != f) return ScoreKey.Value((uint)(exact[q] >> 32));
            throw new InvalidOperationException($"Bucket {bucket} has no training score."); // cannot happen: it was counted
        }

        /// <summary>Adds, per fold, the list's pairs decided right at the fold's threshold (genuine: at or above; impostor: below).</summary>
        private void CountRight(ReadOnlyMemory<float> list, long from, bool isGenuine, double[] thresholds, long[] right)
        {
            ScoreChunks.Run(list, () => new long[k],
                (chunk, first, local) => { RightChunk(chunk, from + first, isGenuine, thresholds, local); return local; },
                local => { for (int f = 0; f < k; f++) right[f] += local[f]; }, cancellation);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void RightChunk(ReadOnlySpan<float> span, long number, bool isGenuine, double[] thresholds, long[] local)
        {
            for (int q = 0; q < span.Length; q++)
            {
                int f = FoldOf(_salt, number + q, k);
                if ((span[q] >= thresholds[f]) == isGenuine) local[f]++;
            }
        }
    }
}
