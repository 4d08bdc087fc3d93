namespace FaceEval.Core.Metrics;

/// <summary>
/// McNemar's test of two classifiers on the same items, in its exact (binomial) form: McNemar (1947),
/// "Note on the sampling error of the difference between correlated proportions or percentages",
/// Psychometrika 12(2); the exact conditional version as in Agresti, Categorical Data Analysis, §10.1.
/// Only the discordant items count: b decided one way by A only, c by B only.
/// </summary>
public static class McNemar
{
    /// <summary>
    /// Exact two-sided p of McNemar's test: with n = b + c and X ~ Binomial(n, 1/2),
    /// p = min(1, 2 · P[X ≤ min(b, c)]); n = 0 gives 1, and so does b = c.
    /// </summary>
    /// <remarks>
    /// The binomial probabilities are computed without factorials: the largest term P[X = min(b, c)] by
    /// Loader's saddle-point form (Loader 2000, "Fast and accurate computation of binomial probabilities",
    /// the algorithm of R's dbinom), the smaller ones from it by the ratio
    /// P[X = i − 1] / P[X = i] = i / (n − i + 1). Accurate to a few ulps for n in the millions; a p below
    /// the smallest double comes back 0.
    /// </remarks>
    /// <param name="onlyA">Discordant items of one kind (b): accepted, or right, by model A only.</param>
    /// <param name="onlyB">Discordant items of the other kind (c): by model B only.</param>
    public static double ExactTwoSidedP(long onlyA, long onlyB)
    {
        if (onlyA < 0) throw new ArgumentOutOfRangeException(nameof(onlyA), onlyA, "A count of discordant items cannot be negative.");
        if (onlyB < 0) throw new ArgumentOutOfRangeException(nameof(onlyB), onlyB, "A count of discordant items cannot be negative.");
        if (onlyA == onlyB) return 1; // P[X <= n/2] >= 1/2 by symmetry
        long n = onlyA + onlyB, k = Math.Min(onlyA, onlyB);
        return Math.Min(1, 2 * LowerTail(k, n));
    }

    /// <inheritdoc cref="ExactTwoSidedP(long, long)"/>
    public static double ExactTwoSidedP(int onlyA, int onlyB) => ExactTwoSidedP((long)onlyA, (long)onlyB);

    /// <summary>P[X ≤ k] for X ~ Binomial(n, 1/2) and k &lt; n / 2, summed from the largest term down.</summary>
    private static double LowerTail(long k, long n)
    {
        double term = HalfBinomialPmf(k, n), sum = 0;
        for (long i = k; i >= 0 && term > 0; i--)
        {
            sum += term;
            if (term < sum * 1e-18) break; // the rest decreases faster than geometrically
            term *= i / (double)(n - i + 1);
        }
        return sum;
    }

    /// <summary>P[X = x] for X ~ Binomial(n, 1/2), by Loader's saddle-point expansion.</summary>
    internal static double HalfBinomialPmf(long x, long n)
    {
        if (x < 0 || x > n) return 0;
        if (x == 0 || x == n) return Math.ScaleB(1.0, (int)Math.Max(-2000, -n)); // 2^-n, exactly (0 below the smallest double)
        double half = n / 2.0;
        double lc = StirlingError(n) - StirlingError(x) - StirlingError(n - x) - Bd0(x, half) - Bd0(n - x, half);
        double lf = Math.Log(2 * Math.PI) + Math.Log(x) + Math.Log(1 - x / (double)n);
        return Math.Exp(lc - 0.5 * lf);
    }

    private static readonly double[] SmallStirlingErrors = Enumerable.Range(0, 16).Select(n =>
    {
        if (n == 0) return 0.0;
        double factorial = 1;
        for (int i = 2; i <= n; i++) factorial *= i; // exact up to 22!
        return Math.Log(factorial) - (n + 0.5) * Math.Log(n) + n - 0.5 * Math.Log(2 * Math.PI);
    }).ToArray();

    /// <summary>ln(n!) − ln(√(2πn) (n/e)^n): the error of Stirling's formula, by its asymptotic series above 15.</summary>
    private static double StirlingError(long n)
    {
        if (n <= 15) return SmallStirlingErrors[n];
        const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680, S4 = 1.0 / 1188;
        double nn = (double)n * n, d = n;
        if (n > 500) return (S0 - S1 / nn) / d;
        if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / d;
        if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / d;
        return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / d;
    }

    /// <summary>x ln(x / np) + np − x, without the cancellation of the direct form when x is near np.</summary>
    private static double Bd0(double x, double np)
    {
        if (Math.Abs(x - np) < 0.1 * (x + np))
        {
            double v = (x - np) / (x + np), s = (x - np) * v;
            double ej = 2 * x * v;
            v *= v;
            for (int j = 1; j < 1000; j++)
            {
                ej *= v;
                double next = s + ej / (2 * j + 1);
                if (next == s) return next;
                s = next;
            }
        }
        return x * Math.Log(x / np) + np - x;
    }
}
