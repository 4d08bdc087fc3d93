using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>Holm's step-down adjustment, worked by hand from adj(i) = max_{j ≤ i} min(1, (m − j + 1) p(j)).</summary>
public class HolmTests
{
    [Fact]
    public void StepDownByHand()
    {
        // Sorted: .005 (4th), .01 (1st), .03 (3rd), .04 (2nd); times 4, 3, 2, 1: .02, .03, .06, .04;
        // running maximum .02, .03, .06, .06; back in input order:
        var adjusted = Holm.Adjust(new[] { 0.01, 0.04, 0.03, 0.005 });
        Assert.Equal(new[] { 0.03, 0.06, 0.06, 0.02 }, adjusted, new Tolerance(1e-15));
    }

    [Fact]
    public void AdjustedValuesAreCappedAtOne()
    {
        // .5 · 2 = 1; .6 · 1 = .6, but the running maximum keeps 1.
        Assert.Equal(new[] { 1.0, 1.0 }, Holm.Adjust(new[] { 0.6, 0.5 }));
    }

    [Fact]
    public void TiesGetTheSameAdjustedValue()
    {
        // .02 · 3 = .06, .02 · 2 = .04 -> .06 (running maximum), .5 · 1 = .5.
        Assert.Equal(new[] { 0.06, 0.06, 0.5 }, Holm.Adjust(new[] { 0.02, 0.02, 0.5 }), new Tolerance(1e-15));
        Assert.Equal(new[] { 0.5, 0.06, 0.06 }, Holm.Adjust(new[] { 0.5, 0.02, 0.02 }), new Tolerance(1e-15));
    }

    [Fact]
    public void OneTestIsNotAdjustedAndNoTestGivesNothing()
    {
        Assert.Equal(new[] { 0.037 }, Holm.Adjust(new[] { 0.037 }));
        Assert.Empty(Holm.Adjust(Array.Empty<double>()));
    }

    [Fact]
    public void ANanIsLeftOutOfTheFamily()
    {
        // m = 2: .01 · 2 = .02, .2 · 1 = .2.
        var adjusted = Holm.Adjust(new[] { 0.2, double.NaN, 0.01 });
        Assert.True(double.IsNaN(adjusted[1]));
        Assert.Equal(0.2, adjusted[0], 15);
        Assert.Equal(0.02, adjusted[2], 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => Holm.Adjust(new[] { 1.5 }));
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
