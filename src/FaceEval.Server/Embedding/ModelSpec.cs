using System.Globalization;

namespace FaceEval.Server.Embedding;

/// <summary>
/// A served model as written on the server's command line or in its config file:
/// <c>lbp</c>, <c>hog</c>, or <c>onnx:PATH[;preset=arcface112|dlib150][;rgb=true|false][;mean=M][;scale=S][;template=WxH:x1,y1,...]</c>.
/// </summary>
public sealed record ModelSpec(string Kind, string? Path, OnnxPreprocessing? Preprocessing)
{
    /// <summary>Parses one spec; relative model paths are resolved against <paramref name="baseDirectory"/>.</summary>
    public static ModelSpec Parse(string spec, string? baseDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new FormatException("An empty model spec.");
        spec = spec.Trim();
        if (spec.Equals("lbp", StringComparison.OrdinalIgnoreCase)) return new ModelSpec("lbp", null, null);
        if (spec.Equals("hog", StringComparison.OrdinalIgnoreCase)) return new ModelSpec("hog", null, null);
        if (!spec.StartsWith("onnx:", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"Unknown model kind in '{spec}': use 'lbp', 'hog' or 'onnx:PATH[;preset=arcface112|dlib150]'.");
        var parts = spec["onnx:".Length..].Split(';');
        string path = parts[0].Trim();
        if (path.Length == 0) throw new FormatException($"The model spec '{spec}' has no ONNX path.");
        if (baseDirectory is not null) path = System.IO.Path.GetFullPath(path, baseDirectory);
        var pre = OnnxPreprocessing.ArcFace112;
        foreach (var option in parts.Skip(1).Where(p => p.Trim().Length > 0))
        {
            var kv = option.Split('=', 2);
            if (kv.Length != 2) throw new FormatException($"'{option}' in '{spec}' is not key=value.");
            string key = kv[0].Trim().ToLowerInvariant(), value = kv[1].Trim();
            pre = key switch
            {
                "preset" => OnnxPreprocessing.FromPreset(value),
                "rgb" => pre with { Rgb = bool.Parse(value) },
                "mean" => pre with { Mean = double.Parse(value, CultureInfo.InvariantCulture) },
                "scale" => pre with { Scale = ParseNumber(value) },
                "template" => pre with { Template = AlignmentTemplate.Parse(value) },
                _ => throw new FormatException($"Unknown option '{key}' in '{spec}'; the options are preset, rgb, mean, scale, template."),
            };
        }
        return new ModelSpec("onnx", path, pre);
    }

    /// <summary>Parses "name=spec".</summary>
    public static (string Name, ModelSpec Spec) ParseNamed(string text, string? baseDirectory = null)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new FormatException($"A model is 'name=spec' (e.g. eagle=onnx:model.onnx;preset=arcface112, dingo=lbp); got '{text}'.");
        string name = text[..eq].Trim();
        return (name, Parse(text[(eq + 1)..], baseDirectory));
    }

    public IFaceEmbedder CreateEmbedder() => Kind switch
    {
        "lbp" => new LbpEmbedder(),
        "hog" => new HogEmbedder(),
        "onnx" => new OnnxEmbedder(Path!, Preprocessing!),
        _ => throw new InvalidOperationException($"Unknown kind {Kind}."),
    };

    /// <summary>Accepts plain numbers and fractions such as 1/127.5.</summary>
    private static double ParseNumber(string value)
    {
        int slash = value.IndexOf('/');
        return slash < 0
            ? double.Parse(value, CultureInfo.InvariantCulture)
            : double.Parse(value[..slash], CultureInfo.InvariantCulture) / double.Parse(value[(slash + 1)..], CultureInfo.InvariantCulture);
    }
}
