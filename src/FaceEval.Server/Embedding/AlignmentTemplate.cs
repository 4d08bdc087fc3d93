using System.Globalization;

namespace FaceEval.Server.Embedding;

/// <summary>
/// Where the five facial landmarks (right eye, left eye, nose tip, right and left mouth corners, in
/// the detector's order: subject's right = image left) should land in an embedder's input image.
/// </summary>
public sealed record AlignmentTemplate(int Width, int Height, float[] Points)
{
    /// <summary>The standard ArcFace / InsightFace 112x112 template.</summary>
    public static AlignmentTemplate ArcFace112 { get; } = new(112, 112, new[]
    {
        38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f, 92.2041f,
    });

    /// <summary>
    /// dlib's 150x150 face chip (padding 0.25), as its ResNet face descriptor expects: the eye centres,
    /// nose tip and mouth corners of dlib's mean face shape, mapped by (0.25 + p) / 1.5 * 150.
    /// </summary>
    public static AlignmentTemplate Dlib150 { get; } = new(150, 150, new[]
    {
        47.549f, 46.599f, 100.476f, 46.599f, 74.013f, 76.563f, 50.415f, 103.023f, 97.610f, 103.023f,
    });

    /// <summary>Parses "w x h: x1,y1,...,x5,y5" (ten numbers after the size), e.g. "112x112:38.3,51.7,...".</summary>
    public static AlignmentTemplate Parse(string text)
    {
        var parts = text.Split(':', 2);
        var size = parts[0].Split('x', 'X');
        if (parts.Length != 2 || size.Length != 2) throw new FormatException($"A template is 'WxH:x1,y1,...,x5,y5'; got '{text}'.");
        var points = parts[1].Split(',').Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        if (points.Length != 10) throw new FormatException($"A template needs 10 numbers (5 points); got {points.Length}.");
        return new AlignmentTemplate(int.Parse(size[0], CultureInfo.InvariantCulture), int.Parse(size[1], CultureInfo.InvariantCulture), points);
    }
}
