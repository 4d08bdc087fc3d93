namespace FaceEval.Core.Metrics;

/// <summary>
/// Whether a threshold set on some people holds its FAR on new people: the strict threshold at each target
/// FAR is chosen on one half of the identities and applied to the other half, over seeded random splits
/// (a cross-validation of the threshold over identities, in the spirit of the disjoint development and
/// evaluation populations of ISO/IEC 19795-1 and NIST FRVT; FAR is FMR there).
/// </summary>
public static class TransferCheck
{
    /// <summary>
    /// For every model and target: over <paramref name="splits"/> seeded splits of the identities into two
    /// halves (the first ⌊n/2⌋ of a seeded shuffle, and the rest; the same splits for every model), the
    /// strict threshold at the target (<see cref="WeightedSweep"/>: the lowest threshold whose FAR on that
    /// half is at most the target) is chosen on one half and applied to the other — in both directions, as
    /// the halves are drawn alike and neither is the natural one to choose on; that doubles the transfers
    /// at no cost in independence of the two halves of a split. A half holds the genuine pairs of its
    /// identities and the impostor pairs whose two identities both fall in it; impostor pairs across the
    /// halves belong to neither. Failures to enrol count in a half's totals and are never accepted.
    /// <para>TransferFarRatio is the median, and TransferFarRatioMax the largest, of
    /// FAR(unseen half) / target over the transfers; TransferTar is the median TAR on the unseen half at the
    /// transferred threshold (the median of an even count is the mean of the middle two). A transfer is
    /// left out when the half it chooses on has no genuine or no impostor pair, or the half it is applied to
    /// has no impostor pair; it counts in TransferTar only when that half also has a genuine pair.</para>
    /// </summary>
    /// <param name="pairs">Every model's scores of the same pairs.</param>
    /// <param name="targets">Target FARs, each in (0, 1].</param>
    /// <param name="splits">Random splits (K), at least 1.</param>
    /// <param name="seed">Seed of the splits.</param>
    /// <param name="cancellation">Checked between splits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A target or split count out of range.</exception>
    /// <exception cref="FaceEvalException">CannotMeasure: fewer than two identities.</exception>
    public static IReadOnlyList<ThresholdTransfer> Run(PairedScores pairs, IReadOnlyList<double> targets, int splits = 10, int seed = 0, CancellationToken cancellation = default)
    {
        if (splits < 1) throw new ArgumentOutOfRangeException(nameof(splits), splits, "At least one split.");
        foreach (var t in targets)
            if (!(t > 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, "A target FAR is in (0, 1].");
        if (pairs.Identities < 2) throw new FaceEvalException(FaceEvalError.CannotMeasure, "A transfer check splits the identities in two halves: it needs at least two identities.");
        int models = pairs.Models.Count, k = targets.Count;
        var ratios = new List<double>[models, k];
        var tars = new List<double>[models, k];
        for (int m = 0; m < models; m++)
            for (int i = 0; i < k; i++) { ratios[m, i] = new List<double>(); tars[m, i] = new List<double>(); }
        var sorted = Enumerable.Range(0, models).Select(pairs.Sorted).ToArray();

        var random = new Random(seed);
        var order = Enumerable.Range(0, pairs.Identities).ToArray();
        var first = new double[pairs.Identities];
        var second = new double[pairs.Identities];
        var points = new WeightedPoints(k);
        var ratio = new double[k];
        var tar = new double[k];
        for (int split = 0; split < splits; split++)
        {
            cancellation.ThrowIfCancellationRequested();
            random.Shuffle(order);
            Array.Clear(first);
            Array.Clear(second);
            for (int r = 0; r < order.Length; r++) (r < order.Length / 2 ? first : second)[order[r]] = 1;
            for (int m = 0; m < models; m++)
                foreach (var (seen, unseen) in new[] { (first, second), (second, first) })
                {
                    Transfer(pairs, sorted[m], seen, unseen, targets, points, ratio, tar);
                    for (int i = 0; i < k; i++)
                    {
                        if (double.IsNaN(ratio[i])) continue;
                        ratios[m, i].Add(ratio[i]);
                        if (!double.IsNaN(tar[i])) tars[m, i].Add(tar[i]);
                    }
                }
        }

        var result = new List<ThresholdTransfer>();
        for (int m = 0; m < models; m++)
            for (int i = 0; i < k; i++)
                result.Add(new ThresholdTransfer
                {
                    Model = pairs.Models[m], TargetFar = targets[i],
                    TransferFarRatio = Median(ratios[m, i]), TransferFarRatioMax = ratios[m, i].Count == 0 ? double.NaN : ratios[m, i].Max(),
                    TransferTar = Median(tars[m, i]), Transfers = ratios[m, i].Count, Splits = splits, Seed = seed,
                });
        return result;
    }

    /// <summary>
    /// One transfer: the strict threshold at each target chosen on the identities weighted 1 in
    /// <paramref name="seen"/> (0 elsewhere), then FAR(unseen) / target and TAR(unseen) at that threshold on
    /// the identities weighted 1 in <paramref name="unseen"/>; NaN where a half cannot give them.
    /// </summary>
    internal static void Transfer(PairedScores pairs, LabelledPairs sorted, double[] seen, double[] unseen, IReadOnlyList<double> targets, WeightedPoints points, double[] ratio, double[] tar)
    {
        var (seenGenuine, seenImpostor) = pairs.Totals(seen);
        var (unseenGenuine, unseenImpostor) = pairs.Totals(unseen);
        WeightedSweep.Measure(sorted, seen, seenGenuine, seenImpostor, targets, points);
        for (int i = 0; i < targets.Count; i++)
        {
            double threshold = points.Threshold[i];
            if (double.IsNaN(threshold)) { ratio[i] = tar[i] = double.NaN; continue; }
            var (genuine, impostor) = WeightedSweep.Accepted(sorted, unseen, threshold);
            ratio[i] = unseenImpostor == 0 ? double.NaN : impostor / unseenImpostor / targets[i];
            tar[i] = unseenGenuine == 0 ? double.NaN : genuine / unseenGenuine;
        }
    }

    /// <summary>The median: the middle value, or the mean of the middle two; NaN for none.</summary>
    internal static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var v = values.Order().ToArray();
        int h = v.Length / 2;
        return v.Length % 2 == 1 ? v[h] : (v[h - 1] + v[h]) / 2;
    }
}
