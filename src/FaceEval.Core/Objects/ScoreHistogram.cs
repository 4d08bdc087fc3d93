using FaceEval.Core.Metrics;

namespace FaceEval;

/// <summary>
/// Genuine and impostor scores counted in equal-width bins over one common range, so both distributions
/// (and several models) can be drawn on the same axis. Pairs with a failure to enrol have no score and are
/// not in any bin.
/// </summary>
public sealed class ScoreHistogram
{
    private ScoreHistogram(double low, double width, long[] genuine, long[] impostor)
    {
        Low = low;
        BinWidth = width;
        Genuine = genuine;
        Impostor = impostor;
    }

    /// <summary>Left edge of the first bin.</summary>
    public double Low { get; }

    public double BinWidth { get; }

    /// <summary>Genuine scores per bin; bin i holds scores in [Low + i·BinWidth, Low + (i+1)·BinWidth), the last bin also its right edge.</summary>
    public long[] Genuine { get; }

    public long[] Impostor { get; }

    public int Bins => Genuine.Length;

    /// <summary>Centre of bin <paramref name="i"/>.</summary>
    public double Centre(int i) => Low + (i + 0.5) * BinWidth;

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
            int end = i == bins - 1 ? sorted.Length : LowerBound(sorted, start, low + (i + 1) * width);
            counts[i] = end - start;
            start = end;
        }
        return counts;
    }

    private static int LowerBound(float[] sorted, int from, double value)
    {
        int lo = from, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
