using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>The order-preserving float keys every counting pass and k-fold bucket by.</summary>
public class ScoreKeyTests
{
    [Fact]
    public void KeysOrderFloatsAsTheyCompareWithBothZerosOneKey()
    {
        var random = new Random(7);
        var values = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, 1f, -1f, 1e-38f, -1e-38f, 0.5f, -0.5f };
        for (int i = 0; i < 2000; i++) values.Add((float)(random.NextDouble() * 2 - 1) * MathF.Pow(10, random.Next(-40, 38)));
        foreach (var a in values)
            foreach (var b in values.Take(200))
            {
                Assert.Equal(a < b, ScoreKey.Of(a) < ScoreKey.Of(b));
                Assert.Equal(a == b, ScoreKey.Of(a) == ScoreKey.Of(b));
            }
        foreach (var a in values) Assert.True(ScoreKey.Value(ScoreKey.Of(a)) == a);
        Assert.Equal(ScoreKey.Of(0f), ScoreKey.Of(-0f));
    }

    [Fact]
    public void NonFiniteScoresFallInBucketsMarkedSo()
    {
        foreach (var v in new[] { float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            Assert.True(ScoreKey.IsNonFinite(ScoreKey.Bucket(ScoreKey.Of(v))), $"{v}");
        foreach (var v in new[] { 0f, float.MaxValue, -float.MaxValue, float.Epsilon })
            Assert.False(ScoreKey.IsNonFinite(ScoreKey.Bucket(ScoreKey.Of(v))), $"{v}");
    }
}
