namespace FaceEval.Core.Metrics;

/// <summary>
/// The Clopper–Pearson ("exact") interval of a proportion (Clopper and Pearson 1934, Biometrika 26:404), in
/// its beta form so that it also takes the fractional counts of an effective sample size: with x = p̂ · n,
/// lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0), upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n), B⁻¹
/// the beta quantile and α = 1 − level. Conservative by construction: its coverage is at least the level
/// for independent trials. With no error observed its one-sided upper bound is 1 − α^(1/n), the exact form
/// of the rule of three (≈ 3/n at 95 %; Jovanovic and Levy 1997, The American Statistician 51:137).
/// </summary>
public static class ClopperPearsonInterval
{
    /// <summary>The two-sided interval at <paramref name="level"/>.</summary>
    /// <param name="rate">The observed rate p̂, in [0, 1].</param>
    /// <param name="n">The (effective) number of trials, above 0.</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    public static Interval TwoSided(double rate, double n, double level)
    {
        WilsonInterval.Check(rate, n);
        double tail = (1 - level) / 2;
        return new Interval(LowerAt(rate, n, tail), UpperAt(rate, n, tail));
    }

    /// <summary>The one-sided upper bound at <paramref name="level"/>: the largest rate that would give p̂ or fewer errors with probability 1 − level.</summary>
    public static double Upper(double rate, double n, double level)
    {
        WilsonInterval.Check(rate, n);
        return UpperAt(rate, n, 1 - level);
    }

    /// <summary>The one-sided lower bound at <paramref name="level"/>.</summary>
    public static double Lower(double rate, double n, double level)
    {
        WilsonInterval.Check(rate, n);
        return LowerAt(rate, n, 1 - level);
    }

    private static double LowerAt(double p, double n, double tail)
    {
        double x = p * n;
        return x <= 0 ? 0 : Distributions.BetaQuantile(tail, x, n - x + 1);
    }

    private static double UpperAt(double p, double n, double tail)
    {
        double x = p * n;
        if (x >= n) return 1;
        // x = 0: I_u(1, n) = 1 − (1 − u)^n, so u = 1 − tail^(1/n) in closed form.
        return x <= 0 ? 1 - Math.Pow(tail, 1 / n) : Distributions.BetaQuantile(1 - tail, x + 1, n - x);
    }
}
