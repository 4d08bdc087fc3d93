namespace FaceEval.Core.IO;

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
