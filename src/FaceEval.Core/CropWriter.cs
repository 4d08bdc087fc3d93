namespace FaceEval.Core;

/// <summary>
/// Where a run's output files go: a file name in the output folder, optionally under the source's
/// sub-folder relative to a root, and never two files of one run under the same name.
/// </summary>
public sealed class OutputNaming
{
    private readonly HashSet<string> _claimed = new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    public OutputNaming(string outputDirectory, string? root = null)
    {
        OutputDirectory = System.IO.Path.GetFullPath(outputDirectory);
        Root = root is null ? null : System.IO.Path.GetFullPath(root);
    }

    public string OutputDirectory { get; }
    public string? Root { get; }

    /// <summary>The path for <paramref name="fileName"/>, placed by the folder of <paramref name="sourcePath"/> when a root is set.</summary>
    public string GetPath(string sourcePath, string fileName)
    {
        string folder = OutputDirectory;
        if (Root is not null)
        {
            string relative = System.IO.Path.GetRelativePath(Root, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(sourcePath)) ?? Root);
            if (relative == ".." || relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative))
                throw new FaceEvalException(FaceEvalError.SourceOutsideRoot, $"'{sourcePath}' is not under the root folder '{Root}', so its sub-folder cannot be kept.", sourcePath);
            if (relative != ".") folder = System.IO.Path.Combine(OutputDirectory, relative);
        }
        return System.IO.Path.Combine(folder, fileName);
    }

    /// <summary>Throws OutputNameCollision when another item of this run already has <paramref name="path"/>.</summary>
    public void CheckUnclaimed(string path, string sourcePath)
    {
        if (_claimed.Contains(path))
            throw new FaceEvalException(FaceEvalError.OutputNameCollision,
                $"Another item of this run already wrote '{path}'; '{sourcePath}' has the same file name. Use -PreserveStructure with -Root to keep sub-folders apart.", sourcePath);
    }

    public void Claim(string path, string sourcePath)
    {
        CheckUnclaimed(path, sourcePath);
        _claimed.Add(path);
    }
}

/// <summary>
/// Names and writes crop files: <c>&lt;stem&gt;_&lt;faceIndex&gt;.png</c> in the output folder (see
/// <see cref="OutputNaming"/>). Refuses to overwrite without <c>force</c>, and refuses to write two crops
/// of one run to the same name (e.g. <c>s1/1.pgm</c> and <c>s2/1.pgm</c> without preserving structure),
/// so nothing is lost silently.
/// </summary>
public sealed class CropWriter
{
    private readonly OutputNaming _naming;

    /// <param name="outputDirectory">Folder for the crops (created when needed).</param>
    /// <param name="root">When set, each source's folder relative to it is kept under the output folder.</param>
    /// <param name="force">Overwrite existing files.</param>
    public CropWriter(string outputDirectory, string? root = null, bool force = false)
    {
        _naming = new OutputNaming(outputDirectory, root);
        Force = force;
    }

    public string OutputDirectory => _naming.OutputDirectory;
    public string? Root => _naming.Root;
    public bool Force { get; }

    /// <summary>The file a crop goes to.</summary>
    public string GetPath(string sourcePath, int faceIndex) =>
        _naming.GetPath(sourcePath, $"{System.IO.Path.GetFileNameWithoutExtension(sourcePath)}_{faceIndex}.png");

    /// <summary>Checks that a crop may be written to <paramref name="path"/> in this run.</summary>
    public void CheckTarget(string path, string sourcePath)
    {
        _naming.CheckUnclaimed(path, sourcePath);
        if (!Force && File.Exists(path))
            throw new FaceEvalException(FaceEvalError.OutputExists, $"The crop file '{path}' already exists. Use -Force to overwrite it.", path);
    }

    /// <summary>Writes the crop's PNG to <paramref name="path"/> and moves it from memory to the file.</summary>
    public void Write(FaceCrop crop, string path)
    {
        CheckTarget(path, crop.SourcePath);
        var data = crop.PngData ?? throw new InvalidOperationException("The crop holds no PNG data.");
        AtomicFile.WriteAllBytes(path, data, Force);
        _naming.Claim(path, crop.SourcePath);
        crop.Path = path;
        crop.PngData = null;
    }
}

/// <summary>Writes files so that a reader (or a killed run) never sees a half-written one.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data, bool overwrite)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        // RemoveStale recognises this name: ".<file name>.<32 hex digits>.tmp".
        string temp = Path.Combine(dir ?? ".", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (dir is not null) Directory.CreateDirectory(dir);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (!overwrite && File.Exists(path))
                throw new FaceEvalException(FaceEvalError.OutputExists, $"The file '{path}' already exists.", path, e);
            throw new FaceEvalException(FaceEvalError.WriteFailed, $"Cannot write '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>
    /// Deletes the temporary files a killed run left under <paramref name="directory"/> (this class's own
    /// ".name.guid.tmp" files only). Returns how many were removed.
    /// </summary>
    public static int RemoveStale(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp", SearchOption.AllDirectories))
        {
            var parts = Path.GetFileName(file).Split('.');
            if (parts.Length >= 4 && parts[^2].Length == 32 && parts[^2].All(Uri.IsHexDigit))
            {
                TryDelete(file);
                removed++;
            }
        }
        return removed;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
