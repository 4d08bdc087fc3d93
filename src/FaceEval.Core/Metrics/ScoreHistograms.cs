namespace FaceEval.Core.Metrics;

/// <summary>Builds <see cref="ScoreHistogram"/>s from sorted score sets.</summary>
public static class ScoreHistograms
{
    /// <summary>Counts the (sorted) scores of <paramref name="s"/> in <paramref name="bins"/> bins between the lowest and the highest score.</summary>
    public static ScoreHistogram Of(ScoreSet s, int bins = 100)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "A histogram needs at least one bin.");
        double low = Math.Min(First(s.Genuine, float.PositiveInfinity), First(s.Impostor, float.PositiveInfinity));
        double high = Math.Max(Last(s.Genuine, float.NegativeInfinity), Last(s.Impostor, float.NegativeInfinity));
        if (high <= low) (low, high) = (low - 0.5, low + 0.5); // all scores equal: one visible bar in the middle
        double width = (high - low) / bins;
        return new ScoreHistogram(low, width, Count(s.Genuine, low, width, bins), Count(s.Impostor, low, width, bins));
    }

    private static float First(float[] sorted, float otherwise) => sorted.Length > 0 ? sorted[0] : otherwise;

    private static float Last(float[] sorted, float otherwise) => sorted.Length > 0 ? sorted[^1] : otherwise;

    /// <summary>The scores are sorted, so a bin's count is the distance between the first scores at or above its two edges.</summary>
    private static long[] Count(float[] sorted, double low, double width, int bins)
    {
        var counts = new long[bins];
        int start = 0;
        for (int i = 0; i < bins; i++)
        {
            int end = i == bins - 1 ? sorted.Length : SortedScores.LowerBound(sorted, low + (i + 1) * width, start);
            counts[i] = end - start;
            start = end;
        }
        return counts;
    }
}
