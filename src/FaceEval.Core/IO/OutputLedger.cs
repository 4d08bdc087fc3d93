using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceEval.Core.IO;

/// <summary>
/// A folder's record of the files FaceEval wrote into it (crops, reports, plots, ROC files): one JSON line per
/// file with its kind, its path relative to the folder and its SHA-256 when written. Remove-FaceEvalData reads
/// it to delete exactly those files, and only while they still hold what FaceEval wrote. Lines are appended
/// one write at a time, so runs that write into one folder at once do not tear each other's lines.
/// Run manifests (manifest.jsonl) are their own record of embeddings and are not repeated here.
/// </summary>
public sealed class OutputLedger
{
    /// <summary>The ledger's file name, in the folder it records.</summary>
    public const string FileName = "faceeval-outputs.jsonl";

    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly object _gate = new();

    /// <param name="folder">The folder the ledger records (its file is <see cref="FileName"/> in it).</param>
    public OutputLedger(string folder)
    {
        Folder = Path.GetFullPath(folder);
        LedgerPath = Path.Combine(Folder, FileName);
    }

    public string Folder { get; }
    public string LedgerPath { get; }

    /// <summary>Records <paramref name="file"/> (under <see cref="Folder"/>) as written by FaceEval, with its current SHA-256.</summary>
    /// <param name="file">The file just written.</param>
    /// <param name="kind">What it is: crop, report, shareable-report, plot, roc.</param>
    /// <param name="sha256">The SHA-256 of what was written, when the writer has it; read from the file otherwise.</param>
    /// <exception cref="IOException">The ledger cannot be written.</exception>
    public void Record(string file, string kind, string? sha256 = null)
    {
        string full = Path.GetFullPath(file);
        var entry = new OutputLedgerEntry { Time = DateTimeOffset.UtcNow, Kind = kind, Path = Path.GetRelativePath(Folder, full).Replace('\\', '/'), Sha256 = sha256 ?? Sha256Of(full) };
        byte[] line = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, s_json) + "\n");
        lock (_gate)
        {
            Directory.CreateDirectory(Folder);
            using var stream = new FileStream(LedgerPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(line);
        }
    }

    /// <summary>Records <paramref name="file"/> in the ledger of its own folder.</summary>
    public static void RecordInFolderOf(string file, string kind) => new OutputLedger(Path.GetDirectoryName(Path.GetFullPath(file))!).Record(file, kind);

    /// <summary>The entries of a ledger file, with absolute paths, the last entry of each path winning; lines that do not parse are skipped.</summary>
    public static IReadOnlyList<OutputLedgerEntry> Read(string ledgerPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(ledgerPath))!;
        var latest = new Dictionary<string, OutputLedgerEntry>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(ledgerPath))
        {
            if (line.Length == 0) continue;
            OutputLedgerEntry? entry;
            try { entry = JsonSerializer.Deserialize<OutputLedgerEntry>(line, s_json); }
            catch (JsonException) { continue; }
            if (entry?.Path is null || entry.Kind is null) continue;
            string full = Path.GetFullPath(Path.Combine(folder, entry.Path.Replace('/', Path.DirectorySeparatorChar)));
            latest[full] = entry with { Path = full };
        }
        return latest.Values.ToList();
    }

    /// <summary>The SHA-256 of a file, lower-case hex; null when it cannot be read.</summary>
    public static string? Sha256Of(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
