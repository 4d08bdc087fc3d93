namespace FaceEval.Core.IO;

/// <summary>
/// Reads input files the safe way: only what a regular file holds, never more than a bound, never
/// blocking. Every file the engine reads on the user's behalf (images, .npy files, manifests, pair lists)
/// goes through here.
/// </summary>
/// <remarks>
/// A path can name something that is not a file of bytes: /dev/zero or /dev/urandom never end (reading
/// them whole takes all memory), a named pipe blocks the reader until someone writes to it, a socket
/// cannot be opened. Such things report a size of 0, so the rule is: follow symbolic links to their
/// final target, take its size first, refuse a size of 0 (empty, or not a regular file) without opening
/// it, and then read at most that many bytes, so a file that grows (or a device that claims a size) is
/// still read to a bound.
/// </remarks>
public static class RegularFile
{
    /// <summary>The largest input file read whole by default: 1 GiB.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>The size of the file at <paramref name="path"/> after following links; throws a per-item error when it cannot be read.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">Names the file in messages, e.g. "image file".</param>
    public static long Size(string path, string what)
    {
        FileSystemInfo info = new FileInfo(path);
        try
        {
            if (info.LinkTarget is not null)
                info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        }
        catch (IOException e)
        {
            throw new FaceEvalException(FaceEvalError.FileUnreadable, $"Cannot read the {what} '{path}': its link cannot be followed ({e.Message}).", path, e);
        }
        if (Directory.Exists(info.FullName))
            throw new FaceEvalException(FaceEvalError.FileUnreadable, $"Cannot read the {what} '{path}': it is a folder.", path);
        if (!info.Exists)
            throw new FaceEvalException(FaceEvalError.FileNotFound, $"Cannot find the {what} '{path}'.", path);
        long length = ((FileInfo)info).Length;
        if (length == 0)
            throw new FaceEvalException(FaceEvalError.EmptyFile,
                $"The {what} '{path}' is empty (0 bytes), or is not a regular file (a device, a pipe or a socket): there is nothing to read.", path);
        return length;
    }

    /// <summary>Reads the whole file, at most <paramref name="maxBytes"/>; I/O failures become per-item errors.</summary>
    public static byte[] ReadAllBytes(string path, string what, long maxBytes = DefaultMaxBytes)
    {
        long length = Size(path, what);
        if (length > maxBytes)
            throw new FaceEvalException(FaceEvalError.FileTooLarge,
                $"The {what} '{path}' is {length:N0} bytes, over the {maxBytes:N0} bytes FaceEval reads whole.", path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var data = new byte[length];
            int read = 0;
            while (read < data.Length)
            {
                int n = stream.Read(data, read, data.Length - read);
                if (n == 0) break;
                read += n;
            }
            if (read < data.Length) Array.Resize(ref data, read); // it shrank while being read
            if (data.Length == 0)
                throw new FaceEvalException(FaceEvalError.EmptyFile, $"The {what} '{path}' is empty (0 bytes).", path);
            return data;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FaceEvalException(FaceEvalError.FileNotFound, $"Cannot find the {what} '{path}'.", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new FaceEvalException(FaceEvalError.FileUnreadable, $"Cannot read the {what} '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>Reads a text file whole (UTF-8), with the same checks and bound.</summary>
    public static string ReadAllText(string path, string what, long maxBytes = DefaultMaxBytes) =>
        System.Text.Encoding.UTF8.GetString(ReadAllBytes(path, what, maxBytes)).TrimStart('\uFEFF');
}
