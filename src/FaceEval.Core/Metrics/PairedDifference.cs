namespace FaceEval.Core.Metrics;

/// <summary>
/// The confidence interval of a difference of two rates measured on the same pairs, built from each rate's own
/// interval: the MOVER ("method of variance estimates recovery") of Zou and Donner (2008, Statistics in Medicine
/// 27:1693, eq. 6 for correlated estimates), which generalises Newcombe's square-and-add interval for paired
/// proportions (Newcombe 1998, Statistics in Medicine 17:2635, method 10). For θ = θ₁ − θ₂ with intervals
/// [l₁, u₁], [l₂, u₂] and correlation ρ of the two estimates:
/// <code>
/// L = θ₁ − θ₂ − √((θ₁ − l₁)² + (u₂ − θ₂)² − 2ρ(θ₁ − l₁)(u₂ − θ₂))
/// U = θ₁ − θ₂ + √((u₁ − θ₁)² + (θ₂ − l₂)² − 2ρ(u₁ − θ₁)(θ₂ − l₂))
/// </code>
/// So the asymmetry of each rate's interval near 0 and 1 (Wilson, Clopper–Pearson on the clustered n_eff of
/// <see cref="RateInterval"/>) carries into the difference, and pairing narrows it through ρ. The two-sided p of
/// "no difference" is the interval inverted: 1 − the largest level whose interval leaves out 0 (found by
/// bisection; 1 when no level does), so that p &lt; 1 − level exactly when the interval at that level excludes 0.
/// </summary>
public static class PairedDifference
{
    /// <summary>The MOVER interval of <paramref name="a"/> − <paramref name="b"/>.</summary>
    /// <param name="a">First estimate θ₁.</param>
    /// <param name="ia">Its interval; must hold θ₁.</param>
    /// <param name="b">Second estimate θ₂.</param>
    /// <param name="ib">Its interval; must hold θ₂.</param>
    /// <param name="rho">Correlation of the two estimates, in [−1, 1] (NaN counts as 0).</param>
    public static Interval Mover(double a, Interval ia, double b, Interval ib, double rho)
    {
        if (double.IsNaN(rho)) rho = 0;
        rho = Math.Clamp(rho, -1, 1);
        double d = a - b;
        double la = a - ia.Low, ua = ia.High - a, lb = b - ib.Low, ub = ib.High - b;
        double low = la * la + ub * ub - 2 * rho * la * ub, high = ua * ua + lb * lb - 2 * rho * ua * lb;
        return new Interval(d - Math.Sqrt(Math.Max(0, low)), d + Math.Sqrt(Math.Max(0, high)));
    }

    /// <summary>
    /// The two-sided p of "no difference" by inverting <see cref="Mover"/>: 1 − sup{level : 0 ∉ interval(level)},
    /// with each rate's interval at a level given by <paramref name="intervals"/>; 1 when the difference is 0 or
    /// every interval holds 0. Bisection to 1e-6 in the level.
    /// </summary>
    /// <param name="a">First estimate.</param>
    /// <param name="b">Second estimate.</param>
    /// <param name="rho">Correlation of the two estimates.</param>
    /// <param name="intervals">The two rates' intervals at a two-sided level in (0, 1).</param>
    public static double PValue(double a, double b, double rho, Func<double, (Interval A, Interval B)> intervals)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return double.NaN;
        if (a == b) return 1;
        bool Excludes(double level)
        {
            var (ia, ib) = intervals(level);
            var m = Mover(a, ia, b, ib, rho);
            return m.Low > 0 || m.High < 0;
        }
        // Excluding 0 is monotone: the interval widens with the level. Find the largest level that still excludes it.
        double lo = 1e-9, hi = 1 - 1e-12;
        if (!Excludes(lo)) return 1;
        if (Excludes(hi)) return 1 - hi;
        while (hi - lo > 1e-7)
        {
            double mid = (lo + hi) / 2;
            if (Excludes(mid)) lo = mid; else hi = mid;
        }
        return 1 - lo;
    }

    /// <summary>Pearson correlation of the paired values where both are numbers; NaN with fewer than two or no spread.</summary>
    public static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} values against {y.Length}.", nameof(y));
        int n = 0;
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) if (!double.IsNaN(x[i]) && !double.IsNaN(y[i])) { n++; mx += x[i]; my += y[i]; }
        if (n < 2) return double.NaN;
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i])) continue;
            sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
