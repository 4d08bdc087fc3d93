using OpenCvSharp;

namespace FaceEval.Server.Embedding;

/// <summary>
/// A second classical descriptor that needs no weights: OpenCV's histogram of oriented gradients on the
/// aligned face, equalised and scaled to 64x64 (8-pixel cells, 16-pixel blocks with an 8-pixel stride,
/// 9 orientation bins: 1764 dimensions), centred on its mean; the server L2-normalises it. Gradients
/// capture the layout of eyes, nose and mouth where LBP captures texture, so the two rank faces
/// differently: two built-in models a rehearsal can compare side by side.
/// </summary>
public sealed class HogEmbedder : IFaceEmbedder
{
    private const int Side = 64;
    private readonly Pool<HOGDescriptor> _hogs = new(() => new HOGDescriptor(new Size(Side, Side), new Size(16, 16), new Size(8, 8), new Size(8, 8), 9));

    public AlignmentTemplate Template => AlignmentTemplate.ArcFace112;
    public string Description => "hog (histogram of oriented gradients, 64x64, 1764 dimensions)";

    public float[] Embed(Mat alignedBgr)
    {
        using var grey = new Mat();
        if (alignedBgr.Channels() == 1) alignedBgr.CopyTo(grey); else Cv2.CvtColor(alignedBgr, grey, ColorConversionCodes.BGR2GRAY);
        using var equalised = new Mat();
        Cv2.EqualizeHist(grey, equalised);
        using var small = new Mat();
        Cv2.Resize(equalised, small, new Size(Side, Side), 0, 0, InterpolationFlags.Area);
        var features = _hogs.Use(hog => hog.Compute(small));
        float mean = features.Average();
        for (int i = 0; i < features.Length; i++) features[i] -= mean;
        return features;
    }

    public void Dispose() => _hogs.Dispose();
}
