namespace FaceEval.Core.Identification;

/// <summary>
/// The 1:N metrics, one function per definition (NIST FRVT Part 2: Identification, NISTIR 8271; ISO/IEC 19795-1).
/// Tie rule throughout: a gallery entry scoring exactly the mate's score ranks ahead of the mate, and a search
/// alarms on an entry scoring exactly the threshold. A failure to enrol scores −∞: a miss at every rank, never an alarm.
/// </summary>
public static class IdentificationMetrics
{
    /// <summary>The cumulative match characteristic: element r − 1 is the share of mated searches whose mate has rank at most r (rank = 1 + other entries scoring ≥ the mate).</summary>
    public static double[] Cmc(SearchOutcomes s, int maxRank)
    {
        var cmc = new double[maxRank];
        if (s.Mated == 0) { Array.Fill(cmc, double.NaN); return cmc; }
        var atRank = new long[maxRank + 1];
        for (int i = 0; i < s.Mated; i++)
        {
            int r = s.Rank(i);
            if (r <= maxRank) atRank[r]++;
        }
        long sum = 0;
        for (int r = 1; r <= maxRank; r++) { sum += atRank[r]; cmc[r - 1] = (double)sum / s.Mated; }
        return cmc;
    }

    /// <summary>FPIR(T): the share of non-mated searches whose best score is at least T; NaN without non-mated searches.</summary>
    public static double Fpir(SearchOutcomes s, double threshold) =>
        s.NonMated == 0 ? double.NaN : (double)s.NonMatedMax.Count(m => m >= threshold) / s.NonMated;

    /// <summary>FNIR(R, T): the share of mated searches whose mate ranks beyond R or scores below T; NaN without mated searches.</summary>
    public static double Fnir(SearchOutcomes s, int rank, double threshold)
    {
        if (s.Mated == 0) return double.NaN;
        long misses = 0;
        for (int i = 0; i < s.Mated; i++)
            if (s.Rank(i) > rank || s.MateScore[i] < threshold) misses++;
        return (double)misses / s.Mated;
    }

    /// <summary>
    /// The strict threshold for a target FPIR: the lowest T with FPIR(T) ≤ target. With n non-mated searches at
    /// most a = ⌊target · n⌋ may alarm, so T must lie above the (a + 1)-th highest non-mated maximum v; the lowest
    /// such threshold is the lowest score (a non-mated maximum or a mate score) above v, or the next number above v
    /// when none is. When a ≥ n every search may alarm and T is the lowest score. NaN without non-mated searches.
    /// </summary>
    public static double StrictThreshold(SearchOutcomes s, double target)
    {
        if (!(target > 0 && target <= 1)) throw new ArgumentOutOfRangeException(nameof(target), target, "A target FPIR is in (0, 1].");
        int n = s.NonMated;
        if (n == 0) return double.NaN;
        // The tolerance keeps 0.29 * 100 from flooring to 28 (the same rule as the 1:1 strict TAR at FAR).
        long allowed = (long)Math.Floor(target * n * (1 + 1e-12));
        float v = float.NegativeInfinity;
        if (allowed < n)
        {
            var desc = s.NonMatedMax.OrderByDescending(x => x).ToArray();
            v = desc[allowed];
        }
        float next = float.PositiveInfinity;
        foreach (float x in s.NonMatedMax) if (x > v && x < next) next = x;
        foreach (float x in s.MateScore) if (x > v && x < next) next = x;
        if (float.IsPositiveInfinity(next)) return float.IsNegativeInfinity(v) ? double.NaN : Math.BitIncrement((double)v);
        return next;
    }

    /// <summary>
    /// The InsightFace threshold (ijb_evals.py, evaluation_1N): the non-mated maxima sorted from the highest, the
    /// element at index max(⌊n · far⌋ − 1, 0), with n · far computed in double precision and truncated as Python's
    /// int() does. NaN without non-mated searches.
    /// </summary>
    public static double InsightFaceThreshold(SearchOutcomes s, double far)
    {
        int n = s.NonMated;
        if (n == 0) return double.NaN;
        var desc = s.NonMatedMax.OrderByDescending(x => x).ToArray();
        return desc[Math.Max((int)(n * far) - 1, 0)];
    }

    /// <summary>
    /// The InsightFace TPIR at a threshold: the share of mated searches whose mate scores strictly above every
    /// other gallery entry and strictly above the threshold (ijb_evals.py: pos_sims &gt; neg_sims.max(1) and pos_sims &gt; thresh).
    /// </summary>
    public static double InsightFaceTpir(SearchOutcomes s, double threshold)
    {
        if (s.Mated == 0) return double.NaN;
        long hits = 0;
        for (int i = 0; i < s.Mated; i++)
            if (s.MateScore[i] > s.BestOther[i] && s.MateScore[i] > threshold) hits++;
        return (double)hits / s.Mated;
    }

    /// <summary>
    /// Selectivity SEL(T) at each threshold: the mean number of gallery entries scoring at or above T per non-mated
    /// search. Exact: from each search's kept best scores, rescored in full when all of them are at or above T.
    /// NaN without non-mated searches.
    /// </summary>
    public static double[] Selectivity(SearchOutcomes s, IReadOnlyList<double> thresholds)
    {
        var totals = EntriesAtOrAbove(s, thresholds);
        return totals.Select((t, i) => s.NonMated == 0 || double.IsNaN(thresholds[i]) ? double.NaN : (double)t / s.NonMated).ToArray();
    }

    /// <summary>
    /// FMR(T) of the non-mated searches' 1:1 comparisons (each search against each gallery entry): the share at or
    /// above T, which is SEL(T) / N for a gallery of N entries.
    /// </summary>
    public static double[] Fmr(SearchOutcomes s, IReadOnlyList<double> thresholds)
    {
        var totals = EntriesAtOrAbove(s, thresholds);
        double comparisons = (double)s.NonMated * s.GalleryEntries;
        return totals.Select((t, i) => comparisons == 0 || double.IsNaN(thresholds[i]) ? double.NaN : t / comparisons).ToArray();
    }

    /// <summary>Summed over the non-mated searches, entries scoring at or above each threshold (the scores are floats, so T is compared as the float it rounds up to).</summary>
    private static long[] EntriesAtOrAbove(SearchOutcomes s, IReadOnlyList<double> thresholds)
    {
        var totals = new long[thresholds.Count];
        var floats = thresholds.Select(AsFloatThreshold).ToArray();
        var rescore = new HashSet<int>();
        for (int i = 0; i < s.NonMated; i++)
        {
            var top = s.NonMatedTop.AsSpan(i * s.TopK, s.TopK);
            for (int t = 0; t < floats.Length; t++)
            {
                if (float.IsNaN(floats[t])) continue;
                if (top[^1] >= floats[t] && s.TopK < s.GalleryEntries) { rescore.Add(i); continue; }
                foreach (float x in top) if (x >= floats[t]) totals[t]++;
            }
        }
        if (rescore.Count > 0)
        {
            var exact = s.CountAtOrAbove(rescore.Order().ToArray(), floats);
            // Those searches were left out above only for the thresholds that need them; count them once, exactly.
            for (int t = 0; t < floats.Length; t++)
            {
                if (float.IsNaN(floats[t])) continue;
                foreach (int i in rescore)
                {
                    var top = s.NonMatedTop.AsSpan(i * s.TopK, s.TopK);
                    if (top[^1] >= floats[t]) continue; // not counted above for this threshold
                    foreach (float x in top) if (x >= floats[t]) totals[t]--;
                }
                totals[t] += exact[t];
            }
        }
        return totals;
    }

    /// <summary>The lowest float at or above a threshold: score ≥ T exactly when score ≥ this float.</summary>
    internal static float AsFloatThreshold(double t)
    {
        if (double.IsNaN(t)) return float.NaN;
        float f = (float)t;
        return f < t ? MathF.BitIncrement(f) : f;
    }

    /// <summary>True when there are at least 1 / target non-mated searches, so FPIR at the target can be observed at all.</summary>
    public static bool IsEstimable(long nonMated, double target) => nonMated > 0 && nonMated >= Math.Ceiling(1 / target - 1e-9);

    /// <summary>
    /// FNIR(R, T) against FPIR(T) over the distinct non-mated maxima as thresholds (highest first), thinned to about
    /// <paramref name="points"/> points spread evenly in log FPIR, the last point always kept.
    /// </summary>
    public static FnirFpirPoint[] Curve(SearchOutcomes s, int rank, int points = 200)
    {
        if (s.NonMated == 0 || s.Mated == 0) return Array.Empty<FnirFpirPoint>();
        var maxima = s.NonMatedMax.Where(float.IsFinite).OrderByDescending(x => x).ToArray();
        // Misses that no threshold cures (rank beyond R or no embedding), and the mate scores of the others, ascending.
        int rankMisses = 0;
        var mates = new List<float>();
        for (int i = 0; i < s.Mated; i++) { if (s.Rank(i) > rank) rankMisses++; else mates.Add(s.MateScore[i]); }
        mates.Sort();
        var curve = new List<FnirFpirPoint>();
        double lastLog = double.NegativeInfinity, step = 4.0 / points;
        int q = 0;
        while (q < maxima.Length)
        {
            float t = maxima[q];
            while (q < maxima.Length && maxima[q] == t) q++;
            double fpir = (double)q / s.NonMated;
            int below = LowerBound(mates, t);
            double fnir = (double)(rankMisses + below) / s.Mated;
            double log = Math.Log10(fpir);
            if (log - lastLog >= step || q == maxima.Length) { curve.Add(new FnirFpirPoint(t, fpir, fnir)); lastLog = log; }
        }
        return curve.ToArray();
    }

    private static int LowerBound(List<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (sorted[mid] < value) lo = mid + 1; else hi = mid; }
        return lo;
    }
}
