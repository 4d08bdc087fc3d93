using FaceEval.Core.Imaging;
using FaceEval.Core.Service;
using OpenCvSharp;

namespace FaceEval.Core.Reporting;

/// <summary>
/// Small PNG thumbnails of the items' images, for the failure gallery. An item's image is its own file when it
/// names an image; for a saved embedding (.npy), the image its run manifest records for that file. An image that
/// cannot be found or read has no thumbnail (the gallery says so); nothing is written anywhere.
/// </summary>
public sealed class Thumbnails
{
    /// <summary>The longest side of a thumbnail, in pixels.</summary>
    public const int Side = 96;

    private readonly Dictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);
    private readonly ManifestModelIndex _manifests = new();
    private readonly Dictionary<string, Dictionary<string, string>> _sources = new(StringComparer.Ordinal);

    /// <summary>The thumbnail of the item labelled <paramref name="label"/>, or null.</summary>
    public byte[]? Of(string label)
    {
        if (_cache.TryGetValue(label, out var known)) return known;
        byte[]? png = null;
        try
        {
            string? image = ImageOf(label);
            if (image is not null && File.Exists(image))
            {
                using var decoded = ImageDecoder.Decode(ImageDecoder.ReadFile(image), Path.GetFileName(image));
                double scale = Math.Min(1.0, (double)Side / Math.Max(decoded.Width, decoded.Height));
                using var small = new Mat();
                Cv2.Resize(decoded, small, new Size(Math.Max(1, (int)Math.Round(decoded.Width * scale)), Math.Max(1, (int)Math.Round(decoded.Height * scale))), 0, 0, InterpolationFlags.Area);
                Cv2.ImEncode(".png", small, out png);
            }
        }
        catch (Exception e) when (e is FaceEvalException or IOException or UnauthorizedAccessException or OpenCVException)
        {
            png = null;
        }
        return _cache[label] = png;
    }

    private string? ImageOf(string label)
    {
        if (!label.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return label;
        string npy = Path.GetFullPath(label);
        string? manifest = Path.GetDirectoryName(npy) is { } dir ? _manifests.ManifestAbove(dir) : null;
        if (manifest is null) return null;
        if (!_sources.TryGetValue(manifest, out var sources))
        {
            sources = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var row in RunManifest.Read(manifest).Where(r => r.Npy is not null && r.Kind is null)) sources[row.Npy!] = row.Source;
            _sources[manifest] = sources;
        }
        return sources.GetValueOrDefault(npy);
    }
}
