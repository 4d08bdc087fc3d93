namespace FaceEval.Core.Metrics;

/// <summary>
/// The Wilson score interval of a proportion (Wilson 1927, JASA 22:209; recommended near 0 and 1 by Brown,
/// Cai and DasGupta 2001, Statistical Science 16:101): the p whose score test against the observed rate
/// p̂ = x / n is not rejected, p̂ ± z·√(p̂(1 − p̂)/n) being the Wald interval it replaces:
/// centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
/// For pairs that share identities n is the effective sample size (<see cref="EffectiveSampleSize"/>), as
/// in Schuckers (2010), Computational Methods in Biometric Authentication, ch. 2–3.
/// </summary>
public static class WilsonInterval
{
    /// <summary>The two-sided interval at <paramref name="level"/> (z = Φ⁻¹(1 − (1 − level)/2)).</summary>
    /// <param name="rate">The observed rate p̂, in [0, 1].</param>
    /// <param name="n">The (effective) number of trials, above 0.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    public static Interval TwoSided(double rate, double n, double level)
    {
        double z = Distributions.NormalQuantile(1 - (1 - level) / 2);
        return Bounds(rate, n, z);
    }

    /// <summary>The one-sided upper bound at <paramref name="level"/> (z = Φ⁻¹(level)): "the rate is at most this".</summary>
    public static double Upper(double rate, double n, double level) => Bounds(rate, n, Distributions.NormalQuantile(level)).High;

    /// <summary>The one-sided lower bound at <paramref name="level"/>.</summary>
    public static double Lower(double rate, double n, double level) => Bounds(rate, n, Distributions.NormalQuantile(level)).Low;

    internal static Interval Bounds(double p, double n, double z)
    {
        Check(p, n);
        double z2 = z * z, denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // At p̂ = 0 (or 1) the bound is exactly 0 (or 1); rounding must not move it.
        return new Interval(p == 0 ? 0 : Math.Max(0, centre - half), p == 1 ? 1 : Math.Min(1, centre + half));
    }

    internal static void Check(double p, double n)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "A rate is in [0, 1].");
        if (!(n > 0) || double.IsInfinity(n)) throw new ArgumentOutOfRangeException(nameof(n), n, "The effective number of trials is a positive number.");
    }
}
