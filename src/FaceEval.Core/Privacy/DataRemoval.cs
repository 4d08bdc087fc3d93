using System.Text.Json;
using FaceEval.Core.IO;
using FaceEval.Core.Service;

namespace FaceEval.Core.Privacy;

/// <summary>
/// The end of the evaluation window: deletes under one folder exactly the files FaceEval's records name —
/// the crops, reports, plots and ROC files in output ledgers (<see cref="OutputLedger"/>), the .npy files in run
/// manifests, and those records themselves — and nothing else. A file is deleted only while it still holds
/// what FaceEval wrote (its SHA-256 matches the record) and lies inside the folder; a kind the caller keeps is
/// left with the record that names it. Folders the deletion empties are removed; the folder itself stays and
/// receives a deletion record (counts, time, no names).
/// </summary>
public sealed class DataRemoval
{
    /// <summary>Kinds a caller can keep: Report, Figure (plots and ROC files), Crop, Embedding.</summary>
    public static readonly IReadOnlyList<string> KeepableKinds = new[] { "Report", "Figure", "Crop", "Embedding" };

    private readonly List<RemovalCandidate> _candidates = new();
    private readonly List<(string Path, string Kind, IReadOnlyList<RemovalCandidate> Lists)> _records = new();

    private DataRemoval(string root) => Root = Path.GetFullPath(root);

    /// <summary>The folder cleaned, absolute.</summary>
    public string Root { get; }

    /// <summary>Every file the records name, with what will happen to it.</summary>
    public IReadOnlyList<RemovalCandidate> Candidates => _candidates;

    /// <summary>Finds the records under <paramref name="root"/> and decides for each file they name.</summary>
    /// <param name="root">The folder an evaluation wrote into.</param>
    /// <param name="keep">Kinds to keep (<see cref="KeepableKinds"/>).</param>
    /// <exception cref="FaceEvalException">FileNotFound: the folder does not exist.</exception>
    public static DataRemoval Plan(string root, IEnumerable<string>? keep = null)
    {
        var removal = new DataRemoval(root);
        if (!Directory.Exists(removal.Root))
            throw new FaceEvalException(FaceEvalError.FileNotFound, $"The folder '{root}' does not exist: give the folder an evaluation wrote into (its crops, embeddings and reports).", root);
        var kept = new HashSet<string>(keep ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(removal.Root, "*.jsonl", options).Order(StringComparer.Ordinal))
        {
            var listed = new List<RemovalCandidate>();
            string kind;
            if (Path.GetFileName(file) == OutputLedger.FileName)
            {
                kind = "Ledger";
                foreach (var entry in OutputLedger.Read(file))
                    listed.Add(removal.Decide(entry.Path!, KindOf(entry.Kind!), entry.Sha256, kept));
            }
            else if (ManifestRows(file) is { } rows)
            {
                kind = "Manifest";
                foreach (var row in rows.Where(r => r.Npy is not null && r.NpySha256 is not null).GroupBy(r => r.Npy!).Select(g => g.Last()))
                    listed.Add(removal.Decide(row.Npy!, "Embedding", row.NpySha256, kept));
            }
            else continue; // a .jsonl of the user's
            foreach (var c in listed) if (seen.Add(c.Path)) removal._candidates.Add(c);
            removal._records.Add((file, kind, listed));
        }
        return removal;
    }

    /// <summary>
    /// Deletes: first the files, then each record whose files are all gone (a record that names a kept file
    /// stays), a manifest's lock file with it, then the folders left empty. <paramref name="approve"/> is asked
    /// before each deletion (ShouldProcess); <paramref name="failed"/> hears of each that fails.
    /// </summary>
    public FaceEvalDeletion Execute(Func<string, string, bool> approve, Action<string, Exception> failed, bool writeRecord = true)
    {
        var deleted = new Dictionary<string, int>(StringComparer.Ordinal);
        var folders = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        int refused = 0;
        bool Delete(string path, string kind)
        {
            if (!approve(path, kind)) { refused++; return false; }
            try
            {
                long size = new FileInfo(path).Length;
                File.Delete(path);
                bytes += size;
                deleted[kind] = deleted.GetValueOrDefault(kind) + 1;
                folders.Add(Path.GetDirectoryName(path)!);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                refused++;
                failed(path, e);
                return false;
            }
        }
        var gone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in _candidates.Where(c => c.Action == RemovalAction.Delete))
            if (Delete(c.Path, c.Kind)) gone.Add(c.Path);
        foreach (var (record, kind, lists) in _records)
        {
            // A record stays while it names a file still there for a reason (kept, or refused); changed and
            // outside files are no longer FaceEval's to look after.
            if (lists.Any(c => c.Action == RemovalAction.Keep || (c.Action == RemovalAction.Delete && !gone.Contains(c.Path)))) continue;
            if (Delete(record, kind) && kind == "Manifest" && File.Exists(record + ".lock")) Delete(record + ".lock", kind);
        }
        int removedFolders = RemoveEmptyFolders(folders);
        var counts = _candidates.GroupBy(c => c.Action).ToDictionary(g => g.Key, g => g.Count());
        var result = new FaceEvalDeletion
        {
            Path = Root, DeletedAt = DateTimeOffset.UtcNow,
            Crops = deleted.GetValueOrDefault("Crop"), Embeddings = deleted.GetValueOrDefault("Embedding"), Manifests = deleted.GetValueOrDefault("Manifest"),
            Reports = deleted.GetValueOrDefault("Report"), Figures = deleted.GetValueOrDefault("Figure"), Ledgers = deleted.GetValueOrDefault("Ledger"),
            Folders = removedFolders, Bytes = bytes,
            Kept = counts.GetValueOrDefault(RemovalAction.Keep), Changed = counts.GetValueOrDefault(RemovalAction.SkipChanged),
            Outside = counts.GetValueOrDefault(RemovalAction.SkipOutside), Missing = counts.GetValueOrDefault(RemovalAction.Missing), NotDeleted = refused,
        };
        return writeRecord ? result with { RecordPath = WriteRecord(result) } : result;
    }

    /// <summary>The deletion record: counts and time, no file names, in the cleaned folder.</summary>
    private string WriteRecord(FaceEvalDeletion d)
    {
        string path = Path.Combine(Root, $"faceeval-deletion-{d.DeletedAt:yyyyMMdd'T'HHmmss'Z'}.json");
        var record = new
        {
            record = "FaceEval deletion record",
            deleted_at = d.DeletedAt,
            faceeval_version = typeof(DataRemoval).Assembly.GetName().Version?.ToString(3),
            deleted = new { crops = d.Crops, embeddings = d.Embeddings, manifests = d.Manifests, reports = d.Reports, figures = d.Figures, ledgers = d.Ledgers, folders = d.Folders, bytes = d.Bytes },
            left = new { kept = d.Kept, changed_since_written = d.Changed, outside_the_folder = d.Outside, already_missing = d.Missing, not_deleted = d.NotDeleted },
            note = "Files were deleted only where FaceEval's own records (output ledgers, run manifests) named them and they still held what FaceEval wrote. This record names no file and holds no face data.",
        };
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(record, new JsonSerializerOptions { WriteIndented = true }), overwrite: true);
        return path;
    }

    /// <summary>Removes the given folders when empty, and their parents up to (not including) the root.</summary>
    private int RemoveEmptyFolders(IEnumerable<string> folders)
    {
        int removed = 0;
        foreach (var start in folders.OrderByDescending(f => f.Length))
            for (string? dir = start; dir is not null && dir.Length > Root.Length && Inside(dir); dir = Path.GetDirectoryName(dir))
            {
                try
                {
                    if (!Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).Any()) break;
                    Directory.Delete(dir);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { break; }
            }
        return removed;
    }

    private RemovalCandidate Decide(string path, string kind, string? sha256, HashSet<string> keep)
    {
        string full = Path.GetFullPath(path);
        RemovalAction action =
            !Inside(full) ? RemovalAction.SkipOutside
            : !File.Exists(full) ? RemovalAction.Missing
            : sha256 is null || OutputLedger.Sha256Of(full) != sha256 ? RemovalAction.SkipChanged
            : keep.Contains(kind) ? RemovalAction.Keep
            : RemovalAction.Delete;
        return new RemovalCandidate(full, kind, action);
    }

    private bool Inside(string full)
    {
        string relative = Path.GetRelativePath(Root, full);
        return relative != "." && relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static string KindOf(string ledgerKind) => ledgerKind switch
    {
        "crop" => "Crop",
        "report" or "shareable-report" => "Report",
        "plot" or "roc" => "Figure",
        _ => "Figure",
    };

    /// <summary>The rows of a run manifest, or null when the file is not one (a .jsonl of the user's).</summary>
    private static IReadOnlyList<ManifestRow>? ManifestRows(string file)
    {
        try
        {
            var rows = RunManifest.Read(file);
            int lines = File.ReadLines(file).Count(l => l.Trim().Length > 0);
            // Every complete line is a manifest row (a killed run may leave one torn last line).
            return rows.Count > 0 && rows.Count >= lines - 1 ? rows : null;
        }
        catch (Exception e) when (e is FaceEvalException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
