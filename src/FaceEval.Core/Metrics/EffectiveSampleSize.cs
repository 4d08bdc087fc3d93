namespace FaceEval.Core.Metrics;

/// <summary>
/// The effective number of independent trials behind an error rate measured on pairs that share identities:
/// n_eff = n / deff, deff the design effect of the clustering (Kish 1965; for biometric error rates
/// Schuckers 2010, Computational Methods in Biometric Authentication, ch. 2–3). A binomial interval
/// (<see cref="WilsonInterval"/>, <see cref="ClopperPearsonInterval"/>) on n_eff then respects that
/// errors come in identities.
/// </summary>
public static class EffectiveSampleSize
{
    /// <summary>
    /// Schuckers' estimate for a rate measured at a fixed threshold, from the errors eᵢ and trials mᵢ of each
    /// identity (cluster): p̂ = Σeᵢ / Σmᵢ = e/N; the intra-identity correlation of errors
    /// ρ̂ = Σᵢ Σ_{j≠k} (Yᵢⱼ − p̂)(Yᵢₖ − p̂) / (p̂(1 − p̂) · Σᵢ mᵢ(mᵢ − 1)), where the double sum per identity is
    /// (eᵢ − p̂mᵢ)² − [eᵢ(1 − p̂)² + (mᵢ − eᵢ)p̂²]; deff = 1 + (m₀ − 1)·ρ̂ with m₀ = Σmᵢ² / Σmᵢ (m̄ for equal
    /// sizes); n_eff = N / deff. ρ̂ is kept in [0, 1] (a negative estimate would claim more information than
    /// independent trials). With no error or no success observed ρ cannot be estimated and the conservative
    /// ρ = 1 is used: n_eff = N / m₀, about one trial per identity (<see cref="WithoutErrors"/>).
    /// </summary>
    /// <param name="errors">Errors per identity (eᵢ).</param>
    /// <param name="trials">Trials per identity (mᵢ); identities with none are ignored.</param>
    public static (double Rate, double Rho, double DesignEffect, double Trials, double Effective) Schuckers(ReadOnlySpan<double> errors, ReadOnlySpan<double> trials)
    {
        if (errors.Length != trials.Length) throw new ArgumentException($"{errors.Length} error counts for {trials.Length} trial counts.", nameof(errors));
        double e = 0, n = 0, n2 = 0, pairsWithin = 0;
        for (int i = 0; i < trials.Length; i++)
        {
            if (!(errors[i] >= 0 && errors[i] <= trials[i])) throw new ArgumentOutOfRangeException(nameof(errors), errors[i], $"Identity {i} has {errors[i]} errors in {trials[i]} trials.");
            e += errors[i]; n += trials[i]; n2 += trials[i] * trials[i]; pairsWithin += trials[i] * (trials[i] - 1);
        }
        if (n == 0) throw new ArgumentException("No trials.", nameof(trials));
        double p = e / n, m0 = n2 / n;
        if (p == 0 || p == 1) return (p, 1, m0, n, n / m0);
        double cross = 0;
        for (int i = 0; i < trials.Length; i++)
        {
            double r = errors[i] - p * trials[i];
            cross += r * r - (errors[i] * (1 - p) * (1 - p) + (trials[i] - errors[i]) * p * p);
        }
        double rho = pairsWithin > 0 ? Math.Clamp(cross / (p * (1 - p) * pairsWithin), 0, 1) : 0;
        double deff = 1 + (m0 - 1) * rho;
        return (p, rho, deff, n, n / deff);
    }

    /// <summary>
    /// n_eff for any rate whose variance has been estimated (for example by <see cref="JackknifeVariance"/>,
    /// which also carries a threshold's own variability): the n for which a binomial rate would have that
    /// variance, n_eff = p̂(1 − p̂) / V, kept within [1, <paramref name="trials"/>] (deff ≥ 1). NaN when p̂ is 0
    /// or 1 or V is 0: nothing then measures the clustering (use <see cref="WithoutErrors"/>).
    /// </summary>
    public static double FromVariance(double rate, double variance, double trials)
    {
        if (!(rate > 0 && rate < 1) || !(variance > 0)) return double.NaN;
        return Math.Clamp(rate * (1 - rate) / variance, 1, trials);
    }

    /// <summary>
    /// The delete-one-identity jackknife variance (Quenouille–Tukey; Efron and Tibshirani 1993, ch. 11):
    /// V = (g − 1)/g · Σ(θ₍ᵢ₎ − θ̄)² over the g identities whose value is not NaN.
    /// </summary>
    public static double JackknifeVariance(ReadOnlySpan<double> leaveOneOut)
    {
        int g = 0;
        double sum = 0;
        foreach (var v in leaveOneOut) if (!double.IsNaN(v)) { g++; sum += v; }
        if (g < 2) return double.NaN;
        double mean = sum / g, ss = 0;
        foreach (var v in leaveOneOut) if (!double.IsNaN(v)) ss += (v - mean) * (v - mean);
        return (g - 1.0) / g * ss;
    }

    /// <summary>
    /// The identity-bootstrap variance of a rate: the sample variance (denominator B − 1) of its values on the
    /// B replicates that are not NaN (Efron and Tibshirani 1993, eq. 6.6). NaN with fewer than two.
    /// </summary>
    public static double BootstrapVariance(ReadOnlySpan<double> replicates)
    {
        int b = 0;
        double sum = 0;
        foreach (var v in replicates) if (!double.IsNaN(v)) { b++; sum += v; }
        if (b < 2) return double.NaN;
        double mean = sum / b, ss = 0;
        foreach (var v in replicates) if (!double.IsNaN(v)) ss += (v - mean) * (v - mean);
        return ss / (b - 1);
    }

    /// <summary>
    /// The variance behind n_eff for the binomial methods: the larger of the identity jackknife's and the identity
    /// bootstrap's (either may be NaN: then the other). The delete-one jackknife underestimates the variance of
    /// statistics that are not smooth in the data — a threshold read at a target FAR, the EER crossing
    /// (Efron and Tibshirani 1993, §11.6; Shao and Tu 1995, §2.3) — and the coverage study (bench/coverage) found its
    /// EER and FNMR intervals optimistic with 5 or more images per identity and fewer than 300 identities (misses
    /// mostly on the side of too low an error rate); the bootstrap variance is consistent for such statistics, and
    /// with few identities the jackknife's is the steadier one. Taking the larger keeps both failures out, at the
    /// price of some width (the identity bootstrap of impostor pairs, a crossed design, also overstates their share of
    /// the variance: Owen 2007, The pigeonhole bootstrap), so it is used only below
    /// <see cref="JackknifeAloneIdentities"/> identities.
    /// </summary>
    public static double LargerVariance(double jackknife, double bootstrap) =>
        double.IsNaN(jackknife) ? bootstrap : double.IsNaN(bootstrap) ? jackknife : Math.Max(jackknife, bootstrap);

    /// <summary>
    /// From this many identities the jackknife's variance alone held the level for the EER and for FNMR at a target
    /// FAR in the coverage study (bench/coverage: the same as the larger variance's at 300 and 1,000 identities, or
    /// closer to 95 %), so <see cref="RateInterval.Of"/> takes <see cref="LargerVariance"/> only below it.
    /// </summary>
    public const int JackknifeAloneIdentities = 300;

    /// <summary>
    /// n_eff when no error (or no success) is observed, so that the clustering cannot be estimated: the
    /// conservative ρ = 1, all trials of an identity counting as one, n_eff = N / m₀ with m₀ = Σmᵢ² / Σmᵢ
    /// (the number of identities when they have equally many trials).
    /// </summary>
    public static double WithoutErrors(ReadOnlySpan<double> trials)
    {
        double n = 0, n2 = 0;
        foreach (var m in trials) { n += m; n2 += m * m; }
        return n == 0 ? double.NaN : n * n / n2;
    }

    /// <summary>
    /// Korn and Graubard's degrees-of-freedom adjustment of an effective sample size (Korn and Graubard 1998,
    /// Survey Methodology 24:193; the NCHS practice for proportions from clustered samples): with few clusters the
    /// variance that defines n_eff is itself uncertain, so n_eff is shrunk to n_eff · (z / t)², z the normal and t
    /// the Student quantile with <paramref name="degreesOfFreedom"/> (identities − 1) for the same
    /// <paramref name="quantile"/>. With many identities t ≈ z and nothing changes.
    /// </summary>
    public static double DegreesOfFreedomAdjusted(double effective, double degreesOfFreedom, double quantile)
    {
        if (!(degreesOfFreedom >= 1)) return effective;
        // Near the median both quantiles tend to 0; their ratio tends to that of the densities at 0,
        // f_t(0) / φ(0) = Γ((ν + 1)/2) √2 / (√ν Γ(ν/2)) (a confidence level near 0, as when a p is found by inverting an interval).
        double ratio = Math.Abs(quantile - 0.5) < 1e-6
            ? Math.Exp(Distributions.LogGamma((degreesOfFreedom + 1) / 2) - Distributions.LogGamma(degreesOfFreedom / 2)) * Math.Sqrt(2 / degreesOfFreedom)
            : Distributions.NormalQuantile(quantile) / Distributions.StudentQuantile(quantile, degreesOfFreedom);
        return effective * ratio * ratio;
    }
}
