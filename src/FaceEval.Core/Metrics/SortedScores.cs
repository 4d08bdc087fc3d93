namespace FaceEval.Core.Metrics;

/// <summary>Binary searches over scores sorted ascending (NaN-free).</summary>
public static class SortedScores
{
    /// <summary>Index of the first score at or above <paramref name="value"/>, searching from <paramref name="from"/>.</summary>
    public static int LowerBound(ReadOnlySpan<float> sorted, double value, int from = 0)
    {
        int lo = from, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Index of the first score above <paramref name="value"/>.</summary>
    public static int UpperBound(ReadOnlySpan<float> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
