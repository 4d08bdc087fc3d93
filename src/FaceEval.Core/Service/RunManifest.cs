using System.Text.Json;
using System.Text.Json.Serialization;
using FaceEval.Core.IO;

namespace FaceEval.Core.Service;

/// <summary>
/// The run manifest: JSON lines, one per item processed, appended (and flushed) as the run goes, so a
/// run that was killed can be started again and finish only what is missing. A half-written last line
/// from a killed run is ignored. Safe to append from several threads.
/// </summary>
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
    private readonly Dictionary<(string Npy, string Model), ManifestRow> _done = new();
    private readonly List<ManifestRow> _rows = new();
    private readonly StreamWriter _writer;

    private RunManifest(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        bool needsNewline = false;
        if (File.Exists(Path))
        {
            string text = File.ReadAllText(Path);
            needsNewline = text.Length > 0 && !text.EndsWith('\n');
            foreach (var line in text.Split('\n'))
            {
                if (line.Trim().Length == 0) continue;
                ManifestRow? row;
                try { row = JsonSerializer.Deserialize<ManifestRow>(line, s_json); }
                catch (JsonException) { continue; } // the torn last line of a killed run
                if (row is null) continue;
                _rows.Add(row);
                if (row.Status == StatusOk && row.Npy is not null) _done[(row.Npy, row.Model)] = row;
            }
        }
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        if (needsNewline) _writer.WriteLine();
    }

    public string Path { get; }

    public static RunManifest Open(string path) => new(path);

    /// <summary>Every row read at open or appended since.</summary>
    public IReadOnlyList<ManifestRow> Rows
    {
        get { lock (_lock) return _rows.ToArray(); }
    }

    /// <summary>True when this model already embedded these very bytes into <paramref name="npy"/>, and the file is intact.</summary>
    public bool IsDone(string npy, string model, string cropSha256)
    {
        ManifestRow? row;
        lock (_lock) _done.TryGetValue((npy, model), out row);
        return row is not null && row.CropSha256 == cropSha256 && NpyFile.IsValidVector(npy, row.Dimension);
    }

    public void Append(ManifestRow row)
    {
        string line = JsonSerializer.Serialize(row, s_json);
        lock (_lock)
        {
            _writer.WriteLine(line);
            _rows.Add(row);
            if (row.Status == StatusOk && row.Npy is not null) _done[(row.Npy, row.Model)] = row;
        }
    }

    public static IReadOnlyList<ManifestRow> Read(string path)
    {
        using var manifest = new RunManifest(path);
        return manifest.Rows;
    }

    public void Dispose() => _writer.Dispose();
}
