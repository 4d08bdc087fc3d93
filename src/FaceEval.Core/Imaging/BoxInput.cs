using System.Globalization;

namespace FaceEval.Core.Imaging;

/// <summary>Reads the face boxes a user gives: a flat list of numbers, or the box properties of one input row.</summary>
public static class BoxInput
{
    /// <summary>Four numbers per face, in <paramref name="format"/>.</summary>
    /// <exception cref="FaceEvalException">InvalidBoundingBox when the count is not a positive multiple of four.</exception>
    public static List<BoxSpec> FromNumbers(IReadOnlyList<double> numbers, BoxFormat format, object? tag = null)
    {
        if (numbers.Count == 0 || numbers.Count % 4 != 0)
            throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"-BoundingBox takes four numbers per face ({format}); {numbers.Count} were given.");
        var boxes = new List<BoxSpec>(numbers.Count / 4);
        for (int i = 0; i < numbers.Count; i += 4)
            boxes.Add(new BoxSpec(numbers[i], numbers[i + 1], numbers[i + 2], numbers[i + 3], format, 0, tag));
        return boxes;
    }

    /// <summary>
    /// One row's box: X, Y with X2, Y2 (corners, whatever <paramref name="format"/>), else X, Y, Width, Height in
    /// <paramref name="format"/>. Null when the row has no box property at all (the detector runs).
    /// </summary>
    /// <exception cref="FaceEvalException">InvalidBoundingBox when the row has only part of a box.</exception>
    public static BoxSpec? FromProperties(double? x, double? y, double? width, double? height, double? x2, double? y2, BoxFormat format, object? tag = null)
    {
        if (x is null && y is null && width is null && height is null && x2 is null && y2 is null) return null;
        if (x is double left && y is double top)
        {
            if (x2 is double right && y2 is double bottom) return new BoxSpec(left, top, right, bottom, BoxFormat.XYXY, 0, tag);
            if (width is double w && height is double h) return new BoxSpec(left, top, w, h, format, 0, tag);
        }
        throw new FaceEvalException(FaceEvalError.InvalidBoundingBox,
            "The input has part of a face box. Give X, Y, Width and Height (or X1, Y1, X2, Y2), all four.");
    }

    /// <summary>
    /// One box coordinate as a user gives it: a number, or text that is a plain decimal number ("12",
    /// "-3.5", "1e2"). An empty cell is no value (null). Everything else is refused, naming the value:
    /// PowerShell's own conversion would read "1,5" as 15 (a thousands separator), "0x10" as 16 and ""
    /// as 0, and the crop would land somewhere the user never meant.
    /// </summary>
    /// <param name="value">The value, unwrapped from any PowerShell wrapper.</param>
    /// <param name="name">The property or parameter, for the message.</param>
    /// <exception cref="FaceEvalException">InvalidBoundingBox when the value is not such a number.</exception>
    public static double? Coordinate(object? value, string name)
    {
        switch (value)
        {
            case null:
                return null;
            case double or float or decimal or int or long or short or sbyte or byte or uint or ulong or ushort:
                double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d))
                    throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"{name} is {d.ToString(CultureInfo.InvariantCulture)}, which is not a pixel coordinate.");
                return d;
            case string text:
                if (text.Trim().Length == 0) return null;
                const NumberStyles plain = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
                if (double.TryParse(text, plain, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)) return parsed;
                throw new FaceEvalException(FaceEvalError.InvalidBoundingBox,
                    $"{name} is '{text}', which is not a number: write box coordinates as plain decimal numbers, with a dot as the decimal separator and no thousands separator.");
            default:
                throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"{name} is a {value.GetType().Name}, not a number.");
        }
    }
}
