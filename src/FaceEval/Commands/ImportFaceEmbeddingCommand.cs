using System.Collections;
using System.Management.Automation;
using FaceEval.Core.IO;
using FaceEval.Core.Service;

namespace FaceEval.PowerShell;

/// <summary>Reads .npy files back into FaceEmbedding objects.</summary>
[Cmdlet(VerbsData.Import, "FaceEmbedding", DefaultParameterSetName = PathSet)]
[OutputType(typeof(FaceEmbedding))]
public sealed class ImportFaceEmbeddingCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NpyFileCompleter))]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>The model the vectors came from; by default read from the folder's manifest.jsonl.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>Identity by file: a hashtable (file name or path → identity) or objects with Path/Name and Identity.</summary>
    [Parameter]
    public PSObject[]? IdentityMap { get; set; }

    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _manifestModels = new(StringComparer.Ordinal);
    private Dictionary<string, string>? _identities;
    private StreamProgress? _progress;
    private readonly Dictionary<string, string?> _manifestOfFolder = new(StringComparer.Ordinal);

    protected override void BeginProcessing()
    {
        if (IdentityMap is null) return;
        _identities = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in IdentityMap)
        {
            if (row.BaseObject is IDictionary dict)
            {
                foreach (DictionaryEntry e in dict) _identities[e.Key.ToString()!] = e.Value?.ToString() ?? "";
                continue;
            }
            string? key = (row.Properties["Path"]?.Value ?? row.Properties["Name"]?.Value ?? row.Properties["File"]?.Value)?.ToString();
            string? id = row.Properties["Identity"]?.Value?.ToString();
            if (key is null || id is null)
                ThrowTerminatingError(ErrorRecords.Argument("InvalidIdentityMap", "-IdentityMap rows need a Path (or Name) and an Identity.", row));
            _identities[key!] = id!;
        }
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        _progress ??= new StreamProgress(this, 1, "Import-FaceEmbedding", "files read");
        foreach (var file in PathInput.Resolve(this, literal ? LiteralPath : Path, literal))
        {
            _progress.Add();
            float[][] rows;
            try
            {
                rows = EmbeddingFile.Read(file);
            }
            catch (FaceEvalException e)
            {
                WriteError(ErrorRecords.From(e, file)); // one error per bad file; the next file is read
                continue;
            }
            string model = Model ?? ModelFromManifest(file) ?? "";
            string identity = IdentityOf(file);
            for (int i = 0; i < rows.Length; i++)
            {
                var embedding = new FaceEmbedding
                {
                    SourcePath = file, Model = model, Vector = rows[i], NpyPath = file, Resumed = true,
                    FaceIndex = rows.Length > 1 ? i : null,
                };
                embedding.Identity = identity;
                WriteObject(embedding);
            }
        }
    }

    protected override void EndProcessing() => _progress?.Complete();

    private string IdentityOf(string file)
    {
        if (_identities is not null)
        {
            foreach (var key in new[] { file, System.IO.Path.GetFileName(file), System.IO.Path.GetFileNameWithoutExtension(file) })
                if (_identities.TryGetValue(key, out var id)) return id;
        }
        return System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)) ?? "";
    }

    /// <summary>The model recorded for this file by the manifest.jsonl of its folder or a parent (Invoke-FaceEmbedding -OutputDirectory).</summary>
    private string? ModelFromManifest(string file)
    {
        string? dir = System.IO.Path.GetDirectoryName(file);
        string? manifest = dir is null ? null : ManifestAbove(dir);
        if (manifest is null) return null;
        if (!_manifestModels.TryGetValue(manifest, out var models))
        {
            models = RunManifest.Read(manifest).Where(r => r.Status == RunManifest.StatusOk && r.Npy is not null)
                .GroupBy(r => r.Npy!).ToDictionary(g => g.Key, g => g.Last().Model);
            _manifestModels[manifest] = models;
        }
        return models.TryGetValue(file, out var model) ? model : null;
    }

    /// <summary>The nearest manifest.jsonl in <paramref name="dir"/> or a parent; looked up once per folder, as thousands of files share a few.</summary>
    private string? ManifestAbove(string dir)
    {
        if (_manifestOfFolder.TryGetValue(dir, out var known)) return known;
        string here = System.IO.Path.Combine(dir, "manifest.jsonl");
        string? parent = System.IO.Path.GetDirectoryName(dir);
        var found = File.Exists(here) ? here : parent is null ? null : ManifestAbove(parent);
        _manifestOfFolder[dir] = found;
        return found;
    }
}
