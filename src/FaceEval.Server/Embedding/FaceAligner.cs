using OpenCvSharp;

namespace FaceEval.Server.Embedding;

/// <summary>Warps a face so that its five landmarks land on a template (similarity transform).</summary>
public static class FaceAligner
{
    /// <summary>
    /// Returns the aligned face, of the template's size. The transform is a similarity (rotation,
    /// uniform scale, translation) fitted to the five points; when no fit exists (degenerate points),
    /// the whole image is resized instead.
    /// </summary>
    public static Mat Align(Mat bgr, float[] landmarks, AlignmentTemplate template)
    {
        if (landmarks.Length != 10) throw new ArgumentException("Five landmarks (10 numbers) are needed.", nameof(landmarks));
        var src = InputArray.Create(ToPoints(landmarks));
        var dst = InputArray.Create(ToPoints(template.Points));
        using var inliers = new Mat();
        using var transform = Cv2.EstimateAffinePartial2D(src, dst, inliers, RobustEstimationAlgorithms.LMEDS);
        var output = new Mat();
        if (transform is null || transform.Empty())
        {
            Cv2.Resize(bgr, output, new Size(template.Width, template.Height), 0, 0, InterpolationFlags.Area);
            return output;
        }
        Cv2.WarpAffine(bgr, output, transform, new Size(template.Width, template.Height), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        return output;
    }

    /// <summary>Resizes a whole crop to the template size, for servers without a detector.</summary>
    public static Mat Fit(Mat bgr, AlignmentTemplate template)
    {
        var output = new Mat();
        var interpolation = bgr.Width > template.Width ? InterpolationFlags.Area : InterpolationFlags.Linear;
        Cv2.Resize(bgr, output, new Size(template.Width, template.Height), 0, 0, interpolation);
        return output;
    }

    private static Point2f[] ToPoints(float[] xy)
    {
        var points = new Point2f[xy.Length / 2];
        for (int i = 0; i < points.Length; i++) points[i] = new Point2f(xy[2 * i], xy[2 * i + 1]);
        return points;
    }
}
