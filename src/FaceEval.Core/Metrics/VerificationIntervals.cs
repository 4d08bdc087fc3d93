namespace FaceEval.Core.Metrics;

/// <summary>
/// Confidence intervals of TAR at each target FAR (strict rule) and of the EER by one
/// <see cref="IntervalMethod"/>, with the one-sided upper bounds that error-rate claims are written with
/// ("FNMR at most x with 95 % confidence"). Built by <see cref="Compute"/>.
/// </summary>
public sealed class VerificationIntervals
{
    public required IntervalMethod Method { get; init; }
    public required double Level { get; init; }
    /// <summary>Two-sided interval of TAR per target (the FNMR interval turned round: TAR = 1 − FNMR).</summary>
    public required Interval[] Tar { get; init; }
    /// <summary>One-sided upper bound of FNMR = 1 − TAR per target, at <see cref="Level"/>.</summary>
    public required double[] FnmrUpper { get; init; }
    /// <summary>Effective number of genuine pairs behind each TAR (n_eff; see <see cref="RateInterval"/>).</summary>
    public required double[] TarEffectivePairs { get; init; }
    /// <summary>Whether each TAR's interval is approximate (<see cref="IsApproximate"/>).</summary>
    public required bool[] TarApproximate { get; init; }
    public required Interval Eer { get; init; }
    /// <summary>One-sided upper bound of the EER at <see cref="Level"/>.</summary>
    public required double EerUpper { get; init; }
    public required double EerEffectivePairs { get; init; }
    public required bool EerApproximate { get; init; }
    /// <summary>Percentile interval of the strict threshold per target when the bootstrap ran; empty otherwise.</summary>
    public Interval[] Threshold { get; init; } = [];

    /// <summary>
    /// The intervals of <paramref name="method"/> at <paramref name="level"/>. Always the identity jackknife
    /// (<see cref="IdentityJackknife"/>) and, with <paramref name="replicates"/> of at least 2, the identity
    /// bootstrap (<see cref="BootstrapReplicates"/>): the replicates of Bca and Percentile, and for Wilson and
    /// Clopper–Pearson of TAR and EER with fewer than <see cref="EffectiveSampleSize.JackknifeAloneIdentities"/> identities the bootstrap half of the variance behind n_eff (<see cref="EffectiveSampleSize.LargerVariance"/>;
    /// without replicates the jackknife's alone).
    /// </summary>
    /// <param name="pairs">Every pair, sorted, with its identities.</param>
    /// <param name="targets">Target FARs, each in (0, 1].</param>
    /// <param name="method">The interval method.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <param name="replicates">Identity-bootstrap replicates (at least 2 for <see cref="IntervalMethod.Bca"/>, <see cref="IntervalMethod.Percentile"/> and threshold intervals; 0 leaves the bootstrap out of Wilson and Clopper–Pearson).</param>
    /// <param name="thresholdIntervals">Whether to return the bootstrap's threshold intervals for Wilson and Clopper–Pearson too (Bca and Percentile always do).</param>
    /// <param name="seed">Seed of the bootstrap draws.</param>
    /// <param name="replicateDone">Told the replicates done (for a progress bar).</param>
    /// <param name="cancellation">Checked between replicates and jackknife steps.</param>
    public static VerificationIntervals Compute(LabelledPairs pairs, IReadOnlyList<double> targets, IntervalMethod method, double level,
        int replicates, bool thresholdIntervals, int seed, Action<int>? replicateDone = null, CancellationToken cancellation = default)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level is in (0, 1).");
        foreach (var t in targets)
            if (!(t > 0 && t <= 1)) throw new ArgumentOutOfRangeException(nameof(targets), t, "A target FAR is in (0, 1].");
        int g = pairs.Identities, k = targets.Count;
        var ones = new double[g];
        Array.Fill(ones, 1.0);
        var (genuineTotal, impostorTotal) = WeightedSweep.Totals(pairs.A, pairs.B, ones);
        var full = new WeightedPoints(k);
        WeightedSweep.Measure(pairs, ones, genuineTotal, impostorTotal, targets, full);
        var genuineOf = new double[g];
        for (int p = 0; p < pairs.A.Length; p++) if (pairs.A[p] == pairs.B[p]) genuineOf[pairs.A[p]]++;

        if (method is IntervalMethod.Bca or IntervalMethod.Percentile || thresholdIntervals)
            if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, $"The {method} method and threshold intervals need at least 2 bootstrap replicates.");
        bool bootstrap = replicates >= 2;
        var draws = bootstrap ? BootstrapReplicates.Draw(pairs, targets, replicates, seed, replicateDone, cancellation) : null;
        var (jackTar, jackEer) = IdentityJackknife.Values(pairs, targets, cancellation);

        var tar = new Interval[k];
        var upper = new double[k];
        var effective = new double[k];
        var approximate = new bool[k];
        for (int i = 0; i < k; i++)
        {
            double fnmr = 1 - full.Tar[i];
            (tar[i], var b) = RateInterval.OfTar(method, full.Tar[i], jackTar[i], genuineTotal, genuineOf, level, draws?.Tar[i]);
            upper[i] = b.Upper;
            effective[i] = b.EffectiveTrials;
            approximate[i] = IsApproximate(fnmr, b.EffectiveTrials, g);
        }
        // The EER averages a genuine and an impostor rate: a binomial of p(1 − p)/4 · (1/Ng + 1/Ni) variance has 4 / (1/Ng + 1/Ni) trials.
        double eerTrials = 4 / (1 / genuineTotal + 1 / impostorTotal);
        var e = RateInterval.Of(method, full.Eer, jackEer, eerTrials, genuineOf, level, draws?.Eer, largerVariance: true);
        return new VerificationIntervals
        {
            Method = method, Level = level, Tar = tar, FnmrUpper = upper, TarEffectivePairs = effective, TarApproximate = approximate,
            Eer = e.Interval, EerUpper = e.Upper, EerEffectivePairs = e.EffectiveTrials, EerApproximate = IsEerApproximate(full.Eer, e.EffectiveTrials, genuineOf),
            Threshold = draws is null || !(thresholdIntervals || method is IntervalMethod.Bca or IntervalMethod.Percentile) ? [] : draws.Threshold.Select(v => PercentileInterval.TwoSided(v, level)).ToArray(),
        };
    }

    /// <summary>
    /// Where the coverage study (bench/coverage) could not hold the nominal level within ±2 points: fewer
    /// than 30 identities, or fewer than 10 expected errors (rate × n_eff; with no error observed the interval
    /// is the one-sided bound, which covers more often than the level says).
    /// </summary>
    public static bool IsApproximate(double rate, double effectiveTrials, int identities) =>
        identities < 30 || !(rate * effectiveTrials >= 10);

    /// <summary>
    /// <see cref="IsApproximate"/> for the EER, and also where the identities have on average at most about one
    /// genuine pair each (m₀ = Σmᵢ² / Σmᵢ below 2, i.e. two images per person): the coverage study found the
    /// EER's interval conservative there (97–99 % at 95 % with 2 images per identity, 100 to 1,000 identities),
    /// the identity jackknife then varying the genuine side by single pairs.
    /// </summary>
    /// <param name="rate">The EER.</param>
    /// <param name="effectiveTrials">n_eff of its interval.</param>
    /// <param name="genuinePerIdentity">The genuine pairs of each identity (zero for identities without one).</param>
    public static bool IsEerApproximate(double rate, double effectiveTrials, ReadOnlySpan<double> genuinePerIdentity)
    {
        double sum = 0, squares = 0;
        foreach (var m in genuinePerIdentity) { sum += m; squares += m * m; }
        return IsApproximate(rate, effectiveTrials, genuinePerIdentity.Length) || !(squares / sum >= 2);
    }
}
