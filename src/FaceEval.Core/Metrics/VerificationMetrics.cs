namespace FaceEval.Core.Metrics;

/// <summary>How a TAR at a target FAR is read off the scores.</summary>
public enum FarConvention
{
    /// <summary>The lowest threshold whose FAR is at most the target (never above it).</summary>
    Strict,
    /// <summary>The InsightFace IJB 1:1 script: scikit-learn's roc_curve points, the one with the nearest FPR.</summary>
    InsightFace,
}

/// <summary>TAR at one target FAR. A pair is accepted when its score is at least <see cref="Threshold"/>.</summary>
public sealed record OperatingPoint(double TargetFar, double Threshold, double Tar, double AchievedFar, long FalseAccepts, bool Estimable)
{
    public double Frr => 1 - Tar;
}

/// <summary>One ROC point: accepting scores at or above <see cref="Threshold"/> gives these rates.</summary>
public readonly record struct RocPoint(double Threshold, double Far, double Tar);

/// <summary>
/// Genuine and impostor similarity scores, validated and sorted once, so every metric is an exact sweep
/// over them (no binning): AUC, EER, ROC and TAR at FAR.
/// </summary>
public sealed class ScoreSet
{
    private ScoreSet(float[] genuine, float[] impostor, long genuineFailures, long impostorFailures)
    {
        Genuine = genuine;
        Impostor = impostor;
        GenuineFailures = genuineFailures;
        ImpostorFailures = impostorFailures;
    }

    /// <summary>Genuine pairs with a failure to enrol: scored as rejections at every threshold (NIST convention).</summary>
    public long GenuineFailures { get; }

    /// <summary>Impostor pairs with a failure to enrol: likewise always rejected.</summary>
    public long ImpostorFailures { get; }

    /// <summary>All genuine pairs, failures to enrol included: the denominator of TAR and FRR.</summary>
    public long GenuineCount => Genuine.Length + GenuineFailures;

    /// <summary>All impostor pairs, failures to enrol included: the denominator of FAR.</summary>
    public long ImpostorCount => Impostor.Length + ImpostorFailures;

    /// <summary>Genuine scores, ascending.</summary>
    public float[] Genuine { get; }

    /// <summary>Impostor scores, ascending.</summary>
    public float[] Impostor { get; }

    /// <summary>Copies, checks and sorts the scores.</summary>
    /// <exception cref="ArgumentException">No genuine or no impostor pair, or a score that is NaN or infinite.</exception>
    /// <param name="genuine">Scores of same-identity pairs.</param>
    /// <param name="impostor">Scores of different-identity pairs.</param>
    /// <param name="genuineFailures">Same-identity pairs that have no score because an item failed to enrol.</param>
    /// <param name="impostorFailures">Different-identity pairs likewise.</param>
    public static ScoreSet Create(ReadOnlySpan<float> genuine, ReadOnlySpan<float> impostor, long genuineFailures = 0, long impostorFailures = 0)
    {
        if (genuineFailures < 0 || impostorFailures < 0) throw new ArgumentOutOfRangeException(nameof(genuineFailures), "Failure counts cannot be negative.");
        if (genuine.IsEmpty && impostor.IsEmpty) throw new ArgumentException("There are no scored pairs at all: every item failed to enrol.", nameof(genuine));
        if (genuine.IsEmpty && genuineFailures == 0) throw new ArgumentException("There are no genuine pairs (two embeddings of the same identity): verification cannot be measured.", nameof(genuine));
        if (impostor.IsEmpty && impostorFailures == 0) throw new ArgumentException("There are no impostor pairs (embeddings of different identities): verification cannot be measured.", nameof(impostor));
        var g = genuine.ToArray();
        var i = impostor.ToArray();
        foreach (var s in g) if (!float.IsFinite(s)) throw new ArgumentException($"A genuine score is {s}: every score must be a finite number.", nameof(genuine));
        foreach (var s in i) if (!float.IsFinite(s)) throw new ArgumentException($"An impostor score is {s}: every score must be a finite number.", nameof(impostor));
        Array.Sort(g);
        Array.Sort(i);
        return new ScoreSet(g, i, genuineFailures, impostorFailures);
    }

    /// <summary>Scores at or above <paramref name="t"/>.</summary>
    internal static long AtOrAbove(float[] sorted, double t) => sorted.Length - LowerBound(sorted, t);

    /// <summary>Index of the first score not below <paramref name="t"/>.</summary>
    internal static int LowerBound(float[] sorted, double t)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (sorted[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Index of the first score above <paramref name="t"/>.</summary>
    internal static int UpperBound(float[] sorted, double t)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (sorted[mid] <= t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}

/// <summary>
/// Verification metrics on a <see cref="ScoreSet"/>, by these conventions: FAR (= FMR) is the share of
/// impostor pairs accepted, TAR the share of genuine pairs accepted, FRR = 1 - TAR; a pair is accepted
/// when its score is at least the threshold.
/// </summary>
public static class VerificationMetrics
{
    /// <summary>Exact area under the ROC curve: the Mann-Whitney statistic, a tie counting one half.</summary>
    public static double Auc(ScoreSet s)
    {
        // For each genuine score: impostors strictly below count 1, equal ones 1/2.
        // Failures to enrol score below everything: below every finite genuine, tied among themselves.
        double sum = 0.5 * s.GenuineFailures * s.ImpostorFailures;
        var imp = s.Impostor;
        foreach (var g in s.Genuine)
        {
            int below = ScoreSet.LowerBound(imp, g);
            int notAbove = ScoreSet.UpperBound(imp, g);
            sum += below + 0.5 * (notAbove - below) + s.ImpostorFailures;
        }
        return sum / ((double)s.GenuineCount * s.ImpostorCount);
    }

    /// <summary>
    /// The equal error rate: over thresholds at the midpoints between consecutive distinct scores (or,
    /// when all scores are equal, just below and above that score), the one that minimises |FAR - FRR|
    /// (the lowest such threshold on a tie); EER = (FAR + FRR) / 2 there.
    /// </summary>
    public static (double Eer, double Threshold, double Far, double Frr) Eer(ScoreSet s)
    {
        var all = Distinct(s);
        double bestGap = double.MaxValue, eer = 0, threshold = 0, far = 0, frr = 0;
        void Try(double t)
        {
            double fa = (double)ScoreSet.AtOrAbove(s.Impostor, t) / s.ImpostorCount;
            double fr = 1 - (double)ScoreSet.AtOrAbove(s.Genuine, t) / s.GenuineCount;
            double gap = Math.Abs(fa - fr);
            if (gap < bestGap) { bestGap = gap; eer = (fa + fr) / 2; threshold = t; far = fa; frr = fr; }
        }
        if (all.Length == 1)
        {
            Try(Math.BitDecrement((double)all[0]));
            Try(Math.BitIncrement((double)all[0]));
        }
        for (int j = 0; j + 1 < all.Length; j++) Try(((double)all[j] + all[j + 1]) / 2);
        return (eer, threshold, far, frr);
    }

    /// <summary>The ROC at every distinct score (descending threshold), starting from (FAR 0, TAR 0) at +infinity.</summary>
    public static RocPoint[] Roc(ScoreSet s)
    {
        var all = Distinct(s);
        var points = new RocPoint[all.Length + 1];
        points[0] = new RocPoint(double.PositiveInfinity, 0, 0);
        for (int k = 0; k < all.Length; k++)
        {
            double t = all[all.Length - 1 - k];
            points[k + 1] = new RocPoint(t, (double)ScoreSet.AtOrAbove(s.Impostor, t) / s.ImpostorCount, (double)ScoreSet.AtOrAbove(s.Genuine, t) / s.GenuineCount);
        }
        return points;
    }

    /// <summary>TAR at each target FAR under the chosen convention.</summary>
    public static OperatingPoint[] TarAtFar(ScoreSet s, IReadOnlyList<double> targets, FarConvention convention = FarConvention.Strict) =>
        convention == FarConvention.Strict ? targets.Select(t => Strict(s, t)).ToArray() : InsightFace(s, targets);

    /// <summary>Whether a FAR this small can be estimated at all: at least 1 / target impostor pairs.</summary>
    public static bool IsEstimable(long impostorPairs, double targetFar) => impostorPairs >= Math.Ceiling(1 / targetFar - 1e-9);

    private static OperatingPoint Strict(ScoreSet s, double target)
    {
        if (!(target > 0 && target <= 1)) throw new ArgumentOutOfRangeException(nameof(target), target, "A target FAR is in (0, 1].");
        var imp = s.Impostor;
        var gen = s.Genuine;
        // The most false accepts allowed; the tolerance keeps 0.29 * 100 from flooring to 28. Failures to
        // enrol are never accepted, so only scored impostors can use the allowance.
        long allowed = (long)Math.Floor(target * s.ImpostorCount * (1 + 1e-12));
        var all = Distinct(s);
        double threshold;
        if (allowed >= imp.Length)
        {
            threshold = all[0]; // accept every scored pair
        }
        else
        {
            // FAR(t) <= target exactly when t is above the (allowed + 1)-th highest impostor score v; the
            // lowest such threshold is the smallest score above v.
            float v = imp[imp.Length - 1 - (int)allowed];
            int k = ScoreSet.UpperBound(all, v);
            threshold = k < all.Length ? all[k] : Math.BitIncrement((double)all[^1]);
        }
        long falseAccepts = ScoreSet.AtOrAbove(imp, threshold);
        return new OperatingPoint(target, threshold, (double)ScoreSet.AtOrAbove(gen, threshold) / s.GenuineCount,
            (double)falseAccepts / s.ImpostorCount, falseAccepts, IsEstimable(s.ImpostorCount, target));
    }

    /// <summary>
    /// scikit-learn roc_curve(drop_intermediate=True) points, then for each target the point with the
    /// nearest FPR, ties going to the larger FPR and then the larger TPR (the IJB script flips the arrays
    /// and takes the first minimum).
    /// </summary>
    private static OperatingPoint[] InsightFace(ScoreSet s, IReadOnlyList<double> targets)
    {
        // Distinct scores, descending, with cumulative true and false positives at each (roc_curve's tps, fps).
        var all = Distinct(s);
        int m = all.Length;
        var tps = new long[m];
        var fps = new long[m];
        var thr = new double[m];
        for (int k = 0; k < m; k++)
        {
            double t = all[m - 1 - k];
            thr[k] = t;
            tps[k] = ScoreSet.AtOrAbove(s.Genuine, t);
            fps[k] = ScoreSet.AtOrAbove(s.Impostor, t);
        }
        // Failures to enrol score as rejections: one more distinct score below all the others.
        if (s.GenuineFailures + s.ImpostorFailures > 0)
        {
            Array.Resize(ref tps, m + 1);
            Array.Resize(ref fps, m + 1);
            Array.Resize(ref thr, m + 1);
            tps[m] = s.GenuineCount;
            fps[m] = s.ImpostorCount;
            thr[m] = double.NegativeInfinity;
            m++;
        }
        // drop_intermediate: keep the ends and every point where the second difference of fps or tps is not zero.
        var keep = new List<int>();
        for (int k = 0; k < m; k++)
        {
            if (m <= 2 || k == 0 || k == m - 1 || fps[k + 1] - 2 * fps[k] + fps[k - 1] != 0 || tps[k + 1] - 2 * tps[k] + tps[k - 1] != 0)
                keep.Add(k);
        }
        // Prepend (0, 0) at +infinity, normalise, flip.
        int n = keep.Count + 1;
        var fpr = new double[n];
        var tpr = new double[n];
        var th = new double[n];
        th[0] = double.PositiveInfinity;
        for (int k = 0; k < keep.Count; k++)
        {
            fpr[k + 1] = (double)fps[keep[k]] / fps[m - 1];
            tpr[k + 1] = (double)tps[keep[k]] / tps[m - 1];
            th[k + 1] = thr[keep[k]];
        }
        Array.Reverse(fpr);
        Array.Reverse(tpr);
        Array.Reverse(th);
        var result = new OperatingPoint[targets.Count];
        for (int q = 0; q < targets.Count; q++)
        {
            int best = 0;
            for (int k = 1; k < n; k++)
                if (Math.Abs(fpr[k] - targets[q]) < Math.Abs(fpr[best] - targets[q])) best = k;
            long falseAccepts = (long)Math.Round(fpr[best] * s.ImpostorCount);
            result[q] = new OperatingPoint(targets[q], th[best], tpr[best], fpr[best], falseAccepts, IsEstimable(s.ImpostorCount, targets[q]));
        }
        return result;
    }

    /// <summary>All distinct scores, ascending.</summary>
    private static float[] Distinct(ScoreSet s)
    {
        var merged = new float[s.Genuine.Length + s.Impostor.Length];
        s.Genuine.CopyTo(merged, 0);
        s.Impostor.CopyTo(merged, s.Genuine.Length);
        Array.Sort(merged);
        int w = 0;
        for (int r = 0; r < merged.Length; r++)
            if (r == 0 || merged[r] != merged[w - 1]) merged[w++] = merged[r];
        return merged[..w];
    }
}
