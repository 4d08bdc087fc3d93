using FaceEval.Core.Imaging;
using OpenCvSharp;

namespace FaceEval.Server.Embedding;

/// <summary>
/// What the reference server does with one uploaded image: decode it, find the largest face with the
/// secondary detector, align its landmarks to the model's template, embed, and L2-normalise.
/// Safe to call from many threads at once.
/// </summary>
public sealed class FaceFeatureExtractor : IDisposable
{
    private readonly IReadOnlyDictionary<string, IFaceEmbedder> _models;
    private readonly Pool<YuNetFaceDetector>? _detectors;
    private readonly long _maxPixels;

    /// <param name="models">Embedders by the model name clients send.</param>
    /// <param name="detectorModel">YuNet ONNX model for the secondary detection; null embeds the whole image resized.</param>
    /// <param name="minConfidence">Lowest detector score accepted as a face.</param>
    /// <param name="maxPixels">Largest image accepted, in pixels.</param>
    public FaceFeatureExtractor(IReadOnlyDictionary<string, IFaceEmbedder> models, string? detectorModel = null,
        float minConfidence = YuNetFaceDetector.DefaultMinConfidence, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        if (models.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(models));
        _models = models;
        _maxPixels = maxPixels;
        if (detectorModel is not null)
        {
            _detectors = new Pool<YuNetFaceDetector>(() => new YuNetFaceDetector(detectorModel, minConfidence));
            _detectors.Use(d => d.Detect(new Mat(32, 32, MatType.CV_8UC3, Scalar.All(0)))); // fail now if the model is broken
        }
    }

    public IReadOnlyCollection<string> ModelNames => _models.Keys.ToArray();
    public bool HasDetector => _detectors is not null;
    public bool Serves(string model) => _models.ContainsKey(model);

    /// <summary>The normalised embedding, or an empty array when the detector finds no face.</summary>
    /// <exception cref="FaceEvalException">The image does not decode, is too large, or the model is unknown.</exception>
    public float[] Extract(ReadOnlySpan<byte> image, string model)
    {
        if (!_models.TryGetValue(model, out var embedder))
            throw new KeyNotFoundException($"The model '{model}' is not served.");
        using var bgr = ImageDecoder.Decode(image, "upload", _maxPixels);
        using var aligned = AlignLargestFace(bgr, embedder.Template);
        if (aligned is null) return Array.Empty<float>();
        return Normalise(embedder.Embed(aligned));
    }

    private Mat? AlignLargestFace(Mat bgr, AlignmentTemplate template)
    {
        if (_detectors is null) return FaceAligner.Fit(bgr, template);
        var faces = _detectors.Use(d => d.Detect(bgr));
        if (faces.Count == 0) return null;
        var largest = faces.MaxBy(f => (long)f.Box.Width * f.Box.Height)!;
        return FaceAligner.Align(bgr, largest.Landmarks, template);
    }

    /// <summary>Divides by the L2 norm (computed in double); a zero or non-finite vector is an error.</summary>
    public static float[] Normalise(float[] v)
    {
        double sum = 0;
        foreach (var x in v) sum += (double)x * x;
        double norm = Math.Sqrt(sum);
        if (!(norm > 0) || double.IsInfinity(norm))
            throw new FaceEvalException(FaceEvalError.EmbeddingFailed, "The model produced a zero or non-finite embedding.");
        var result = new float[v.Length];
        for (int i = 0; i < v.Length; i++) result[i] = (float)(v[i] / norm);
        return result;
    }

    public void Dispose()
    {
        _detectors?.Dispose();
        foreach (var e in _models.Values.Distinct()) e.Dispose();
    }
}
