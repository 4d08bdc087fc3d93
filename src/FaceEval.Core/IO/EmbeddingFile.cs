using FaceEval.Core.Metrics;

namespace FaceEval.Core.IO;

/// <summary>
/// Reads the embeddings of one .npy file for the cmdlets that take files (Import-FaceEmbedding,
/// Compare-FaceEmbedding): whatever is wrong with the file, the caller gets one
/// <see cref="FaceEvalError.NpyUnreadable"/> error that names the file and says why, and can go on to the next.
/// </summary>
/// <remarks>
/// A file that holds no numbers, shape (0,) or (0, D), is one failure to enrol: an empty vector, as the service
/// answers an image without a face (an empty feature). Invoke-FaceEmbedding itself writes no file for such an
/// image (its manifest.jsonl records it as no_face); this is how a file saved by other tools reads.
/// </remarks>
public static class EmbeddingFile
{
    /// <summary>The vectors of the file: one for shape (D,), N for shape (N, D), one empty one for a file with no numbers.</summary>
    /// <exception cref="FaceEvalException">NpyUnreadable, with the file as its target.</exception>
    public static float[][] Read(string path)
    {
        float[][] rows;
        try
        {
            rows = NpyFile.Read(path);
        }
        catch (InvalidDataException e)
        {
            throw Unreadable(path, e.Message, e);
        }
        catch (FaceEvalException e) when (e.Error != FaceEvalError.NpyUnreadable)
        {
            // Missing, empty, a device or pipe, too large (RegularFile): still one NpyUnreadable that says which.
            throw Unreadable(path, e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Unreadable(path, $"'{path}' cannot be read: {e.Message}", e);
        }
        if (rows.Length == 0) return new[] { Array.Empty<float>() };
        for (int r = 0; r < rows.Length; r++)
        {
            if (EmbeddingVector.Problem(rows[r]) is { } why)
                throw Unreadable(path, $"'{path}' does not hold a usable embedding: {(rows.Length > 1 ? $"in row {r}, " : "")}{why}.");
        }
        return rows;
    }

    private static FaceEvalException Unreadable(string path, string message, Exception? inner = null) =>
        new(FaceEvalError.NpyUnreadable, message, path, inner);
}
