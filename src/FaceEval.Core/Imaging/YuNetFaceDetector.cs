using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>
/// The YuNet face detector (OpenCV <c>FaceDetectorYN</c>). Not thread-safe: use one instance per thread.
/// </summary>
/// <remarks>
/// YuNet's input size is fixed when it is created, so one detector is kept per (padded) image size.
/// Large images are first scaled so that the longest side is at most <see cref="DetectionMaxSide"/>;
/// every image then gets a replicated border, because YuNet misses faces that fill the frame
/// (tight headshots, already-cropped faces) without one.
/// </remarks>
public sealed class YuNetFaceDetector : IDisposable
{
    public const float DefaultMinConfidence = 0.8f;
    private const float NmsThreshold = 0.3f;
    private const int TopK = 5000;
    private const int MaxCachedSizes = 8;

    private readonly string _modelPath;
    private readonly float _minConfidence;
    private readonly Dictionary<(int, int), FaceDetectorYN> _bySize = new();

    public YuNetFaceDetector(string modelPath, float minConfidence = DefaultMinConfidence)
    {
        if (!File.Exists(modelPath))
            throw new FaceEvalException(FaceEvalError.DetectorModelMissing, $"The detector model '{modelPath}' does not exist.", modelPath);
        _modelPath = modelPath;
        _minConfidence = minConfidence;
    }

    /// <summary>Longest side, in pixels, at which detection runs.</summary>
    public int DetectionMaxSide { get; init; } = 640;

    /// <summary>Border added on each side, as a share of the longest side.</summary>
    public double PaddingRatio { get; init; } = 0.25;

    /// <summary>Finds faces, most confident first.</summary>
    public IReadOnlyList<FaceDetection> Detect(Mat bgr)
    {
        if (bgr.Empty()) return Array.Empty<FaceDetection>();
        OpenCvRuntime.ClaimErrors();
        double s = Math.Min(1.0, (double)DetectionMaxSide / Math.Max(bgr.Width, bgr.Height));
        using var scaled = new Mat();
        Mat work = bgr;
        if (s < 1.0)
        {
            Cv2.Resize(bgr, scaled, new Size(Math.Max(1, (int)Math.Round(bgr.Width * s)), Math.Max(1, (int)Math.Round(bgr.Height * s))), 0, 0, InterpolationFlags.Area);
            work = scaled;
        }
        int pad = (int)Math.Round(PaddingRatio * Math.Max(work.Width, work.Height));
        using var padded = new Mat();
        Cv2.CopyMakeBorder(work, padded, pad, pad, pad, pad, BorderTypes.Replicate);

        using var faces = new Mat();
        try
        {
            GetDetector(padded.Width, padded.Height).Detect(padded, faces);
        }
        catch (OpenCVException e)
        {
            throw new FaceEvalException(FaceEvalError.DetectorFailed, $"The face detector failed: {e.Message}", _modelPath, e);
        }

        int rows = faces.Rows;
        var found = new List<FaceDetection>(rows);
        for (int r = 0; r < rows; r++)
        {
            float score = faces.Get<float>(r, 14);
            if (score < _minConfidence) continue;
            // Back from the padded, scaled frame to the caller's image.
            double P(int c) => (faces.Get<float>(r, c) - pad) / s;
            var box = FaceBox.From(P(0), P(1), faces.Get<float>(r, 2) / s, faces.Get<float>(r, 3) / s, BoxFormat.XYWH);
            var marks = new float[10];
            for (int k = 0; k < 5; k++)
            {
                marks[2 * k] = (float)P(4 + 2 * k);
                marks[2 * k + 1] = (float)P(5 + 2 * k);
            }
            found.Add(new FaceDetection(box, score, marks));
        }
        found.Sort((a, b) => b.Score.CompareTo(a.Score));
        return found;
    }

    private FaceDetectorYN GetDetector(int width, int height)
    {
        if (_bySize.TryGetValue((width, height), out var detector)) return detector;
        if (_bySize.Count >= MaxCachedSizes)
        {
            foreach (var d in _bySize.Values) d.Dispose();
            _bySize.Clear();
        }
        try
        {
            detector = FaceDetectorYN.Create(_modelPath, "", new Size(width, height), _minConfidence, NmsThreshold, TopK);
        }
        catch (OpenCVException e)
        {
            throw new FaceEvalException(FaceEvalError.DetectorFailed, $"Cannot load the detector model '{_modelPath}': {e.Message}", _modelPath, e);
        }
        _bySize[(width, height)] = detector;
        return detector;
    }

    public void Dispose()
    {
        foreach (var d in _bySize.Values) d.Dispose();
        _bySize.Clear();
    }
}
