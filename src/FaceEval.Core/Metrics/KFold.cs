namespace FaceEval.Core.Metrics;

/// <summary>
/// k-fold verification accuracy, and the usual summary statistics of a score set. k-fold follows the LFW
/// protocol's cross-validation (Huang et al. 2007, Labeled Faces in the Wild, UMass TR 07-49) as
/// InsightFace's verification script applies it: each fold's threshold is the one with the best accuracy
/// on the other folds; here it is found exactly among the scores (<see cref="BestThreshold"/>) rather than on
/// InsightFace's 0.01 grid.
/// </summary>
public static partial class KFold
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
        return Summarise(accuracies, thresholds);
    }

    /// <summary>The result of the folds: mean and population standard deviation over the folds that have pairs (NaN accuracy: none).</summary>
    private static KFoldResult Summarise(double[] accuracies, double[] thresholds)
    {
        var valid = accuracies.Where(a => !double.IsNaN(a)).ToArray();
        double mean = valid.Average();
        double std = Math.Sqrt(valid.Sum(a => (a - mean) * (a - mean)) / valid.Length);
        return (mean, std, accuracies, thresholds);
    }

    /// <summary>k for a requested number of folds over this many pairs: no more folds than pairs.</summary>
    public static int FoldsFor(int requested, long pairs) => (int)Math.Min(requested, pairs);

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
    /// k-fold accuracy over every pair of a score set: <see cref="Accuracy(ReadOnlyMemory{float}, ReadOnlyMemory{float}, long, long, int, int, CancellationToken)"/>
    /// on its (sorted) genuine and impostor lists and its failures to enrol.
    /// </summary>
    public static KFoldResult Accuracy(ScoreSet s, int k = 10, int seed = 0) =>
        Accuracy(s.Genuine, s.Impostor, s.GenuineFailures, s.ImpostorFailures, k, seed);

    /// <summary>The fold of pair number <paramref name="index"/>: a seeded hash, uniform over 0..k-1.</summary>
    internal static int FoldOf(ulong salt, long index, int k) => (int)((Mix(salt + (ulong)index) >> 32) * (ulong)k >> 32);

    internal static ulong Salt(int seed) => (ulong)(uint)seed * 0x9E37_79B9_7F4A_7C15UL + 0x632B_E59B_D9B4_E019UL;

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
