namespace FaceEval.Core.Metrics;

/// <summary>
/// Models compared on exactly the same pairs by a paired bootstrap over identities (Efron and Tibshirani
/// 1993, An Introduction to the Bootstrap, ch. 13 for percentile intervals and ch. 16 for tests; the
/// resampling unit is the identity, as in <see cref="Bootstrap"/>, because pairs that share an identity are
/// not independent).
/// </summary>
public static class PairedBootstrap
{
    /// <summary>The metric name of a TAR-at-FAR row.</summary>
    public const string Tar = "Tar";
    /// <summary>The metric name of an EER row.</summary>
    public const string Eer = "Eer";

    /// <summary>Replicates drawn between two progress reports, measured side by side.</summary>
    private const int Batch = 64;

    /// <summary>
    /// Compares every pair of models (A before B in <see cref="PairedScores.Models"/> order) on TAR at each
    /// target (strict rule) and on the EER.
    /// <para>Each replicate draws the identities with replacement once, as <see cref="Bootstrap"/> does (the
    /// same draws for the same seed): an identity drawn c times weighs its genuine pairs c, an impostor pair
    /// of identities drawn c and d times weighs c · d. That one draw is used for every model, so the
    /// replicate differences are paired. In it, each model's strict threshold at each target and its EER
    /// threshold are chosen again on the weighted pairs (<see cref="WeightedSweep"/>); pairs are never
    /// scored again, only reweighted along each model's scores, sorted once.</para>
    /// <para>Per pair of models and metric: Difference = value(A) − value(B) on all pairs; the percentile
    /// interval of the replicate differences Δ at <paramref name="level"/> (linear interpolation between
    /// order statistics); the two-sided p of "no difference",
    /// p = min(1, 2 · (1 + min(#{Δ ≤ 0}, #{Δ ≥ 0})) / (B + 1)) (the +1 in the count and in B makes it a
    /// Monte Carlo p that is never 0: Davison and Hinkley 1997, Bootstrap Methods and their Application,
    /// ch. 4); and Holm's adjustment of that p over every pair of models
    /// for the same metric and target (<see cref="Holm"/>). B counts the replicates that drew both genuine
    /// and impostor pairs. Verdict: significant when the adjusted p is below 1 − level, the side by the sign
    /// of the difference (for the EER, lower is better).</para>
    /// <para>Descriptive McNemar (<see cref="McNemar"/>) on all pairs: each model at its own operating
    /// threshold (strict at the target, or its EER threshold), the genuine pairs accepted by one model only
    /// and the impostor pairs accepted by one model only. The thresholds were chosen on these same pairs, so
    /// those p are a description of the disagreement, not a test of it.</para>
    /// <para>Per model and metric: the value and the operating threshold on all pairs, with the percentile
    /// intervals of the replicate values and thresholds.</para>
    /// </summary>
    /// <param name="pairs">Every model's scores of the same pairs.</param>
    /// <param name="targets">Target FARs, each in (0, 1].</param>
    /// <param name="replicates">Bootstrap replicates (B), at least 2.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="level">Two-sided confidence level, in (0, 1).</param>
    /// <param name="replicateDone">Told the number of replicates done, every few replicates (for a progress bar).</param>
    /// <param name="cancellation">Checked between batches of replicates.</param>
    /// <param name="method">How the intervals and p are made. <see cref="IntervalMethod.Percentile"/> (this function's
    /// default): as above. <see cref="IntervalMethod.Bca"/>: the BCa interval of the replicate differences (Efron and
    /// Tibshirani 1993, ch. 14), its acceleration from the paired leave-one-identity-out differences; p as above.
    /// <see cref="IntervalMethod.Wilson"/> and <see cref="IntervalMethod.ClopperPearson"/>: each model's rate gets the
    /// interval of <see cref="RateInterval"/> (as Measure-FaceVerification: n_eff from its identity-jackknife variance, with fewer than 300 identities the larger of that and the bootstrap variance),
    /// and the difference the MOVER of those two intervals with ρ the correlation of the paired replicate values
    /// (<see cref="PairedDifference"/>); p is that interval inverted. The per-model intervals
    /// (<see cref="ModelThreshold.Lower"/>/<see cref="ModelThreshold.Upper"/>) follow the method too.</param>
    /// <exception cref="ArgumentException">Fewer than two models; a target, replicate count or level out of range.</exception>
    public static PairedBootstrapResult Compare(
        PairedScores pairs, IReadOnlyList<double> targets, int replicates = 1000, int seed = 0, double level = 0.95,
        Action<int>? replicateDone = null, CancellationToken cancellation = default, IntervalMethod method = IntervalMethod.Percentile)
    {
        if (pairs.Models.Count < 2) throw new ArgumentException($"A comparison needs at least two models; there is {pairs.Models.Count}.", nameof(pairs));
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least two replicates.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level is in (0, 1).");
        foreach (var t in targets)
            if (!(t > 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, "A target FAR is in (0, 1].");
        var r = Replicate(pairs, targets, replicates, seed, replicateDone, cancellation);
        int models = pairs.Models.Count, k = targets.Count;
        double lowQ = (1 - level) / 2, highQ = 1 - lowQ;
        var rates = method == IntervalMethod.Percentile ? null : ModelRates.Of(r.Sorted, r, targets, method, cancellation);

        var thresholds = new List<ModelThreshold>();
        for (int m = 0; m < models; m++)
        {
            for (int i = 0; i <= k; i++)
            {
                var value = i < k ? r.Tar[m][i] : r.Eer[m];
                var threshold = i < k ? r.Threshold[m][i] : r.EerThreshold[m];
                thresholds.Add(new ModelThreshold
                {
                    Model = pairs.Models[m], Metric = i < k ? Tar : Eer, TargetFar = i < k ? targets[i] : double.NaN,
                    Value = i < k ? r.Full[m].Tar[i] : r.Full[m].Eer,
                    Lower = rates?.Interval(m, i, level).Low ?? Bootstrap.Quantile(value, lowQ),
                    Upper = rates?.Interval(m, i, level).High ?? Bootstrap.Quantile(value, highQ),
                    Threshold = i < k ? r.Full[m].Threshold[i] : r.Full[m].EerThreshold,
                    ThresholdLower = Bootstrap.Quantile(threshold, lowQ), ThresholdUpper = Bootstrap.Quantile(threshold, highQ),
                    BootstrapCount = value.Count(v => !double.IsNaN(v)), ConfidenceLevel = level,
                });
            }
        }

        var comparisons = new List<ModelComparison>();
        for (int i = 0; i <= k; i++)
        {
            bool isEer = i == k;
            var family = new List<ModelComparison>();
            for (int ma = 0; ma < models; ma++)
                for (int mb = ma + 1; mb < models; mb++)
                {
                    var fa = r.Full[ma];
                    var fb = r.Full[mb];
                    double valueA = isEer ? fa.Eer : fa.Tar[i], valueB = isEer ? fb.Eer : fb.Tar[i];
                    double thresholdA = isEer ? fa.EerThreshold : fa.Threshold[i], thresholdB = isEer ? fb.EerThreshold : fb.Threshold[i];
                    var repA = isEer ? r.Eer[ma] : r.Tar[ma][i];
                    var repB = isEer ? r.Eer[mb] : r.Tar[mb][i];
                    var deltas = Differences(repA, repB);
                    var disagreement = Disagreement(pairs, ma, thresholdA, mb, thresholdB);
                    Interval interval;
                    double p;
                    switch (method)
                    {
                        case IntervalMethod.Wilson or IntervalMethod.ClopperPearson:
                            double rho = PairedDifference.Correlation(repA, repB);
                            int index = i;
                            interval = PairedDifference.Mover(valueA, rates!.Interval(ma, index, level), valueB, rates.Interval(mb, index, level), rho);
                            p = PairedDifference.PValue(valueA, valueB, rho, l => (rates.Interval(ma, index, l), rates.Interval(mb, index, l)));
                            break;
                        case IntervalMethod.Bca:
                            interval = BcaInterval.TwoSided(valueA - valueB, deltas, rates!.JackknifeDifference(ma, mb, i), level);
                            p = TwoSidedP(deltas);
                            break;
                        default:
                            interval = new Interval(Bootstrap.Quantile(deltas, lowQ), Bootstrap.Quantile(deltas, highQ));
                            p = TwoSidedP(deltas);
                            break;
                    }
                    family.Add(new ModelComparison
                    {
                        ModelA = pairs.Models[ma], ModelB = pairs.Models[mb], Metric = isEer ? Eer : Tar, TargetFar = isEer ? double.NaN : targets[i],
                        ValueA = valueA, ValueB = valueB, Difference = valueA - valueB,
                        Lower = interval.Low, Upper = interval.High,
                        PValue = p, BootstrapCount = deltas.Length, ConfidenceLevel = level, IntervalMethod = method,
                        Verdict = ModelComparison.NoSignificantDifference,
                        ThresholdA = thresholdA, ThresholdB = thresholdB,
                        GenuineOnlyA = disagreement.GenuineOnlyA, GenuineOnlyB = disagreement.GenuineOnlyB,
                        GenuineMcNemarP = McNemar.ExactTwoSidedP(disagreement.GenuineOnlyA, disagreement.GenuineOnlyB),
                        ImpostorOnlyA = disagreement.ImpostorOnlyA, ImpostorOnlyB = disagreement.ImpostorOnlyB,
                        ImpostorMcNemarP = McNemar.ExactTwoSidedP(disagreement.ImpostorOnlyA, disagreement.ImpostorOnlyB),
                    });
                }
            var adjusted = Holm.Adjust(family.Select(c => c.PValue).ToArray());
            for (int j = 0; j < family.Count; j++)
            {
                var c = family[j];
                comparisons.Add(c with { AdjustedPValue = adjusted[j], Verdict = Verdict(c.Difference, adjusted[j], level, lowerIsBetter: isEer) });
            }
        }
        return new PairedBootstrapResult(comparisons, thresholds);
    }

    /// <summary>
    /// Two-sided bootstrap p of "no difference" from the replicate differences:
    /// min(1, 2 · (1 + min(#{Δ ≤ 0}, #{Δ ≥ 0})) / (B + 1)); NaN without replicates.
    /// </summary>
    public static double TwoSidedP(IReadOnlyList<double> deltas)
    {
        if (deltas.Count == 0) return double.NaN;
        long notAbove = 0, notBelow = 0;
        foreach (var d in deltas)
        {
            if (d <= 0) notAbove++;
            if (d >= 0) notBelow++;
        }
        return Math.Min(1, 2.0 * (1 + Math.Min(notAbove, notBelow)) / (deltas.Count + 1));
    }

    /// <summary>The verdict: significant when <paramref name="adjustedP"/> &lt; 1 − <paramref name="level"/>; then the better side by the sign of the difference.</summary>
    public static string Verdict(double difference, double adjustedP, double level, bool lowerIsBetter)
    {
        if (!(adjustedP < 1 - level) || difference == 0 || double.IsNaN(difference)) return ModelComparison.NoSignificantDifference;
        return (difference > 0) != lowerIsBetter ? ModelComparison.ABetter : ModelComparison.BBetter;
    }

    /// <summary>Replicate differences where both values exist.</summary>
    private static double[] Differences(double[] a, double[] b)
    {
        var d = new List<double>(a.Length);
        for (int r = 0; r < a.Length; r++)
            if (!double.IsNaN(a[r]) && !double.IsNaN(b[r])) d.Add(a[r] - b[r]);
        return d.ToArray();
    }

    /// <summary>Pairs on which two models, each at its own threshold, decide apart: genuine and impostor, accepted by one only.</summary>
    public static Disagreement Disagreement(PairedScores pairs, int modelA, double thresholdA, int modelB, double thresholdB)
    {
        var sa = pairs.Scores(modelA);
        var sb = pairs.Scores(modelB);
        long genuineOnlyA = 0, genuineOnlyB = 0, impostorOnlyA = 0, impostorOnlyB = 0;
        for (int p = 0; p < sa.Length; p++)
        {
            bool acceptA = sa[p] >= thresholdA, acceptB = sb[p] >= thresholdB;
            if (acceptA == acceptB) continue;
            if (pairs.IsGenuine(p)) { if (acceptA) genuineOnlyA++; else genuineOnlyB++; }
            else { if (acceptA) impostorOnlyA++; else impostorOnlyB++; }
        }
        return new Disagreement(genuineOnlyA, genuineOnlyB, impostorOnlyA, impostorOnlyB);
    }

    /// <summary>
    /// Each model's leave-one-identity-out values and the pieces <see cref="RateInterval"/> needs, so that its TAR
    /// (as FNMR) and EER get the interval of the method at any level.
    /// </summary>
    private sealed class ModelRates
    {
        private IntervalMethod _method;
        private Replicates _replicates = null!;
        private double[][][] _jackTar = null!; // [model][target][identity]
        private double[][] _jackEer = null!;   // [model][identity]
        private double[] _genuineOf = null!;
        private double _genuine, _eerTrials;

        public static ModelRates Of(LabelledPairs[] sorted, Replicates replicates, IReadOnlyList<double> targets, IntervalMethod method, CancellationToken cancellation)
        {
            int models = sorted.Length;
            var rates = new ModelRates { _method = method, _replicates = replicates, _jackTar = new double[models][][], _jackEer = new double[models][] };
            Parallel.For(0, models, m => (rates._jackTar[m], rates._jackEer[m]) = IdentityJackknife.Values(sorted[m], targets, cancellation));
            // The same pairs for every model: one count of genuine pairs per identity.
            var first = sorted[0];
            rates._genuineOf = new double[first.Identities];
            double impostor = 0;
            for (int p = 0; p < first.A.Length; p++)
                if (first.A[p] == first.B[p]) rates._genuineOf[first.A[p]]++;
                else impostor++;
            rates._genuine = rates._genuineOf.Sum();
            rates._eerTrials = 4 / (1 / rates._genuine + 1 / impostor);
            return rates;
        }

        /// <summary>The interval of model <paramref name="m"/>'s value at target <paramref name="i"/> (the EER when i is the number of targets).</summary>
        public Interval Interval(int m, int i, double level)
        {
            int k = _jackTar[m].Length;
            if (i == k) return RateInterval.Of(_method, _replicates.Full[m].Eer, _jackEer[m], _eerTrials, _genuineOf, level, _replicates.Eer[m], largerVariance: true).Interval;
            return RateInterval.OfTar(_method, _replicates.Full[m].Tar[i], _jackTar[m][i], _genuine, _genuineOf, level, _replicates.Tar[m][i]).Tar;
        }

        /// <summary>Leave-one-identity-out differences of model a's and model b's value (NaN where either is).</summary>
        public double[] JackknifeDifference(int a, int b, int i)
        {
            int k = _jackTar[a].Length;
            var ja = i == k ? _jackEer[a] : _jackTar[a][i];
            var jb = i == k ? _jackEer[b] : _jackTar[b][i];
            return ja.Select((v, n) => v - jb[n]).ToArray();
        }
    }

    /// <summary>The full-data points of every model and its value and thresholds in every replicate.</summary>
    private sealed class Replicates(int models, int targets, int replicates)
    {
        public WeightedPoints[] Full { get; } = new WeightedPoints[models];
        /// <summary>Each model's pairs sorted by its scores.</summary>
        public LabelledPairs[] Sorted { get; } = new LabelledPairs[models];
        /// <summary>[model][target][replicate]</summary>
        public double[][][] Tar { get; } = Jagged(models, targets, replicates);
        public double[][][] Threshold { get; } = Jagged(models, targets, replicates);
        /// <summary>[model][replicate]</summary>
        public double[][] Eer { get; } = Enumerable.Range(0, models).Select(_ => new double[replicates]).ToArray();
        public double[][] EerThreshold { get; } = Enumerable.Range(0, models).Select(_ => new double[replicates]).ToArray();

        private static double[][][] Jagged(int models, int targets, int replicates) =>
            Enumerable.Range(0, models).Select(_ => Enumerable.Range(0, targets).Select(_ => new double[replicates]).ToArray()).ToArray();
    }

    private static Replicates Replicate(PairedScores pairs, IReadOnlyList<double> targets, int replicates, int seed, Action<int>? replicateDone, CancellationToken cancellation)
    {
        int models = pairs.Models.Count, k = targets.Count, identities = pairs.Identities;
        var result = new Replicates(models, k, replicates);
        var sorted = result.Sorted;
        Parallel.For(0, models, m => sorted[m] = pairs.Sorted(m));

        var ones = new double[identities];
        Array.Fill(ones, 1.0);
        var (genuineAll, impostorAll) = pairs.Totals(ones);
        for (int m = 0; m < models; m++)
        {
            result.Full[m] = new WeightedPoints(k);
            WeightedSweep.Measure(sorted[m], ones, genuineAll, impostorAll, targets, result.Full[m]);
        }

        // The draws come from one generator in replicate order, as in Bootstrap.Intervals; a batch of them is
        // then measured side by side, each replicate writing only its own slots.
        var random = new Random(seed);
        int batch = Math.Min(Batch, replicates);
        var counts = new double[batch][];
        for (int j = 0; j < batch; j++) counts[j] = new double[identities];
        var totals = new (double Genuine, double Impostor)[batch];
        using var scratch = new ThreadLocal<WeightedPoints>(() => new WeightedPoints(k));
        for (int start = 0; start < replicates; start += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int size = Math.Min(batch, replicates - start);
            for (int j = 0; j < size; j++)
            {
                var c = counts[j];
                Array.Clear(c);
                for (int d = 0; d < identities; d++) c[random.Next(identities)]++;
                totals[j] = pairs.Totals(c);
            }
            Parallel.For(0, size * models, new ParallelOptions { CancellationToken = cancellation }, job =>
            {
                int j = job / models, m = job % models, rep = start + j;
                var c = counts[j];
                var points = scratch.Value!;
                WeightedSweep.Measure(sorted[m], c, totals[j].Genuine, totals[j].Impostor, targets, points);
                for (int i = 0; i < k; i++)
                {
                    result.Tar[m][i][rep] = points.Tar[i];
                    result.Threshold[m][i][rep] = points.Threshold[i];
                }
                result.Eer[m][rep] = points.Eer;
                result.EerThreshold[m][rep] = points.EerThreshold;
            });
            replicateDone?.Invoke(start + size);
        }
        return result;
    }
}
