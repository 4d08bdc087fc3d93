using FaceEval.Core.Metrics;

namespace FaceEval.Core.Identification;

/// <summary>
/// Bootstrap intervals over identities for the 1:N figures. The gallery stays as enrolled; the searches are
/// resampled by person: each replicate draws the searching identities (mated and non-mated together) with
/// replacement, and a person drawn c times counts each of their searches c times. On each replicate the threshold
/// is chosen again by the run's convention on the weighted non-mated maxima, and FNIR and the rank-1 rate are
/// measured; the interval is the percentile interval at the level.
/// </summary>
public static class IdentificationBootstrap
{
    /// <returns>Per target the FNIR and threshold intervals, and the rank-1 rate's.</returns>
    public static (Interval[] Fnir, Interval[] Threshold, Interval RankOne) Intervals(
        SearchOutcomes s, IReadOnlyList<double> targets, int rank, IdentificationConvention convention,
        int replicates, int seed, double level, Action<int>? replicateDone = null, CancellationToken cancellation = default)
    {
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least two replicates.");
        var people = s.MatedIdentity.Concat(s.NonMatedIdentity).Distinct().Order().ToArray();
        var index = new Dictionary<int, int>();
        for (int i = 0; i < people.Length; i++) index[people[i]] = i;
        var matedPerson = s.MatedIdentity.Select(p => index[p]).ToArray();
        // Non-mated maxima from the highest, with their person; mate scores from the lowest, with theirs.
        var nm = Enumerable.Range(0, s.NonMated).OrderByDescending(i => s.NonMatedMax[i]).ToArray();
        var nmScore = nm.Select(i => s.NonMatedMax[i]).ToArray();
        var nmPerson = nm.Select(i => index[s.NonMatedIdentity[i]]).ToArray();

        var random = new Random(seed);
        var counts = new double[people.Length];
        var fnir = targets.Select(_ => new double[replicates]).ToArray();
        var threshold = targets.Select(_ => new double[replicates]).ToArray();
        var rankOne = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            Array.Clear(counts);
            for (int d = 0; d < people.Length; d++) counts[random.Next(people.Length)]++;
            double wm = 0, wn = 0, hitsOne = 0;
            for (int i = 0; i < s.Mated; i++)
            {
                double w = counts[matedPerson[i]];
                wm += w;
                if (s.Rank(i) <= 1) hitsOne += w;
            }
            foreach (int p in nmPerson) wn += counts[p];
            rankOne[r] = wm > 0 ? hitsOne / wm : double.NaN;
            for (int k = 0; k < targets.Count; k++)
            {
                if (wm == 0 || wn == 0) { fnir[k][r] = threshold[k][r] = double.NaN; continue; }
                if (convention == IdentificationConvention.Strict)
                {
                    // v: the first maximum (from the highest) where the weight at or above it exceeds what may alarm.
                    double allowed = Math.Floor(targets[k] * wn * (1 + 1e-12)), cum = 0;
                    float v = float.NegativeInfinity;
                    for (int q = 0; q < nmScore.Length; q++)
                    {
                        cum += counts[nmPerson[q]];
                        if (cum > allowed) { v = nmScore[q]; break; }
                    }
                    // T is the lowest drawn score above v: a mate scores at least T exactly when it scores above v.
                    double misses = 0;
                    float next = float.PositiveInfinity;
                    for (int i = 0; i < s.Mated; i++)
                    {
                        double w = counts[matedPerson[i]];
                        if (w == 0) continue;
                        if (s.Rank(i) > rank || s.MateScore[i] <= v) misses += w;
                        if (s.MateScore[i] > v && s.MateScore[i] < next) next = s.MateScore[i];
                    }
                    for (int q = 0; q < nmScore.Length; q++)
                        if (counts[nmPerson[q]] > 0 && nmScore[q] > v && nmScore[q] < next) next = nmScore[q];
                    fnir[k][r] = misses / wm;
                    threshold[k][r] = float.IsPositiveInfinity(next) ? (float.IsNegativeInfinity(v) ? double.NaN : Math.BitIncrement((double)v)) : next;
                }
                else
                {
                    // The replicate's sorted list holds each maximum as often as its person was drawn.
                    long at = Math.Max((long)(wn * targets[k]) - 1, 0);
                    double cum = 0;
                    float t = float.NegativeInfinity;
                    for (int q = 0; q < nmScore.Length; q++)
                    {
                        cum += counts[nmPerson[q]];
                        if (cum > at) { t = nmScore[q]; break; }
                    }
                    double hits = 0;
                    for (int i = 0; i < s.Mated; i++)
                        if (s.MateScore[i] > s.BestOther[i] && s.MateScore[i] > t) hits += counts[matedPerson[i]];
                    fnir[k][r] = 1 - hits / wm;
                    threshold[k][r] = t;
                }
            }
            replicateDone?.Invoke(r + 1);
        }
        double lowQ = (1 - level) / 2, highQ = 1 - lowQ;
        Interval Of(double[] v) => new(Bootstrap.Quantile(v, lowQ), Bootstrap.Quantile(v, highQ));
        return (fnir.Select(Of).ToArray(), threshold.Select(Of).ToArray(), Of(rankOne));
    }
}
