using FaceEval.Core.Metrics;

namespace FaceEval.Core.Identification;

/// <summary>
/// Rank-1 rate and FNIR at each target FPIR as the gallery grows: for sizes on a geometric grid (halving from the
/// full gallery down to 2 identities) seeded draws of that many gallery identities are searched by the mated
/// searches whose mate was drawn and by all non-mated searches (the same non-mated set at every size, so a change
/// in FPIR is the gallery's doing). The threshold is chosen again on each draw. Next to it: the FPIR the full
/// gallery's threshold gives at that size, measured, and as independence predicts it, 1 − (1 − FMR(T))^N
/// (FMR from the full gallery's non-mated 1:1 comparisons).
/// </summary>
public static class GallerySizeCurve
{
    /// <summary>The sizes: the full gallery, half of it, a quarter, … down to 2, smallest first.</summary>
    public static int[] Sizes(int galleryIdentities)
    {
        var sizes = new SortedSet<int>();
        for (double s = galleryIdentities; s >= 2; s /= 2) sizes.Add((int)Math.Round(s));
        if (galleryIdentities >= 1) sizes.Add(galleryIdentities);
        return sizes.ToArray();
    }

    /// <param name="full">The full gallery's searches.</param>
    /// <param name="fullPoints">The full gallery's operating points.</param>
    /// <param name="search">Searches a sub-gallery given as the drawn identity classes.</param>
    /// <param name="targets">Target FPIRs.</param>
    /// <param name="rank">R of FNIR(R, T).</param>
    /// <param name="convention">How thresholds are chosen.</param>
    /// <param name="draws">Draws per size below the full gallery.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="cancellation">Checked before each draw.</param>
    public static GallerySizePoint[] Measure(
        SearchOutcomes full, IdentificationOperatingPoint[] fullPoints, Func<int[], SearchOutcomes> search,
        IReadOnlyList<double> targets, int rank, IdentificationConvention convention, int draws, int seed, CancellationToken cancellation = default)
    {
        int k = full.GalleryEntries;
        var alarmAt = fullPoints.Select(p => convention == IdentificationConvention.Strict || double.IsNaN(p.Threshold) ? p.Threshold : (double)MathF.BitIncrement((float)p.Threshold)).ToArray();
        var fmr = IdentificationMetrics.Fmr(full, alarmAt);
        var random = new Random(seed);
        var curve = new List<GallerySizePoint>();
        foreach (int n in Sizes(k))
        {
            int count = n == k ? 1 : draws;
            var rankOne = new double[count];
            var fnir = targets.Select(_ => new double[count]).ToArray();
            var fpir = targets.Select(_ => new double[count]).ToArray();
            for (int d = 0; d < count; d++)
            {
                cancellation.ThrowIfCancellationRequested();
                SearchOutcomes s;
                IdentificationOperatingPoint[] points;
                if (n == k) { s = full; points = fullPoints; }
                else
                {
                    s = search(Draw(random, k, n));
                    points = IdentificationPoints.Measure(s, targets, rank, convention);
                }
                rankOne[d] = IdentificationMetrics.Cmc(s, 1)[0];
                for (int t = 0; t < targets.Count; t++)
                {
                    fnir[t][d] = points[t].Fnir;
                    fpir[t][d] = double.IsNaN(alarmAt[t]) ? double.NaN : IdentificationMetrics.Fpir(s, alarmAt[t]);
                }
            }
            curve.Add(new GallerySizePoint
            {
                GallerySize = n, Draws = count,
                RankOneRate = Bootstrap.Quantile(rankOne, 0.5), RankOneLow = Bootstrap.Quantile(rankOne, 0.05), RankOneHigh = Bootstrap.Quantile(rankOne, 0.95),
                TargetFpir = targets.ToArray(),
                Fnir = fnir.Select(v => Bootstrap.Quantile(v, 0.5)).ToArray(),
                FnirLow = fnir.Select(v => Bootstrap.Quantile(v, 0.05)).ToArray(),
                FnirHigh = fnir.Select(v => Bootstrap.Quantile(v, 0.95)).ToArray(),
                FpirAtFullThreshold = fpir.Select(v => Bootstrap.Quantile(v, 0.5)).ToArray(),
                PredictedFpir = fmr.Select(f => double.IsNaN(f) ? double.NaN : 1 - Math.Pow(1 - f, n)).ToArray(),
            });
        }
        return curve.ToArray();
    }

    /// <summary>n distinct classes of k, drawn uniformly (a partial Fisher–Yates shuffle), in ascending order.</summary>
    private static int[] Draw(Random random, int k, int n)
    {
        var all = Enumerable.Range(0, k).ToArray();
        for (int i = 0; i < n; i++)
        {
            int j = i + random.Next(k - i);
            (all[i], all[j]) = (all[j], all[i]);
        }
        var drawn = all[..n];
        Array.Sort(drawn);
        return drawn;
    }
}
