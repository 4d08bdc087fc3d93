namespace FaceEval.Core.Metrics;

/// <summary>LFW-style k-fold verification accuracy, and the usual summary statistics of a score set.</summary>
public static class KFold
{
    /// <summary>
    /// Accuracy over k folds: for each fold the threshold is the one with the best accuracy on the other
    /// folds (see <see cref="BestThreshold"/>), and accuracy is measured on the fold itself. Pairs go to folds by a seeded shuffle, unless <paramref name="folds"/> assigns them.
    /// </summary>
    /// <returns>The mean and the (population) standard deviation of the fold accuracies, and the thresholds.</returns>
    public static KFoldResult Accuracy(
        ReadOnlySpan<float> scores, ReadOnlySpan<bool> isMatch, ReadOnlySpan<int> folds = default, int k = 10, int seed = 0)
    {
        int n = scores.Length;
        if (isMatch.Length != n) throw new ArgumentException("Every score needs its IsMatch label.", nameof(isMatch));
        if (!folds.IsEmpty && folds.Length != n) throw new ArgumentException("Every score needs its fold.", nameof(folds));
        int[] fold;
        if (folds.IsEmpty)
        {
            if (k < 2 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 2 and the number of pairs ({n}).");
            var order = Enumerable.Range(0, n).ToArray();
            new Random(seed).Shuffle(order);
            fold = new int[n];
            for (int r = 0; r < n; r++) fold[order[r]] = r % k;
        }
        else
        {
            var names = folds.ToArray().Distinct().Order().ToArray();
            k = names.Length;
            if (k < 2) throw new ArgumentException("The pair list defines fewer than two folds.", nameof(folds));
            var index = names.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i);
            fold = folds.ToArray().Select(f => index[f]).ToArray();
        }

        var s = scores.ToArray();
        var m = isMatch.ToArray();
        var accuracies = new double[k];
        var thresholds = new double[k];
        for (int f = 0; f < k; f++)
        {
            var trainScores = new List<float>();
            var trainMatch = new List<bool>();
            for (int i = 0; i < n; i++)
                if (fold[i] != f) { trainScores.Add(s[i]); trainMatch.Add(m[i]); }
            double t = BestThreshold(trainScores.ToArray(), trainMatch.ToArray());
            thresholds[f] = t;
            int correct = 0, count = 0;
            for (int i = 0; i < n; i++)
            {
                if (fold[i] != f) continue;
                count++;
                if ((s[i] >= t) == m[i]) correct++;
            }
            accuracies[f] = count == 0 ? double.NaN : (double)correct / count;
        }
        var valid = accuracies.Where(a => !double.IsNaN(a)).ToArray();
        double mean = valid.Average();
        double std = Math.Sqrt(valid.Sum(a => (a - mean) * (a - mean)) / valid.Length);
        return (mean, std, accuracies, thresholds);
    }

    /// <summary>
    /// A threshold with the best accuracy on these pairs: of the distinct scores (and +infinity) that reach
    /// it, the lowest, moved down to the middle of the gap below it, where accuracy on these pairs is the
    /// same but a held-out pair just under the lowest accepted score is not lost to the edge.
    /// </summary>
    public static double BestThreshold(float[] scores, bool[] isMatch)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        int positives = isMatch.Count(x => x);
        // Threshold at the lowest score: every pair accepted, so the matches are right.
        int correct = positives, best = -1;
        double bestThreshold = double.PositiveInfinity, below = double.NaN;
        int r = 0;
        while (r < order.Length)
        {
            double t = scores[order[r]];
            if (correct > best) { best = correct; bestThreshold = double.IsNaN(below) ? t : (below + t) / 2; }
            below = t;
            // Raising the threshold past t rejects every pair scored t.
            while (r < order.Length && scores[order[r]] == t)
            {
                correct += isMatch[order[r]] ? -1 : 1;
                r++;
            }
        }
        if (correct > best) bestThreshold = Math.BitIncrement(below); // reject everything: just above the highest score
        return bestThreshold;
    }

    /// <summary>
    /// k-fold accuracy over every pair of a score set, for tens of millions of pairs: the same rule as
    /// <see cref="Accuracy(ReadOnlySpan{float}, ReadOnlySpan{bool}, ReadOnlySpan{int}, int, int)"/> (threshold with the best accuracy on the other folds, lowest one, moved to the
    /// middle of the gap below it), computed by sweeping the sorted scores once per pass, for all folds at
    /// once, instead of sorting each training set. Each pair's fold is a seeded hash of its place in the
    /// sweep (a random assignment, independent of the scores). Pairs with a failure to enrol score below
    /// everything: genuine ones are always wrong, impostor ones always right.
    /// </summary>
    public static KFoldResult Accuracy(ScoreSet s, int k = 10, int seed = 0)
    {
        long total = s.GenuineCount + s.ImpostorCount;
        if (k < 2 || k > total) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 2 and the number of pairs ({total}).");
        ulong salt = Salt(seed);

        // Pass 1: pairs of each fold by label.
        var positives = new long[k];
        var negatives = new long[k];
        long index = 0;
        ForEachGroup(s, (t, genuineFrom, genuineTo, impostorFrom, impostorTo) =>
        {
            for (long r = genuineFrom; r < genuineTo; r++) positives[FoldOf(salt, index++, k)]++;
            for (long r = impostorFrom; r < impostorTo; r++) negatives[FoldOf(salt, index++, k)]++;
        });
        long allPositives = positives.Sum();

        // Pass 2: the best threshold of each training set (all folds but one), exactly as BestThreshold does.
        var correct = new long[k];
        var best = new long[k];
        var thresholds = new double[k];
        var below = new double[k];     // the training set's previous (lower) score, per fold
        var foldDelta = new long[k];
        var foldSize = new long[k];
        for (int f = 0; f < k; f++) { correct[f] = allPositives - positives[f]; best[f] = -1; thresholds[f] = double.PositiveInfinity; below[f] = double.NaN; }
        // This pass touches every group k times and dominates the cost: a group of one pair (the usual case) takes a short path.
        void Group(double t, long genuineInGroup, long impostorsInGroup, ref long index)
        {
            long groupSize = genuineInGroup + impostorsInGroup;
            long groupDelta = impostorsInGroup - genuineInGroup;
            if (groupSize == 1)
            {
                // The common case with continuous scores: one pair, in one fold.
                int only = FoldOf(salt, index++, k);
                for (int f = 0; f < k; f++)
                {
                    if (f == only) continue;
                    if (correct[f] > best[f]) { best[f] = correct[f]; thresholds[f] = double.IsNaN(below[f]) ? t : (below[f] + t) / 2; }
                    below[f] = t;
                    correct[f] += groupDelta;
                }
                return;
            }
            for (long r = 0; r < genuineInGroup; r++) { int f = FoldOf(salt, index++, k); foldDelta[f]--; foldSize[f]++; }
            for (long r = 0; r < impostorsInGroup; r++) { int f = FoldOf(salt, index++, k); foldDelta[f]++; foldSize[f]++; }
            for (int f = 0; f < k; f++)
            {
                // A score only the held-out fold has is no candidate for that fold's training set.
                if (groupSize > foldSize[f])
                {
                    if (correct[f] > best[f]) { best[f] = correct[f]; thresholds[f] = double.IsNaN(below[f]) ? t : (below[f] + t) / 2; }
                    below[f] = t;
                    // Raising the threshold past t rejects the group's training pairs.
                    correct[f] += groupDelta - foldDelta[f];
                }
                foldDelta[f] = 0; foldSize[f] = 0;
            }
        }
        index = 0;
        ForEachGroup(s, (t, genuineFrom, genuineTo, impostorFrom, impostorTo) => Group(t, genuineTo - genuineFrom, impostorTo - impostorFrom, ref index));
        for (int f = 0; f < k; f++)
            if (correct[f] > best[f]) thresholds[f] = Math.BitIncrement(below[f]);

        // Pass 3: accuracy of each fold at its threshold.
        var right = new long[k];
        index = 0;
        ForEachGroup(s, (t, genuineFrom, genuineTo, impostorFrom, impostorTo) =>
        {
            for (long r = genuineFrom; r < genuineTo; r++) { int f = FoldOf(salt, index++, k); if (t >= thresholds[f]) right[f]++; }
            for (long r = impostorFrom; r < impostorTo; r++) { int f = FoldOf(salt, index++, k); if (t < thresholds[f]) right[f]++; }
        });
        var accuracies = new double[k];
        for (int f = 0; f < k; f++) accuracies[f] = positives[f] + negatives[f] == 0 ? double.NaN : (double)right[f] / (positives[f] + negatives[f]);
        var valid = accuracies.Where(a => !double.IsNaN(a)).ToArray();
        double mean = valid.Average();
        double std = Math.Sqrt(valid.Sum(a => (a - mean) * (a - mean)) / valid.Length);
        return (mean, std, accuracies, thresholds);
    }

    /// <summary>The fold of the pair at this place in the sweep: a seeded hash, uniform over 0..k-1.</summary>
    internal static int FoldOf(ulong salt, long index, int k) => (int)((Mix(salt + (ulong)index) >> 32) * (ulong)k >> 32);

    internal static ulong Salt(int seed) => (ulong)(uint)seed * 0x9E37_79B9_7F4A_7C15UL + 0x632B_E59B_D9B4_E019UL;

    /// <summary>A group of equal scores: its score and its ranges of genuine and of impostor pairs.</summary>
    internal delegate void GroupVisitor(double score, long genuineFrom, long genuineTo, long impostorFrom, long impostorTo);

    /// <summary>
    /// Visits the pairs in ascending score order as groups of equal scores: failures to enrol first (at
    /// -infinity, as ranges over the failure counts), then each distinct score. Within a group the genuine
    /// pairs come first; that order numbers the pairs for <see cref="FoldOf"/>.
    /// </summary>
    internal static void ForEachGroup(ScoreSet s, GroupVisitor visit)
    {
        if (s.GenuineFailures + s.ImpostorFailures > 0) visit(double.NegativeInfinity, 0, s.GenuineFailures, 0, s.ImpostorFailures);
        var g = s.Genuine;
        var m = s.Impostor;
        int gi = 0, mi = 0;
        while (gi < g.Length || mi < m.Length)
        {
            float t = gi == g.Length ? m[mi] : mi == m.Length ? g[gi] : Math.Min(g[gi], m[mi]);
            int g0 = gi, m0 = mi;
            while (gi < g.Length && g[gi] == t) gi++;
            while (mi < m.Length && m[mi] == t) mi++;
            visit(t, g0, gi, m0, mi);
        }
    }

    /// <summary>SplitMix64's finaliser: a well-spread 64-bit hash.</summary>
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Mean and population standard deviation.</summary>
    public static MeanStd MeanStd(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return (double.NaN, double.NaN);
        double sum = 0;
        foreach (var v in values) sum += v;
        double mean = sum / values.Length, ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / values.Length));
    }

    /// <summary>Decidability d' = (mean genuine - mean impostor) / sqrt((var genuine + var impostor) / 2).</summary>
    public static double DPrime(ReadOnlySpan<float> genuine, ReadOnlySpan<float> impostor)
    {
        var (mg, sg) = MeanStd(genuine);
        var (mi, si) = MeanStd(impostor);
        return DPrime(mg, sg, mi, si);
    }

    /// <summary>Decidability from the means and standard deviations already at hand.</summary>
    public static double DPrime(double genuineMean, double genuineStd, double impostorMean, double impostorStd) =>
        (genuineMean - impostorMean) / Math.Sqrt((genuineStd * genuineStd + impostorStd * impostorStd) / 2);
}
