using System.Numerics;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>
/// McNemar's exact test against the definition p = min(1, 2 · P[X ≤ min(b, c)]), X ~ Bin(b + c, 1/2):
/// by hand for small counts, and by exact integer arithmetic (sums of binomial coefficients over 2^n).
/// </summary>
public class McNemarTests
{
    [Theory]
    [InlineData(0, 5, 2.0 / 32)]                // 2 · C(5,0) / 2^5
    [InlineData(5, 0, 2.0 / 32)]                // symmetric
    [InlineData(1, 9, 2.0 * (1 + 10) / 1024)]   // 2 · (C(10,0) + C(10,1)) / 2^10
    [InlineData(2, 6, 2.0 * (1 + 8 + 28) / 256)] // 2 · (C(8,0) + C(8,1) + C(8,2)) / 2^8
    [InlineData(0, 1, 1.0)]                     // 2 · 1/2 = 1
    [InlineData(3, 4, 1.0)]                     // 2 · (1 + 7 + 21 + 35) / 128 = 1
    public void SmallCountsByHand(int b, int c, double expected)
    {
        // Within a few ulps: the binomial terms are computed in floating point, not as integers.
        double p = McNemar.ExactTwoSidedP(b, c);
        Assert.True(Math.Abs(p - expected) <= 1e-14 * expected, $"b={b}, c={c}: {p:R} against {expected:R}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1_000_000)]
    public void EqualCountsGiveOne(int b) => Assert.Equal(1.0, McNemar.ExactTwoSidedP(b, b));

    [Theory]
    [InlineData(13, 40)]
    [InlineData(100, 160)]
    [InlineData(480, 520)]
    [InlineData(1000, 1200)]
    [InlineData(9_800, 10_200)]
    [InlineData(49_500, 50_500)]
    [InlineData(3, 2_000)]
    public void AgreesWithExactIntegerArithmetic(int b, int c)
    {
        double expected = ExactTwoSidedP(b, c);
        double p = McNemar.ExactTwoSidedP(b, c);
        Assert.True(Math.Abs(p - expected) <= 1e-12 * expected, $"b={b}, c={c}: {p:R} against {expected:R}");
    }

    [Fact]
    public void MillionsOfDiscordantPairsStayFiniteAndOrdered()
    {
        // n = 4 million: no factorial could be formed. The p falls as the counts move apart, and agrees with
        // the normal approximation with continuity correction, z = (|b − c| − 1) / √n, to its accuracy.
        double previous = 1;
        foreach (int gap in new[] { 0, 1000, 2000, 4000, 8000 })
        {
            int b = 2_000_000 - gap / 2, c = 2_000_000 + gap / 2;
            double p = McNemar.ExactTwoSidedP(b, c);
            Assert.True(p > 0 && p <= 1 && p <= previous, $"gap {gap}: {p}");
            double z = Math.Max(0, gap - 1) / Math.Sqrt(b + c);
            Assert.True(Math.Abs(p - Math.Min(1, 2 * NormalUpperTail(z))) <= 2e-3 * Math.Max(p, 1e-3) + 1e-12, $"gap {gap}: {p} against {2 * NormalUpperTail(z)}");
            previous = p;
        }
        Assert.Equal(0.0, McNemar.ExactTwoSidedP(0, 5_000_000)); // 2 · 2^-5000000 is below the smallest double
    }

    [Fact]
    public void NegativeCountsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => McNemar.ExactTwoSidedP(-1, 3));

    /// <summary>min(1, 2 · Σ_{i ≤ min(b,c)} C(n, i) / 2^n) in exact integers, rounded once at the end.</summary>
    private static double ExactTwoSidedP(int b, int c)
    {
        int n = b + c, k = Math.Min(b, c);
        BigInteger coefficient = 1, sum = 1; // C(n, 0)
        for (int i = 1; i <= k; i++)
        {
            coefficient = coefficient * (n - i + 1) / i;
            sum += coefficient;
        }
        // 2 · sum / 2^n as a double: keep 64 significant bits of the quotient.
        var twice = 2 * sum;
        long bits = (long)twice.GetBitLength();
        int shift = (int)Math.Max(0, bits - 64);
        double mantissa = (double)(twice >> shift);
        return Math.Min(1, Math.ScaleB(mantissa, shift - n));
    }

    /// <summary>P[Z > z] for a standard normal, from the complementary error function.</summary>
    private static double NormalUpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        // Continued fraction (Lentz) for x > 2, series of erf below: plenty for a 2e-3 comparison.
        if (x < 2)
        {
            double term = x, sum = x;
            for (int k = 1; k < 200; k++)
            {
                term *= -x * x / k;
                sum += term / (2 * k + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        double f = x;
        for (int k = 60; k >= 1; k--) f = x + k / 2.0 / f;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
