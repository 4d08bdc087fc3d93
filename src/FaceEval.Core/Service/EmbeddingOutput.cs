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
    /// <param name="model">The model this run embeds with: a folder holds one model's vectors.</param>
    /// <exception cref="FaceEvalException">
    /// ManifestUnavailable when the manifest cannot be opened or another run holds it; ModelMismatch when the
    /// folder already holds another model's vectors; WriteFailed when the folder cannot be written (a full
    /// disk, say), found before anything is sent.
    /// </exception>
    public static EmbeddingOutput Open(string folder, string? root, string? manifestPath, string model)
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
        try
        {
            // Two models in one folder would write the same file names: B's vectors over A's, and a re-run
            // of A would then take B's vectors for its own.
            var others = opened.ModelsWithVectors.Where(m => m != model).ToArray();
            if (others.Length > 0)
                throw new FaceEvalException(FaceEvalError.ModelMismatch,
                    $"'{naming.OutputDirectory}' already holds embeddings of model {string.Join(", ", others.Select(m => $"'{m}'"))} (see {Path.GetFileName(manifest)}); model '{model}' would overwrite them. Give each model its own folder, for example -OutputDirectory {Path.Combine(Path.GetDirectoryName(naming.OutputDirectory) ?? ".", model)}.",
                    naming.OutputDirectory);
            CheckWritable(naming.OutputDirectory);
            return new EmbeddingOutput(naming, opened, AtomicFile.RemoveStale(naming.OutputDirectory));
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>Writes and removes a small file, so a folder that cannot take one more file fails the run before any request.</summary>
    private static void CheckWritable(string folder)
    {
        string probe = Path.Combine(folder, $".faceeval-write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            AtomicFile.WriteAllBytes(probe, new byte[4096], overwrite: true);
        }
        catch (FaceEvalException e)
        {
            throw new FaceEvalException(FaceEvalError.WriteFailed,
                $"The output folder '{folder}' cannot be written ({(e.InnerException ?? e).Message}); nothing was sent. Free some space or choose another -OutputDirectory.", folder, e);
        }
        finally
        {
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public void Dispose() => Manifest.Dispose();
}
