using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using FaceEval.Core.IO;

namespace FaceEval.Core.Service;

/// <summary>
/// The run manifest: JSON lines, one per item processed, appended (and flushed) as the run goes, so a
/// run that was killed can be started again and finish only what is missing. A half-written last line
/// from a killed run is ignored. Safe to append from several threads of one run.
/// </summary>
/// <remarks>
/// <para>Paths are written relative to the manifest's own folder when they lie under it (the .npy files
/// always do), and read back relative to it, so an embeddings folder that is moved, copied or renamed
/// keeps its models and its resume state. Older manifests with absolute paths still read.</para>
/// <para>One run writes a manifest at a time: a writer holds an exclusive lock on "&lt;manifest&gt;.lock"
/// for as long as it is open (the operating system releases it when the process dies, even by kill -9),
/// and a second writer is refused instead of interleaving its lines with the first's. Reading
/// (<see cref="Read"/>) never writes, locks or creates anything.</para>
/// <para>Each saved vector's file hash is recorded, so resuming trusts a .npy only while it still holds
/// the bytes this model wrote; a file rewritten by anything else (another model's run, a copy) is
/// embedded again.</para>
/// </remarks>
public sealed class RunManifest : IDisposable
{
    public const string StatusOk = "ok";
    public const string StatusNoFace = "no_face";
    public const string StatusError = "error";

    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object _lock = new();
    // The latest row for each .npy path (absolute), whatever its model: a later row of another model
    // means the file now holds that model's vector.
    private readonly Dictionary<string, ManifestRow> _latest = new(PathComparer);
    private readonly List<ManifestRow> _rows = new();
    private readonly StreamWriter _writer;
    private readonly FileStream _lockFile;

    private static StringComparer PathComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private RunManifest(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(Folder);
        _lockFile = AcquireLock(Path);
        try
        {
            var (rows, torn) = ReadRows(Path);
            foreach (var row in rows) Remember(row);
            var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            _writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            if (torn) _writer.WriteLine(); // end the torn line, so the next row starts on its own
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }
    }

    /// <summary>The manifest file, absolute.</summary>
    public string Path { get; }

    /// <summary>The folder paths in the manifest are relative to.</summary>
    public string Folder { get; }

    /// <summary>Opens the manifest for a run: reads its rows and holds it for appending.</summary>
    /// <exception cref="FaceEvalException">ManifestUnavailable when another run holds it, or it cannot be opened.</exception>
    public static RunManifest Open(string path) => new(path);

    /// <summary>Every row read at open or appended since, with absolute paths.</summary>
    public IReadOnlyList<ManifestRow> Rows
    {
        get { lock (_lock) return _rows.ToArray(); }
    }

    /// <summary>The models that have saved vectors through this manifest.</summary>
    public IReadOnlyCollection<string> ModelsWithVectors
    {
        get { lock (_lock) return _rows.Where(r => r.Status == StatusOk).Select(r => r.Model).Distinct(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>The dimension of the last vector this model saved, if any.</summary>
    public int? LastDimension(string model)
    {
        lock (_lock) return _rows.LastOrDefault(r => r.Status == StatusOk && r.Model == model && r.Dimension is not null)?.Dimension;
    }

    /// <summary>
    /// True when this model already embedded these very bytes into <paramref name="npy"/>, no later row
    /// gave the file to another model or another crop, and the file still holds what was written.
    /// </summary>
    public bool IsDone(string npy, string model, string cropSha256)
    {
        ManifestRow? row;
        lock (_lock) _latest.TryGetValue(System.IO.Path.GetFullPath(npy), out row);
        if (row is null || row.Status != StatusOk || row.Model != model || row.CropSha256 != cropSha256) return false;
        if (row.NpySha256 is null) return NpyFile.IsValidVector(npy, row.Dimension); // a manifest from before hashes were kept
        return HashOf(npy) == row.NpySha256;
    }

    /// <summary>The SHA-256 of a file, lower-case hex; null when it cannot be read.</summary>
    public static string? HashOf(string path)
    {
        try
        {
            return Convert.ToHexString(SHA256.HashData(RegularFile.ReadAllBytes(path, ".npy file", 1L << 28))).ToLowerInvariant();
        }
        catch (FaceEvalException)
        {
            return null;
        }
    }

    /// <summary>Appends a row (paths absolute; written relative to the manifest when under its folder).</summary>
    /// <exception cref="FaceEvalException">WriteFailed when the line cannot be written (a full disk, say).</exception>
    public void Append(ManifestRow row)
    {
        string line = JsonSerializer.Serialize(row with { Source = Relative(row.Source), Npy = row.Npy is null ? null : Relative(row.Npy) }, s_json);
        lock (_lock)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException e)
            {
                throw new FaceEvalException(FaceEvalError.WriteFailed, $"Cannot write to the run manifest '{Path}': {e.Message}", Path, e);
            }
            Remember(row);
        }
    }

    /// <summary>
    /// Reads a manifest's rows, with paths made absolute against its folder, without writing, locking or
    /// creating anything. A missing manifest has no rows; a torn last line is skipped.
    /// </summary>
    /// <exception cref="FaceEvalException">FileUnreadable (and the like) when it exists but cannot be read.</exception>
    public static IReadOnlyList<ManifestRow> Read(string path) => ReadRows(System.IO.Path.GetFullPath(path)).Rows;

    public void Dispose()
    {
        try { _writer.Dispose(); }
        catch (IOException) { } // the last flush failed (a full disk): the rows before it are saved
        _lockFile.Dispose();
    }

    private void Remember(ManifestRow row)
    {
        _rows.Add(row);
        if (row.Npy is not null && row.Status == StatusOk) _latest[row.Npy] = row;
        else if (row.Npy is not null && _latest.TryGetValue(row.Npy, out var earlier) && earlier.Model != row.Model) _latest.Remove(row.Npy);
    }

    private string Relative(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string relative = System.IO.Path.GetRelativePath(Folder, full);
        bool under = relative != ".." && !relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(relative);
        return under ? relative.Replace(System.IO.Path.DirectorySeparatorChar, '/') : full;
    }

    private static (List<ManifestRow> Rows, bool Torn) ReadRows(string path)
    {
        var rows = new List<ManifestRow>();
        if (!File.Exists(path)) return (rows, false);
        string folder = System.IO.Path.GetDirectoryName(path)!;
        if (new FileInfo(path).Length == 0) return (rows, false); // a new, empty manifest
        string text = RegularFile.ReadAllText(path, "run manifest");
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            ManifestRow? row;
            try { row = JsonSerializer.Deserialize<ManifestRow>(line, s_json); }
            catch (JsonException) { continue; } // the torn last line of a killed run
            if (row is null || row.Source is null || row.Model is null) continue;
            rows.Add(row with { Source = Absolute(folder, row.Source), Npy = row.Npy is null ? null : Absolute(folder, row.Npy) });
        }
        return (rows, text.Length > 0 && !text.EndsWith('\n'));
    }

    private static string Absolute(string folder, string path) =>
        System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(folder, path.Replace('/', System.IO.Path.DirectorySeparatorChar)));

    private static FileStream AcquireLock(string manifest)
    {
        string lockPath = manifest + ".lock";
        try
        {
            // FileShare.None is an exclusive lock (flock on Unix): held until disposed or the process dies.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new FaceEvalException(FaceEvalError.ManifestUnavailable,
                $"Another run is writing the run manifest '{manifest}' (it holds '{lockPath}'). Wait for it to finish, or give this run its own -OutputDirectory; two runs appending to one manifest would lose each other's rows.", manifest, e);
        }
    }
}
