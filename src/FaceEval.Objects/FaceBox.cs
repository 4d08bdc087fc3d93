using System.Globalization;

namespace FaceEval;

/// <summary>An integer pixel rectangle: top-left corner and size.</summary>
public readonly record struct FaceBox(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;

    /// <summary>
    /// Builds a box from four numbers as a detector or a CSV gives them. Every number is truncated toward
    /// zero, as Python's <c>int()</c> does, before anything else: for XYXY the corners are truncated and
    /// the size is <c>int(x2) - int(x1)</c>. Non-finite numbers are rejected.
    /// </summary>
    public static FaceBox From(double a, double b, double c, double d, BoxFormat format)
    {
        foreach (var v in new[] { a, b, c, d })
        {
            if (!double.IsFinite(v))
                throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"The box ({Format(a, b, c, d)}) has a number that is not finite.");
            if (Math.Abs(v) > int.MaxValue / 4)
                throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"The box ({Format(a, b, c, d)}) has a number too large to be a pixel coordinate.");
        }
        int ia = (int)a, ib = (int)b, ic = (int)c, id = (int)d;
        return format == BoxFormat.XYXY ? new FaceBox(ia, ib, ic - ia, id - ib) : new FaceBox(ia, ib, ic, id);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X},{Y},{Width},{Height}");

    private static string Format(double a, double b, double c, double d) =>
        string.Join(", ", new[] { a, b, c, d }.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
