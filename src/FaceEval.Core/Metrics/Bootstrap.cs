namespace FaceEval.Core.Metrics;

/// <summary>Bootstrap confidence intervals for TAR at FAR (strict rule) and EER, resampling identities.</summary>
public static class Bootstrap
{
    /// <summary>
    /// Draws the identities with replacement <paramref name="replicates"/> times (seeded). In a replicate an
    /// identity drawn c times contributes its genuine pairs c times and an impostor pair of identities drawn
    /// c and d times counts c × d times (pairs between two copies of one identity are not formed). TAR at
    /// each target (strict rule: the lowest threshold whose FAR is at most the target) and EER are measured
    /// on each replicate; the interval is the percentile interval at <paramref name="level"/>. So is the
    /// interval of the strict threshold at each target, chosen again on each replicate by
    /// <see cref="WeightedSweep"/> (the same draws, so the same intervals as <see cref="PairedBootstrap"/>'s
    /// per-model thresholds for one seed); the TAR and EER intervals do not depend on it.
    /// </summary>
    /// <returns>Lower and upper bounds of TAR per target, and of EER; of the strict threshold per target in <see cref="BootstrapIntervals.Threshold"/>.</returns>
    /// <param name="pairs">Every pair, sorted by score, with its identities.</param>
    /// <param name="targets">Target FARs.</param>
    /// <param name="replicates">Bootstrap replicates.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="level">Two-sided level of the percentile intervals.</param>
    /// <param name="replicateDone">Told the number of replicates done after each one (for a progress bar).</param>
    /// <param name="cancellation">Checked before each replicate.</param>
    public static BootstrapIntervals Intervals(
        LabelledPairs pairs, IReadOnlyList<double> targets, int replicates, int seed, double level = 0.95,
        Action<int>? replicateDone = null, CancellationToken cancellation = default)
    {
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least two replicates.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level is in (0, 1).");
        var random = new Random(seed);
        var tar = new double[targets.Count][];
        for (int k = 0; k < tar.Length; k++) tar[k] = new double[replicates];
        var threshold = new double[targets.Count][];
        for (int k = 0; k < threshold.Length; k++) threshold[k] = new double[replicates];
        var points = new WeightedPoints(targets.Count);
        var eer = new double[replicates];
        var counts = new double[pairs.Identities];
        for (int r = 0; r < replicates; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            Array.Clear(counts);
            for (int d = 0; d < pairs.Identities; d++) counts[random.Next(pairs.Identities)]++;
            var (tars, e) = Weighted(pairs, counts, targets);
            for (int k = 0; k < tars.Length; k++) tar[k][r] = tars[k];
            eer[r] = e;
            var (genuineTotal, impostorTotal) = WeightedSweep.Totals(pairs.A, pairs.B, counts);
            WeightedSweep.Measure(pairs, counts, genuineTotal, impostorTotal, targets, points);
            for (int k = 0; k < threshold.Length; k++) threshold[k][r] = points.Threshold[k];
            replicateDone?.Invoke(r + 1);
        }
        double lowQ = (1 - level) / 2, highQ = 1 - lowQ;
        return new BootstrapIntervals(tar.Select(v => new Interval(Quantile(v, lowQ), Quantile(v, highQ))).ToArray(), new Interval(Quantile(eer, lowQ), Quantile(eer, highQ)))
        {
            Threshold = threshold.Select(v => new Interval(Quantile(v, lowQ), Quantile(v, highQ))).ToArray(),
        };
    }

    /// <summary>
    /// Strict TAR at each target and EER with identity weights (a count per identity): the same rules as
    /// <see cref="VerificationMetrics"/>, where each pair counts its weight instead of 1. NaN when a
    /// replicate has no genuine or no impostor weight.
    /// </summary>
    internal static (double[] Tar, double Eer) Weighted(LabelledPairs pairs, double[] counts, IReadOnlyList<double> targets)
    {
        var s = pairs.Scores;
        double Weight(int p) => pairs.A[p] == pairs.B[p] ? counts[pairs.A[p]] : counts[pairs.A[p]] * counts[pairs.B[p]];
        double genuineTotal = 0, impostorTotal = 0, genuineScored = 0, impostorScored = 0;
        for (int p = 0; p < s.Length; p++)
        {
            double w = Weight(p);
            bool genuine = pairs.A[p] == pairs.B[p];
            if (genuine) genuineTotal += w; else impostorTotal += w;
            if (float.IsNegativeInfinity(s[p])) continue;
            if (genuine) genuineScored += w; else impostorScored += w;
        }
        var tar = new double[targets.Count];
        if (genuineTotal == 0 || impostorTotal == 0) { Array.Fill(tar, double.NaN); return (tar, double.NaN); }

        // From the highest score down, over groups of equal (finite) scores, with the weight accepted at or above each.
        var found = new bool[targets.Count];
        double tp = 0, fp = 0, previousTp = 0, previousFp = 0;
        double bestGap = double.MaxValue, eer = double.NaN;
        int distinct = 0;
        int q = s.Length - 1;
        while (q >= 0 && !float.IsNegativeInfinity(s[q]))
        {
            float t = s[q];
            double groupTp = 0, groupFp = 0;
            while (q >= 0 && s[q] == t)
            {
                if (pairs.A[q] == pairs.B[q]) groupTp += Weight(q); else groupFp += Weight(q);
                q--;
            }
            // EER at the midpoint above this group: what the groups above accepted.
            if (distinct++ > 0) TryEer(previousTp, previousFp);
            tp = previousTp + groupTp;
            fp = previousFp + groupFp;
            // Strict TAR: the first group whose acceptance pushes FAR over a target sets that target's
            // threshold at the score above it, where TAR is what the groups above accepted.
            for (int k = 0; k < targets.Count; k++)
                if (!found[k] && fp > targets[k] * impostorTotal * (1 + 1e-12)) { found[k] = true; tar[k] = previousTp / genuineTotal; }
            previousTp = tp;
            previousFp = fp;
        }
        for (int k = 0; k < targets.Count; k++) if (!found[k]) tar[k] = genuineScored / genuineTotal;
        if (distinct == 1) { TryEer(0, 0); TryEer(genuineScored, impostorScored); }
        return (tar, eer);

        void TryEer(double acceptedTp, double acceptedFp)
        {
            double fa = acceptedFp / impostorTotal, fr = 1 - acceptedTp / genuineTotal, gap = Math.Abs(fa - fr);
            if (gap <= bestGap) { bestGap = gap; eer = (fa + fr) / 2; }
        }
    }

    /// <summary>Linear-interpolation quantile of the values that are not NaN.</summary>
    internal static double Quantile(double[] values, double p)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        double h = (v.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        return lo + 1 < v.Length ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
    }
}
