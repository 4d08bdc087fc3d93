namespace FaceEval.Core.Metrics;

/// <summary>
/// The bootstrap percentile interval (Efron and Tibshirani 1993, An Introduction to the Bootstrap, ch. 13):
/// the (1 − level)/2 and (1 + level)/2 quantiles of the replicate values (NaN replicates left out), each by
/// linear interpolation between order statistics.
/// </summary>
public static class PercentileInterval
{
    /// <summary>The two-sided interval at <paramref name="level"/>.</summary>
    public static Interval TwoSided(double[] replicates, double level) =>
        new(Bootstrap.Quantile(replicates, (1 - level) / 2), Bootstrap.Quantile(replicates, 1 - (1 - level) / 2));

    /// <summary>The one-sided upper bound at <paramref name="level"/>: the level-quantile of the replicates.</summary>
    public static double Upper(double[] replicates, double level) => Bootstrap.Quantile(replicates, level);
}
