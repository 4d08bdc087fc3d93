namespace FaceEval.Core.IO;

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
    /// ".name.guid.tmp" files only). Returns how many were removed. A sub-folder that cannot be read is
    /// passed over (its own files are not this run's to clean), and links to folders are not followed.
    /// </summary>
    public static int RemoveStale(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint, // (not Hidden: these files start with a dot)
            MatchType = MatchType.Simple,
        };
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp", options))
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
