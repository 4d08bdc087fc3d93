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
}
