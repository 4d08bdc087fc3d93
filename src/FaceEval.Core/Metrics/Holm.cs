namespace FaceEval.Core.Metrics;

/// <summary>
/// Holm's step-down adjustment of p-values for a family of tests: Holm (1979), "A simple sequentially
/// rejective multiple test procedure", Scandinavian Journal of Statistics 6(2). Rejecting where the
/// adjusted p is below α keeps the family-wise error rate at α under any dependence between the tests.
/// </summary>
public static class Holm
{
    /// <summary>
    /// With the m p-values sorted ascending, p(1) ≤ … ≤ p(m) (equal values keep their input order):
    /// adj(i) = max over j ≤ i of min(1, (m − j + 1) · p(j)); returned in input order. A NaN (a test that
    /// could not be made) is not part of the family: it does not count in m and comes back NaN.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A p-value outside [0, 1].</exception>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        var adjusted = new double[p.Count];
        var order = new List<int>(p.Count);
        for (int i = 0; i < p.Count; i++)
        {
            if (double.IsNaN(p[i])) { adjusted[i] = double.NaN; continue; }
            if (p[i] < 0 || p[i] > 1) throw new ArgumentOutOfRangeException(nameof(p), p[i], $"p-value {i} is outside [0, 1].");
            order.Add(i);
        }
        // A stable sort: ties keep their input order.
        var sorted = order.OrderBy(i => p[i]).ToArray();
        int m = sorted.Length;
        double running = 0;
        for (int j = 0; j < m; j++)
        {
            running = Math.Max(running, Math.Min(1, (m - j) * p[sorted[j]])); // (m − j + 1) with j counted from 1
            adjusted[sorted[j]] = running;
        }
        return adjusted;
    }
}
