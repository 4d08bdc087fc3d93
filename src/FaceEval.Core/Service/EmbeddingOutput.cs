using FaceEval.Core.IO;

namespace FaceEval.Core.Service;

/// <summary>
/// Where an embedding run writes: the .npy file of each item (named like its image, optionally keeping the
/// image's sub-folders below a root) and the run manifest. Opening it reads the manifest (so finished items
/// are resumed) and removes the temporary files an interrupted run left behind.
/// </summary>
public sealed class EmbeddingOutput : IDisposable
{
    private EmbeddingOutput(OutputNaming naming, RunManifest manifest, int staleRemoved)
    {
        Naming = naming;
        Manifest = manifest;
        StaleRemoved = staleRemoved;
    }

    public OutputNaming Naming { get; }

    public RunManifest Manifest { get; }

    /// <summary>Temporary files of an interrupted run that were removed at open.</summary>
    public int StaleRemoved { get; }

    /// <param name="folder">The output folder (created when missing).</param>
    /// <param name="root">With sub-folders kept: the folder the inputs' paths are taken relative to; else null.</param>
    /// <param name="manifestPath">The manifest file; null for manifest.jsonl in <paramref name="folder"/>.</param>
    /// <exception cref="FaceEvalException">ManifestUnavailable when the manifest cannot be opened.</exception>
    public static EmbeddingOutput Open(string folder, string? root, string? manifestPath)
    {
        var naming = new OutputNaming(folder, root);
        string manifest = manifestPath ?? Path.Combine(folder, "manifest.jsonl");
        RunManifest opened;
        try
        {
            opened = RunManifest.Open(manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceEvalException(FaceEvalError.ManifestUnavailable, $"The run manifest '{manifest}' cannot be opened: {e.Message}", manifest, e);
        }
        return new EmbeddingOutput(naming, opened, AtomicFile.RemoveStale(folder));
    }

    public void Dispose() => Manifest.Dispose();
}
