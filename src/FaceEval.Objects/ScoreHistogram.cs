namespace FaceEval;

/// <summary>
/// Genuine and impostor scores counted in equal-width bins over one common range, so both distributions
/// (and several models) can be drawn on the same axis. Pairs with a failure to enrol have no score and are
/// not in any bin.
/// </summary>
public sealed class ScoreHistogram
{
    /// <param name="low">Left edge of the first bin.</param>
    /// <param name="width">Width of every bin.</param>
    /// <param name="genuine">Genuine scores per bin.</param>
    /// <param name="impostor">Impostor scores per bin (as many bins).</param>
    public ScoreHistogram(double low, double width, long[] genuine, long[] impostor)
    {
        if (genuine.Length != impostor.Length || genuine.Length == 0) throw new ArgumentException("Both distributions need the same number of bins, at least one.", nameof(impostor));
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
}
