namespace FaceEval.Core.Metrics;

/// <summary>
/// Percentiles by the nearest-rank method: the P-th percentile (0 &lt; P ≤ 100) of n values is the value of rank
/// ⌈P/100 · n⌉ in ascending order (1-based), always one of the values, never an interpolation. This is the
/// inverse of the empirical distribution function, Definition 1 of Hyndman and Fan (1996), "Sample quantiles
/// in statistical packages", The American Statistician 50(4). Ties need no rule: equal values are
/// interchangeable in the order.
/// </summary>
public static class NearestRank
{
    /// <summary>The P-th percentile of <paramref name="ascending"/> (sorted ascending); NaN when it is empty.</summary>
    /// <param name="ascending">The values, sorted ascending.</param>
    /// <param name="percent">P in (0, 100].</param>
    public static double Percentile(IReadOnlyList<double> ascending, double percent)
    {
        if (!(percent > 0 && percent <= 100)) throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentile is in (0, 100].");
        if (ascending.Count == 0) return double.NaN;
        // In decimal, so that 95 % of 20 is rank 19 exactly, not 19.000000000000004 rounded up to 20.
        long rank = (long)Math.Ceiling((decimal)percent * ascending.Count / 100m);
        return ascending[(int)Math.Clamp(rank, 1, ascending.Count) - 1];
    }
}
