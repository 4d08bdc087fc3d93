namespace FaceEval.Core.Imaging;

/// <summary>
/// The crop geometry of the evaluation guide's reference helper, step by step and in the same
/// floating-point order, so that the pixels match OpenCV running that helper exactly.
/// </summary>
public static class CropGeometry
{
    public const double DefaultExpansion = 0.2;
    public const int DefaultMaxSide = 256;

    /// <param name="box">The face box, integer pixels.</param>
    /// <param name="imageWidth">Image width.</param>
    /// <param name="imageHeight">Image height.</param>
    /// <param name="expansion">Total margin as a share of the box side (0.2 = 10 % each side).</param>
    /// <param name="maxSide">Bound on the longest side of the result; null or 0 for none.</param>
    public static CropPlan Plan(FaceBox box, int imageWidth, int imageHeight, double expansion = DefaultExpansion, int? maxSide = DefaultMaxSide)
    {
        if (box.Width <= 0 || box.Height <= 0)
            throw new FaceEvalException(FaceEvalError.InvalidBoundingBox, $"The box ({box}) has zero or negative size; a box is x,y,width,height with width and height above 0.");
        if (!double.IsFinite(expansion) || expansion < 0)
            throw new ArgumentOutOfRangeException(nameof(expansion), expansion, "The expansion factor must be a finite number >= 0.");

        // dw = int(w*f/2), dh = int(h*f/2). In 64 bits: Python's integers do not overflow, and a box near the
        // coordinate limit with a large margin would overflow 32 (and then look "outside the image").
        long dw = (long)(box.Width * expansion / 2);
        long dh = (long)(box.Height * expansion / 2);
        long left = Math.Max(0, box.X - dw);
        long top = Math.Max(0, box.Y - dh);
        long right = Math.Min(imageWidth, (long)box.X + box.Width + dw);
        long bottom = Math.Min(imageHeight, (long)box.Y + box.Height + dh);
        if (right <= left || bottom <= top)
            throw new FaceEvalException(FaceEvalError.BoxOutsideImage, $"The box ({box}) lies entirely outside the {imageWidth}x{imageHeight} image.");
        // Now inside the image, so within int.
        int x1 = (int)left, y1 = (int)top, x2 = (int)right, y2 = (int)bottom;

        int w = x2 - x1, h = y2 - y1;
        var crop = new FaceBox(x1, y1, w, h);
        int longest = Math.Max(w, h);
        if (maxSide is int bound && bound > 0 && longest > bound)
        {
            // scale = MaxSide / longest; new = int(side * scale). A side that would round to 0 (only for
            // extreme aspect ratios, where the reference helper itself fails) is kept at 1 pixel.
            double scale = (double)bound / longest;
            int nw = Math.Max(1, (int)(w * scale));
            int nh = Math.Max(1, (int)(h * scale));
            return new CropPlan(crop, nw, nh, scale);
        }
        return new CropPlan(crop, w, h, 1.0);
    }
}
