namespace FaceEval.Core.IO;

/// <summary>Writes files so that a reader (or a killed run) never sees a half-written one.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> through a temporary file in the same folder, creating the folder when needed.</summary>
    /// <exception cref="FaceEvalException">
    /// OutputExists, or WriteFailed naming <paramref name="path"/> (never the temporary file) with the reason,
    /// which is also the message of its inner <see cref="IOException"/>.
    /// </exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> data, bool overwrite)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        // RemoveStale recognises this name: ".<file name>.<32 hex digits>.tmp".
        string temp = Path.Combine(dir ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        if (Directory.Exists(full)) throw Failed(path, "it is a folder; give the name of a file");
        if (dir is not null && InTheWay(dir) is { } blocker) throw Failed(path, $"'{blocker}' is a file, so it cannot hold a folder");
        try
        {
            if (dir is not null) Directory.CreateDirectory(dir);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (!overwrite && File.Exists(full))
                throw new FaceEvalException(FaceEvalError.OutputExists, $"The file '{path}' already exists.", path, e);
            throw Failed(path, Reason(e, temp, full));
        }
    }

    /// <summary>Creates <paramref name="folder"/> and its parents.</summary>
    /// <exception cref="FaceEvalException">WriteFailed, saying which part of the path is in the way or why.</exception>
    public static void CreateFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (InTheWay(full) is { } blocker)
            throw Failed(folder, blocker == full ? "it is a file, not a folder" : $"'{blocker}' is a file, so it cannot hold a folder");
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(folder, Reason(e, null, full));
        }
    }

    /// <summary>The file that stands where <paramref name="folder"/> or one of its parents should be, if any: named, rather than the system's "file exists".</summary>
    private static string? InTheWay(string folder)
    {
        for (string? d = folder; d is not null; d = Path.GetDirectoryName(d))
        {
            if (Directory.Exists(d)) return null;
            if (File.Exists(d)) return d;
        }
        return null;
    }

    private static FaceEvalException Failed(string path, string why) =>
        new(FaceEvalError.WriteFailed, $"Cannot write '{path}': {why}.", path, new IOException(why));

    /// <summary>The system's reason, about the user's file: the temporary file's name never shows.</summary>
    private static string Reason(Exception e, string? temp, string full)
    {
        if (e is UnauthorizedAccessException) return "access is denied (the folder is read-only or belongs to someone else)";
        string why = e.Message;
        if (temp is not null) why = why.Replace(temp, full).Replace(Path.GetFileName(temp), Path.GetFileName(full));
        return why.TrimEnd('.', ' ');
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
