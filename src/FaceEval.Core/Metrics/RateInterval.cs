namespace FaceEval.Core.Metrics;

/// <summary>
/// The confidence interval of one error rate measured on pairs that share identities, by any
/// <see cref="IntervalMethod"/>: the reusable piece behind Measure-FaceVerification's intervals, meant for
/// every analysis that reports a rate (TAR/FNMR at a target FAR, EER, a subgroup's rate).
/// <para>What a caller supplies: the rate on all pairs, its leave-one-identity-out values (the analysis
/// re-run without each identity, its threshold chosen again; <see cref="IdentityJackknife"/> does it for
/// TAR and EER), the number of trials behind the rate, the trials per identity (for the bound when no
/// error is observed) and, for the bootstrap methods, the rate on each identity-bootstrap replicate.</para>
/// <para>Rules, the same for every method: with no error observed (rate 0) the interval is [0, U] and the
/// one-sided bound is U = 1 − (1 − level)^(1/n₀), the clustered rule of three (≈ 3/n₀ at 95 %) with
/// n₀ = N / m₀ the conservative effective size of <see cref="EffectiveSampleSize.WithoutErrors"/>. Wilson and
/// Clopper–Pearson use n_eff = p̂(1 − p̂) / V (<see cref="EffectiveSampleSize.FromVariance"/>; n₀ when nothing
/// varies), V the jackknife variance or, for a rate the jackknife cannot follow (FNMR at a threshold chosen for a
/// target FAR, the EER crossing, with fewer than 300 identities; asked by <c>largerVariance</c>), the larger of the
/// jackknife and the bootstrap variance
/// (<see cref="EffectiveSampleSize.LargerVariance"/>), shrunk by Korn and Graubard's degrees-of-freedom factor (z / t_{g−1})²
/// for g identities (<see cref="EffectiveSampleSize.DegreesOfFreedomAdjusted"/>); the returned
/// <see cref="RateBounds.EffectiveTrials"/> is the two-sided one.</para>
/// </summary>
public static class RateInterval
{
    /// <summary>One rate's interval, one-sided upper bound and effective number of trials.</summary>
    /// <param name="method">The method.</param>
    /// <param name="rate">The error rate on all pairs, in [0, 1] (for TAR pass FNMR = 1 − TAR).</param>
    /// <param name="jackknife">Leave-one-identity-out values of the rate (NaN where undefined).</param>
    /// <param name="trials">Trials behind the rate (pairs, or the effective count for a mix such as the EER); the cap of n_eff.</param>
    /// <param name="trialsPerIdentity">Trials of each identity, for n₀ when no error is observed.</param>
    /// <param name="level">Confidence level in (0, 1): of the two-sided interval and, separately, of the one-sided bound.</param>
    /// <param name="replicates">Identity-bootstrap replicates of the rate; needed by <see cref="IntervalMethod.Bca"/> and <see cref="IntervalMethod.Percentile"/>; for Wilson and Clopper–Pearson their variance enters V with <paramref name="largerVariance"/>.</param>
    /// <param name="dfAdjust">Korn and Graubard's degrees-of-freedom adjustment of n_eff (<see cref="EffectiveSampleSize.DegreesOfFreedomAdjusted"/>) for Wilson and Clopper–Pearson; on by default (off only to measure what it does).</param>
    /// <param name="largerVariance">Wilson and Clopper–Pearson with fewer than <see cref="EffectiveSampleSize.JackknifeAloneIdentities"/>
    /// identities: V is the larger of the jackknife and the <paramref name="replicates"/>' variance. For the EER and FNMR at a target FAR:
    /// the coverage study (bench/coverage, 1,000 sets per regime) found the jackknife's alone optimistic there with 5 or more images per
    /// identity and up to 100 identities (e.g. 100 × 5 at FNMR 1 %: 93.3 %, 45 of 67 misses too low; with the larger variance 96.5 %,
    /// 18 / 17), as the delete-one jackknife underestimates the variance of a threshold or crossing point (Efron and Tibshirani 1993,
    /// §11.6); from 300 identities it held the level. Rates at a fixed threshold (subgroups) keep the jackknife's.</param>
    public static RateBounds Of(IntervalMethod method, double rate, double[] jackknife, double trials, ReadOnlySpan<double> trialsPerIdentity, double level, double[]? replicates = null, bool dfAdjust = true,
        bool largerVariance = false)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "A confidence level is in (0, 1).");
        if (double.IsNaN(rate)) return new RateBounds(new Interval(double.NaN, double.NaN), double.NaN, double.NaN, true);
        double n0 = EffectiveSampleSize.WithoutErrors(trialsPerIdentity);
        if (rate <= 0)
        {
            double upper = ZeroErrorUpper(n0, level);
            return new RateBounds(new Interval(0, upper), upper, n0, true);
        }
        int clusters = 0;
        foreach (var m in trialsPerIdentity) if (m > 0) clusters++;
        double variance = EffectiveSampleSize.JackknifeVariance(jackknife);
        if (largerVariance && clusters < EffectiveSampleSize.JackknifeAloneIdentities && replicates is not null && method is IntervalMethod.Wilson or IntervalMethod.ClopperPearson)
            variance = EffectiveSampleSize.LargerVariance(variance, EffectiveSampleSize.BootstrapVariance(replicates));
        double nEff = EffectiveSampleSize.FromVariance(rate, variance, trials);
        if (double.IsNaN(nEff)) nEff = Math.Min(n0, trials);
        // Korn–Graubard: n_eff shrunk by (z/t)² with identities − 1 degrees of freedom, for the two-sided and the one-sided quantile.
        double nTwo = dfAdjust ? EffectiveSampleSize.DegreesOfFreedomAdjusted(nEff, clusters - 1, 1 - (1 - level) / 2) : nEff;
        double nOne = dfAdjust ? EffectiveSampleSize.DegreesOfFreedomAdjusted(nEff, clusters - 1, level) : nEff;
        switch (method)
        {
            case IntervalMethod.Wilson:
                return new RateBounds(WilsonInterval.TwoSided(rate, nTwo, level), WilsonInterval.Upper(rate, nOne, level), nTwo, false);
            case IntervalMethod.ClopperPearson:
                return new RateBounds(ClopperPearsonInterval.TwoSided(rate, nTwo, level), ClopperPearsonInterval.Upper(rate, nOne, level), nTwo, false);
            case IntervalMethod.Bca:
            case IntervalMethod.Percentile:
                if (replicates is null) throw new ArgumentNullException(nameof(replicates), $"The {method} method needs the bootstrap replicates of the rate.");
                var interval = method == IntervalMethod.Bca ? BcaInterval.TwoSided(rate, replicates, jackknife, level) : PercentileInterval.TwoSided(replicates, level);
                double high = method == IntervalMethod.Bca ? BcaInterval.Upper(rate, replicates, jackknife, level) : PercentileInterval.Upper(replicates, level);
                return new RateBounds(interval, high, nEff, false);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown interval method.");
        }
    }

    /// <summary>
    /// TAR's interval at a target FAR, through the error rate it complements: <see cref="Of"/> on FNMR = 1 − TAR
    /// (its jackknife and replicate values complemented), with the larger variance since the threshold is chosen
    /// for the target, and the FNMR interval turned back into TAR's.
    /// </summary>
    /// <returns>TAR's two-sided interval, and FNMR's bounds (its one-sided upper bound is the claim's FnmrUpper).</returns>
    public static (Interval Tar, RateBounds Fnmr) OfTar(IntervalMethod method, double tar, double[] jackknifeTar, double trials, ReadOnlySpan<double> trialsPerIdentity,
        double level, double[]? replicatesTar = null)
    {
        var fnmr = Of(method, 1 - tar, Complement(jackknifeTar), trials, trialsPerIdentity, level, replicatesTar is null ? null : Complement(replicatesTar), largerVariance: true);
        return (new Interval(1 - fnmr.Interval.High, 1 - fnmr.Interval.Low), fnmr);
    }

    private static double[] Complement(double[] values)
    {
        var c = new double[values.Length];
        for (int i = 0; i < c.Length; i++) c[i] = 1 - values[i];
        return c;
    }

    /// <summary>The one-sided upper bound at <paramref name="level"/> when no error is seen in <paramref name="n"/> effective trials: 1 − (1 − level)^(1/n) (≈ 3/n at 95 %).</summary>
    public static double ZeroErrorUpper(double n, double level) => n > 0 ? 1 - Math.Pow(1 - level, 1 / n) : 1;
}

