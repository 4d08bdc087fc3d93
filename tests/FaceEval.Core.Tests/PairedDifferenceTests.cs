using FaceEval.Core.Metrics;
using Xunit;

namespace FaceEval.Core.Tests;

/// <summary>The MOVER interval of a paired difference (Zou and Donner 2008; Newcombe 1998) on hand-worked cases.</summary>
public class PairedDifferenceTests
{
    [Fact]
    public void IndependentRatesReproduceNewcombesSquareAndAddExample()
    {
        // Newcombe 1998 (Statistics in Medicine 17:873), 56/70 − 48/80: method 10 (Wilson intervals, square and add) 0.0524 to 0.3339.
        var a = WilsonInterval.TwoSided(56.0 / 70, 70, 0.95);
        var b = WilsonInterval.TwoSided(48.0 / 80, 80, 0.95);
        var d = PairedDifference.Mover(56.0 / 70, a, 48.0 / 80, b, 0);
        Assert.Equal(0.0524, d.Low, 4);
        Assert.Equal(0.3339, d.High, 4);
    }

    [Fact]
    public void CorrelationNarrowsTheIntervalAsTheFormulaSays()
    {
        // θ₁ = 0.9 [0.8, 0.95], θ₂ = 0.7 [0.6, 0.78], ρ = 0.5:
        // L = 0.2 − √(0.1² + 0.08² − 2·0.5·0.1·0.08) = 0.2 − √0.0084; U = 0.2 + √(0.05² + 0.1² − 2·0.5·0.05·0.1) = 0.2 + √0.0075.
        var d = PairedDifference.Mover(0.9, new Interval(0.8, 0.95), 0.7, new Interval(0.6, 0.78), 0.5);
        Assert.Equal(0.2 - Math.Sqrt(0.0084), d.Low, 12);
        Assert.Equal(0.2 + Math.Sqrt(0.0075), d.High, 12);
        var independent = PairedDifference.Mover(0.9, new Interval(0.8, 0.95), 0.7, new Interval(0.6, 0.78), 0);
        Assert.True(independent.Low < d.Low && independent.High > d.High);
        // The same model twice (ρ = 1, the same interval): [−|a − b|, |a − b|] around 0 with a, b the two arms.
        var same = PairedDifference.Mover(0.9, new Interval(0.8, 0.95), 0.9, new Interval(0.8, 0.95), 1);
        Assert.Equal(-0.05, same.Low, 12);
        Assert.Equal(0.05, same.High, 12);
    }

    [Fact]
    public void PValueIsTheLevelWhereTheIntervalReachesZero()
    {
        // Wilson intervals on 60 effective trials each, ρ = 0.3.
        Func<double, (Interval, Interval)> at = l => (WilsonInterval.TwoSided(0.2, 60, l), WilsonInterval.TwoSided(0.05, 60, l));
        double p = PairedDifference.PValue(0.2, 0.05, 0.3, at);
        Assert.InRange(p, 1e-6, 0.05);
        var (a, b) = at(1 - p);
        Assert.Equal(0, PairedDifference.Mover(0.2, a, 0.05, b, 0.3).Low, 5);
        // Just below that level the interval leaves out 0, just above it holds it.
        var (a1, b1) = at(1 - p - 1e-4);
        Assert.True(PairedDifference.Mover(0.2, a1, 0.05, b1, 0.3).Low > 0);
        var (a2, b2) = at(1 - p + 1e-4);
        Assert.True(PairedDifference.Mover(0.2, a2, 0.05, b2, 0.3).Low < 0);
        Assert.Equal(1, PairedDifference.PValue(0.1, 0.1, 0.3, at));
        // A difference well inside the noise: p near 1 but below it.
        Assert.InRange(PairedDifference.PValue(0.11, 0.10, 0, l => (WilsonInterval.TwoSided(0.11, 50, l), WilsonInterval.TwoSided(0.10, 50, l))), 0.5, 1);
    }

    [Fact]
    public void CorrelationSkipsMissingValues()
    {
        Assert.Equal(1, PairedDifference.Correlation([1, 2, double.NaN, 3], [2, 4, 7, 6]), 12);
        Assert.Equal(-1, PairedDifference.Correlation([1, 2, 3], [3, 2, 1]), 12);
        Assert.True(double.IsNaN(PairedDifference.Correlation([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void KornGraubardFactorIsContinuousAtTheMedian()
    {
        // (z/t)² as the quantile approaches 0.5 tends to (f_t(0)/φ(0))²; with 4 degrees of freedom f_t(0) = 3/8, φ(0) = 1/√(2π).
        double limit = Math.Pow(0.375 * Math.Sqrt(2 * Math.PI), 2);
        Assert.Equal(limit, EffectiveSampleSize.DegreesOfFreedomAdjusted(1, 4, 0.5), 9);
        Assert.Equal(limit, EffectiveSampleSize.DegreesOfFreedomAdjusted(1, 4, 0.5 + 1e-4), 5);
    }
}
