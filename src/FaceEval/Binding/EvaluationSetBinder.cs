using System.Globalization;
using System.Management.Automation;
using FaceEval.Core.Evaluation;

namespace FaceEval.PowerShell;

/// <summary>
/// Turns piped objects into the engine's input: FaceEmbedding objects into an <see cref="EvaluationSet"/>
/// (with the labels they carry: Identity, TemplateId, MediaId and every other note such as Sex or
/// ConsentRef), and scored pairs (Score or Similarity, IsMatch or SameIdentity, optional Model and Fold)
/// into <see cref="ScoredPair"/>s. Every cmdlet that measures binds its input here.
/// </summary>
internal sealed class EvaluationSetBinder
{
    private static readonly HashSet<string> s_ownProperties = new(typeof(FaceEmbedding).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

    public EvaluationSet Embeddings { get; } = new();

    public List<ScoredPair> ScoredPairs { get; } = new();

    /// <summary>Binds one piped object.</summary>
    /// <exception cref="ArgumentException">The object is neither an embedding nor a scored pair.</exception>
    /// <exception cref="FormatException">Its score or label cannot be read.</exception>
    /// <exception cref="NotSupportedException">It is a .npy file: every such input would be; the run should stop with the fix.</exception>
    public void Add(PSObject input)
    {
        if (input.BaseObject is FaceEmbedding e)
        {
            // Built by hand ([FaceEval.FaceEmbedding]@{...}), an embedding can lack what the engine relies on.
            if (e.Vector is null)
                throw new ArgumentException($"The FaceEmbedding '{e.ImagePath ?? e.NpyPath ?? e.SourcePath}' has no Vector (an empty one is a failure to enrol; none at all is a mistake).");
            Embeddings.Add(Item(e, input));
            return;
        }
        if (input.BaseObject is FaceEmbeddingSet set)
        {
            // One object for N vectors (Import-FaceEmbedding -Matrix): N items, no PowerShell object each.
            for (int i = 0; i < set.Count; i++)
                Embeddings.Add(new EvaluationItem { Model = set.Model, Vector = set.Vectors[i], Identity = set.Identities[i], Label = set.Labels[i], Source = set });
            return;
        }
        string? file = (input.BaseObject as FileInfo)?.FullName ?? input.BaseObject as string;
        if (file is not null && file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"'{System.IO.Path.GetFileName(file)}' is an embedding file: read the files with Import-FaceEmbedding first (it takes each file's identity from its folder and its model from the run's manifest), for example: Import-FaceEmbedding ./embeddings/eagle/*/*.npy | Measure-FaceVerification");
        var score = Property(input, "Score") ?? Property(input, "Similarity");
        var match = Property(input, "IsMatch") ?? Property(input, "SameIdentity");
        if (score is null || match is null)
            throw new ArgumentException("Pipe FaceEmbedding objects, or scored pairs with Score (or Similarity) and IsMatch (or SameIdentity) properties.");
        float s;
        bool m;
        try
        {
            s = LanguagePrimitives.ConvertTo<float>(score);
            m = match is bool b ? b : Core.Metrics.PairList.ParseMatch(match.ToString()!);
        }
        catch (Exception ex) when (ex is PSInvalidCastException or FaceEvalException)
        {
            throw new FormatException(ex.Message, ex);
        }
        if (!float.IsFinite(s)) throw new FormatException($"The score '{score}' is not a finite number: NaN and infinite scores are errors, not rejections.");
        int? fold = Property(input, "Fold") is { } f ? LanguagePrimitives.ConvertTo<int>(f) : null;
        ScoredPairs.Add(new ScoredPair(Property(input, "Model")?.ToString() ?? "", s, m, fold));
    }

    private static EvaluationItem Item(FaceEmbedding e, PSObject input) => new()
    {
        Model = e.Model ?? "",
        Vector = e.Vector,
        Identity = e.Identity,
        Label = e.ImagePath ?? e.NpyPath ?? e.SourcePath ?? "",
        ReadAttributes = () => Attributes(input),
        Source = input,
    };

    /// <summary>The notes the input carries (labels from a detections CSV, say), as text.</summary>
    private static IReadOnlyDictionary<string, string> Attributes(PSObject input)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in input.Properties.Match("*", PSMemberTypes.NoteProperty))
            if (!s_ownProperties.Contains(property.Name) && Text(property.Value) is { } value) attributes[property.Name] = value;
        return attributes;
    }

    private static object? Property(PSObject input, string name) => input.Properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;

    /// <summary>A label's text: scalars only (a nested object or array is not a label).</summary>
    private static string? Text(object? value) => (value is PSObject p ? p.BaseObject : value) switch
    {
        null => null,
        string s => s,
        IFormattable f when f is not System.Collections.IEnumerable => f.ToString(null, CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => null,
    };
}
