namespace FaceEval.Core.IO;

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
