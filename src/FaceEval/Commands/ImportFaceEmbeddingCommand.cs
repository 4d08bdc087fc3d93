using System.Collections;
using System.Management.Automation;
using FaceEval.Core.IO;
using FaceEval.Core.Service;

namespace FaceEval.PowerShell;

/// <summary>Reads .npy files back into FaceEmbedding objects.</summary>
[Cmdlet(VerbsData.Import, "FaceEmbedding", DefaultParameterSetName = PathSet)]
[OutputType(typeof(FaceEmbedding), ParameterSetName = new[] { PathSet, LiteralPathSet })]
[OutputType(typeof(FaceEmbeddingSet), ParameterSetName = new[] { MatrixSet })]
public sealed class ImportFaceEmbeddingCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string MatrixSet = "Matrix";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NpyFileCompleter))]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>One (N, D) .npy matrix: read as one FaceEmbeddingSet (no object per vector), labelled by -LabelPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MatrixSet)]
    [ValidateNotNullOrEmpty]
    public string? Matrix { get; set; }

    /// <summary>A CSV with a header naming an Identity column (and optionally Label), one line per row of -Matrix, in order.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MatrixSet)]
    [ValidateNotNullOrEmpty]
    public string? LabelPath { get; set; }

    /// <summary>The model the vectors came from; by default read from the folder's manifest.jsonl.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public string? Model { get; set; }

    /// <summary>Identity by file: a hashtable (file name or path → identity) or objects with Path/Name and Identity.</summary>
    [Parameter]
    public PSObject[]? IdentityMap { get; set; }

    private readonly ManifestModelIndex _manifests = new();
    private int _withoutModel;
    private string? _firstWithoutModel;
    private Dictionary<string, string>? _identities;
    private StreamProgress? _progress;

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
        if (ParameterSetName == MatrixSet)
        {
            string matrix = PathInput.ResolveOne(this, Matrix!), labels = PathInput.ResolveOne(this, LabelPath!);
            try
            {
                var (rows, identities, names) = Core.IO.EmbeddingMatrix.Read(matrix, labels);
                string? model = Model ?? _manifests.ModelOf(matrix);
                if (model is null) WriteWarning($"'{matrix}' has no recorded model and no -Model was given: its Model is empty.");
                WriteObject(new FaceEmbeddingSet { Model = model ?? "", MatrixPath = matrix, Dimension = rows.Length > 0 ? rows[0].Length : 0, Vectors = rows, Identities = identities, Labels = names });
            }
            catch (FaceEvalException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, matrix));
            }
            return;
        }
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
            string? model = Model;
            if (model is null)
            {
                try
                {
                    model = _manifests.ModelOf(file);
                }
                catch (FaceEvalException e)
                {
                    WriteError(ErrorRecords.From(e, file));
                }
                if (model is null)
                {
                    _withoutModel++;
                    _firstWithoutModel ??= file;
                    model = "";
                }
            }
            string identity = IdentityOf(file);
            // The labels the input carried when it was embedded (Sex, AgeBand, ...), back from the run manifest.
            IReadOnlyDictionary<string, string>? labels = null;
            try
            {
                labels = _manifests.AttributesOf(file);
            }
            catch (FaceEvalException)
            {
                // Already reported when the model was looked up.
            }
            for (int i = 0; i < rows.Length; i++)
            {
                var embedding = new FaceEmbedding
                {
                    SourcePath = file, Model = model, Vector = rows[i], NpyPath = file, Resumed = true,
                    FaceIndex = rows.Length > 1 ? i : null,
                };
                embedding.Identity = identity;
                WriteObject(Labelled(embedding, labels));
            }
        }
    }

    protected override void EndProcessing()
    {
        _progress?.Complete();
        // Files of different models without a manifest would all carry Model '' and be measured as one.
        if (_withoutModel > 0)
            WriteWarning($"{_withoutModel} file(s) have no recorded model (no {ManifestModelIndex.ManifestName} above them records them, for example '{_firstWithoutModel}'), so their Model is empty; " +
                "Measure-FaceVerification would pool them as one model. Give -Model for each folder of one model.");
    }

    private static readonly HashSet<string> s_ownProperties = new(typeof(FaceEmbedding).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    /// <summary>The embedding with the recorded labels as note properties (a label named like one of its own properties is not added).</summary>
    private static object Labelled(FaceEmbedding embedding, IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0) return embedding;
        var wrapped = PSObject.AsPSObject(embedding);
        foreach (var (name, value) in labels)
            if (!s_ownProperties.Contains(name) && wrapped.Properties[name] is null) wrapped.Properties.Add(new PSNoteProperty(name, value));
        return wrapped;
    }

    private string IdentityOf(string file)
    {
        if (_identities is not null)
        {
            foreach (var key in new[] { file, System.IO.Path.GetFileName(file), System.IO.Path.GetFileNameWithoutExtension(file) })
                if (_identities.TryGetValue(key, out var id)) return id;
        }
        return System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)) ?? "";
    }
}
