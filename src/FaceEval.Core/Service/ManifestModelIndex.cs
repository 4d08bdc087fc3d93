namespace FaceEval.Core.Service;

/// <summary>
/// Finds the model of a saved .npy file from the run manifest (manifest.jsonl) in its folder or the
/// nearest parent, reading each manifest once and never writing to it.
/// </summary>
/// <remarks>
/// The manifest's paths are matched relative to the manifest's own folder, so a folder that was moved,
/// copied or renamed after the run still knows its models. Manifests written before paths were kept
/// relative hold absolute paths of the folder where the run wrote; those are matched by their path
/// below that original folder (the common folder of the manifest's .npy paths).
/// </remarks>
public sealed class ManifestModelIndex
{
    public const string ManifestName = "manifest.jsonl";

    private static readonly StringComparer s_paths = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
    private readonly Dictionary<string, IReadOnlyDictionary<string, ManifestRow>> _byManifest = new(s_paths);
    private readonly Dictionary<string, string?> _manifestOfFolder = new(s_paths);

    /// <summary>The model recorded for <paramref name="npyFile"/>, or null when no manifest above it records one.</summary>
    /// <exception cref="FaceEvalException">When a manifest exists but cannot be read.</exception>
    public string? ModelOf(string npyFile) => RowOf(npyFile)?.Model;

    /// <summary>
    /// The labels recorded with <paramref name="npyFile"/>'s vector (columns of the detections CSV that travelled
    /// through Invoke-FaceEmbedding), or null when its manifest row has none.
    /// </summary>
    /// <exception cref="FaceEvalException">When a manifest exists but cannot be read.</exception>
    public IReadOnlyDictionary<string, string>? AttributesOf(string npyFile) => RowOf(npyFile)?.Attributes;

    /// <summary>The last successful manifest row of <paramref name="npyFile"/>, or null.</summary>
    private ManifestRow? RowOf(string npyFile)
    {
        string file = Path.GetFullPath(npyFile);
        string? manifest = Path.GetDirectoryName(file) is { } dir ? ManifestAbove(dir) : null;
        if (manifest is null) return null;
        if (!_byManifest.TryGetValue(manifest, out var models))
            _byManifest[manifest] = models = Index(manifest);
        string relative = Path.GetRelativePath(Path.GetDirectoryName(manifest)!, file).Replace(Path.DirectorySeparatorChar, '/');
        return models.TryGetValue(relative, out var row) ? row : null;
    }

    /// <summary>The nearest manifest in <paramref name="dir"/> or a parent; looked up once per folder, as thousands of files share a few.</summary>
    public string? ManifestAbove(string dir)
    {
        if (_manifestOfFolder.TryGetValue(dir, out var known)) return known;
        string here = Path.Combine(dir, ManifestName);
        string? parent = Path.GetDirectoryName(dir);
        var found = File.Exists(here) ? here : parent is null ? null : ManifestAbove(parent);
        _manifestOfFolder[dir] = found;
        return found;
    }

    /// <summary>Relative .npy path (with '/') to its last successful row.</summary>
    private static IReadOnlyDictionary<string, ManifestRow> Index(string manifest)
    {
        string folder = Path.GetDirectoryName(manifest)!;
        var rows = RunManifest.Read(manifest).Where(r => r.Status == RunManifest.StatusOk && r.Npy is not null).ToList();
        // Rows not under this folder come from an older manifest that was moved with its folder: take them
        // relative to the folder they were written in, the common folder of their paths.
        var outside = rows.Select(r => r.Npy!).Where(p => !IsUnder(folder, p)).ToList();
        string? original = outside.Count == 0 ? null : CommonFolder(outside);
        var index = new Dictionary<string, ManifestRow>(s_paths);
        foreach (var row in rows)
        {
            string baseFolder = IsUnder(folder, row.Npy!) ? folder : original!;
            index[Path.GetRelativePath(baseFolder, row.Npy!).Replace(Path.DirectorySeparatorChar, '/')] = row;
        }
        return index;
    }

    private static bool IsUnder(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static string CommonFolder(IReadOnlyList<string> paths)
    {
        string common = Path.GetDirectoryName(paths[0])!;
        foreach (var p in paths)
            while (!IsUnder(common, p) && Path.GetDirectoryName(common) is { } up) common = up;
        return common;
    }
}
