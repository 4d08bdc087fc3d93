using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace FaceEval.Core.Embedding;

/// <summary>How an ONNX face-recognition model wants its input.</summary>
public sealed record OnnxPreprocessing
{
    public required AlignmentTemplate Template { get; init; }

    /// <summary>Feed RGB (true) or BGR (false).</summary>
    public bool Rgb { get; init; } = true;

    /// <summary>Subtracted from every channel value (0..255) before scaling.</summary>
    public double Mean { get; init; }

    /// <summary>Multiplies every channel value after the mean is subtracted.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>ArcFace-style models (InsightFace buffalo, ...): 112x112 RGB, (x - 127.5) / 127.5.</summary>
    public static OnnxPreprocessing ArcFace112 { get; } = new() { Template = AlignmentTemplate.ArcFace112, Rgb = true, Mean = 127.5, Scale = 1.0 / 127.5 };

    /// <summary>The dlib ResNet descriptor as ported to ONNX: 150x150 RGB 0..255 (normalisation is inside the graph).</summary>
    public static OnnxPreprocessing Dlib150 { get; } = new() { Template = AlignmentTemplate.Dlib150, Rgb = true, Mean = 0, Scale = 1.0 };

    public static OnnxPreprocessing FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "arcface112" or "arcface" => ArcFace112,
        "dlib150" or "dlib" => Dlib150,
        _ => throw new ArgumentException($"Unknown preprocessing preset '{name}'; the presets are arcface112 and dlib150."),
    };
}

/// <summary>Any face-recognition ONNX model run with OpenCV DNN; one network per concurrent caller.</summary>
public sealed class OnnxEmbedder : IFaceEmbedder
{
    private readonly OnnxPreprocessing _pre;
    private readonly Pool<Net> _nets;

    public OnnxEmbedder(string modelPath, OnnxPreprocessing preprocessing)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"The ONNX model '{modelPath}' does not exist.", modelPath);
        byte[] model = File.ReadAllBytes(modelPath);
        _pre = preprocessing;
        _nets = new Pool<Net>(() => CvDnn.ReadNetFromOnnx(model) ?? throw new InvalidOperationException($"OpenCV could not load '{modelPath}'."));
        // Load one network now, so that a broken model fails at start-up rather than on the first request.
        _nets.Use(_ => 0);
        Description = $"onnx {Path.GetFileName(modelPath)} ({_pre.Template.Width}x{_pre.Template.Height})";
    }

    public AlignmentTemplate Template => _pre.Template;
    public string Description { get; }

    public float[] Embed(Mat alignedBgr)
    {
        using var blob = CvDnn.BlobFromImage(alignedBgr, _pre.Scale, new Size(_pre.Template.Width, _pre.Template.Height),
            Scalar.All(_pre.Mean), swapRB: _pre.Rgb, crop: false);
        return _nets.Use(net =>
        {
            net.SetInput(blob);
            using var output = net.Forward();
            using var flat = output.Reshape(1, 1);
            flat.GetArray(out float[] values);
            return values;
        });
    }

    public void Dispose() => _nets.Dispose();
}
