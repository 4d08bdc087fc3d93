namespace FaceEval.Core.Metrics;

/// <summary>
/// The bias-corrected and accelerated (BCa) bootstrap interval (Efron 1987, JASA 82:171; Efron and
/// Tibshirani 1993, An Introduction to the Bootstrap, §14.3), the resampling unit being the identity:
/// <list type="bullet">
/// <item>bias correction z₀ = Φ⁻¹(share of replicates below the estimate), a replicate equal to it counting
/// one half (error rates are discrete, so ties are common), the share kept within [1/2B, 1 − 1/2B];</item>
/// <item>acceleration a = Σ(θ̄ − θ₍ᵢ₎)³ / (6 · [Σ(θ̄ − θ₍ᵢ₎)²]^{3/2}) over the leave-one-identity-out values
/// θ₍ᵢ₎ (the jackknife, <see cref="IdentityJackknife"/>); 0 when they do not vary;</item>
/// <item>the bound for a normal quantile z is the replicates' quantile at Φ(z₀ + (z₀ + z) / (1 − a(z₀ + z))),
/// with z = ∓Φ⁻¹(1 − (1 − level)/2) for the two-sided interval and z = Φ⁻¹(level) for a one-sided bound.</item>
/// </list>
/// </summary>
public static class BcaInterval
{
    /// <summary>The two-sided BCa interval at <paramref name="level"/>.</summary>
    /// <param name="estimate">The statistic on all the data.</param>
    /// <param name="replicates">Its bootstrap replicates (NaN ones are left out).</param>
    /// <param name="jackknife">Its leave-one-identity-out values (NaN ones are left out).</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    public static Interval TwoSided(double estimate, double[] replicates, double[] jackknife, double level)
    {
        var (z0, a) = Corrections(estimate, replicates, jackknife);
        double z = Distributions.NormalQuantile(1 - (1 - level) / 2);
        return new Interval(Bootstrap.Quantile(replicates, Adjusted(z0, a, -z)), Bootstrap.Quantile(replicates, Adjusted(z0, a, z)));
    }

    /// <summary>The one-sided upper BCa bound at <paramref name="level"/>.</summary>
    public static double Upper(double estimate, double[] replicates, double[] jackknife, double level)
    {
        var (z0, a) = Corrections(estimate, replicates, jackknife);
        return Bootstrap.Quantile(replicates, Adjusted(z0, a, Distributions.NormalQuantile(level)));
    }

    /// <summary>z₀ and a as defined above.</summary>
    public static (double Bias, double Acceleration) Corrections(double estimate, double[] replicates, double[] jackknife)
    {
        int count = 0;
        double below = 0;
        foreach (var v in replicates)
        {
            if (double.IsNaN(v)) continue;
            count++;
            if (v < estimate) below++;
            else if (v == estimate) below += 0.5;
        }
        double z0 = 0;
        if (count > 0)
        {
            double share = Math.Clamp(below / count, 0.5 / count, 1 - 0.5 / count);
            z0 = Distributions.NormalQuantile(share);
        }
        var values = jackknife.Where(v => !double.IsNaN(v)).ToArray();
        double a = 0;
        if (values.Length > 1)
        {
            double mean = values.Average(), s2 = 0, s3 = 0;
            foreach (var v in values) { double d = mean - v; s2 += d * d; s3 += d * d * d; }
            if (s2 > 0) a = s3 / (6 * Math.Pow(s2, 1.5));
        }
        return (z0, a);
    }

    private static double Adjusted(double z0, double a, double z)
    {
        double w = z0 + z;
        double denominator = 1 - a * w;
        // Past the pole of the correction the quantile is the far end of the replicates.
        if (denominator <= 0) return z > 0 ? 1 : 0;
        return Distributions.NormalCdf(z0 + w / denominator);
    }
}
