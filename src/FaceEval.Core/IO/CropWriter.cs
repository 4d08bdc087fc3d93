namespace FaceEval.Core.IO;

/// <summary>
/// Names and writes crop files: <c>&lt;stem&gt;_&lt;faceIndex&gt;.png</c> in the output folder (see
/// <see cref="OutputNaming"/>). A file that already holds exactly this crop is kept and reused (a re-run
/// resumes); one that holds anything else is not overwritten without <c>force</c>. Two crops of one run
/// never go to the same name (e.g. <c>s1/1.pgm</c> and <c>s2/1.pgm</c> without preserving structure), so
/// nothing is lost silently. Every crop written or kept is recorded in the output folder's
/// <see cref="OutputLedger"/>, so that the end of the evaluation can delete exactly the crops FaceEval wrote.
/// </summary>
public sealed class CropWriter
{
    private readonly OutputNaming _naming;
    private readonly OutputLedger _ledger;

    /// <param name="outputDirectory">Folder for the crops (created when needed).</param>
    /// <param name="root">When set, each source's folder relative to it is kept under the output folder.</param>
    /// <param name="force">Overwrite existing files.</param>
    public CropWriter(string outputDirectory, string? root = null, bool force = false)
    {
        _naming = new OutputNaming(outputDirectory, root);
        _ledger = new OutputLedger(outputDirectory);
        Force = force;
    }

    public string OutputDirectory => _naming.OutputDirectory;
    public string? Root => _naming.Root;
    public bool Force { get; }

    /// <summary>The file a crop goes to.</summary>
    public string GetPath(string sourcePath, int faceIndex) =>
        _naming.GetPath(sourcePath, $"{System.IO.Path.GetFileNameWithoutExtension(sourcePath)}_{faceIndex}.png");

    /// <summary>Checks that no other crop of this run goes to <paramref name="path"/>.</summary>
    public void CheckTarget(string path, string sourcePath) => _naming.CheckUnclaimed(path, sourcePath);

    /// <summary>
    /// Writes the crop's PNG to <paramref name="path"/> and moves it from memory to the file; when the file
    /// already holds these very bytes it is kept and the crop is marked <see cref="FaceCrop.Resumed"/>.
    /// </summary>
    /// <exception cref="FaceEvalException">OutputNameCollision; OutputExists when the file holds something else and force is off; WriteFailed.</exception>
    public void Write(FaceCrop crop, string path)
    {
        CheckTarget(path, crop.SourcePath);
        var data = crop.PngData ?? throw new InvalidOperationException("The crop holds no PNG data.");
        bool same = !Force && File.Exists(path) && Holds(path, data);
        if (!same)
        {
            if (!Force && File.Exists(path))
                throw new FaceEvalException(FaceEvalError.OutputExists,
                    $"The crop file '{path}' already exists and holds something else (another image, box or setting). Use -Force to overwrite it.", path);
            AtomicFile.WriteAllBytes(path, data, Force);
        }
        try
        {
            _ledger.Record(path, "crop", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data)).ToLowerInvariant());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceEvalException(FaceEvalError.WriteFailed, $"The crop '{path}' was written, but FaceEval's record of its outputs ('{_ledger.LedgerPath}') could not be: {e.Message}", path, e);
        }
        _naming.Claim(path, crop.SourcePath);
        crop.Path = path;
        crop.PngData = null;
        crop.Resumed = same;
    }

    /// <summary>True when the file's bytes are exactly <paramref name="data"/>.</summary>
    private static bool Holds(string path, byte[] data)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Length == data.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
