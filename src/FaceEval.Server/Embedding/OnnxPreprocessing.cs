namespace FaceEval.Server.Embedding;

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
