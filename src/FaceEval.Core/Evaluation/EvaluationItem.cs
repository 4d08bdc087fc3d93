namespace FaceEval.Core.Evaluation;

/// <summary>
/// One image of an evaluation as one model saw it: the vector (empty for a failure to enrol), who it shows,
/// and what else is known about it. Every analysis (pairs, searches, subgroups) reads these and nothing else.
/// </summary>
public sealed record EvaluationItem
{
    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>();

    /// <summary>The model that produced <see cref="Vector"/>.</summary>
    public required string Model { get; init; }

    /// <summary>The embedding as returned; empty when the service found no face (a failure to enrol).</summary>
    public required float[] Vector { get; init; }

    /// <summary>The identity label; null when the input carried none.</summary>
    public string? Identity { get; init; }

    /// <summary>How messages and pair lists name the item: the crop file, else the .npy file, else the source image.</summary>
    public required string Label { get; init; }

    /// <summary>The template the image belongs to, when the input says (attribute TemplateId).</summary>
    public string? TemplateId => Attributes.GetValueOrDefault("TemplateId");

    /// <summary>The media item (video, capture session) the image belongs to, when the input says (attribute MediaId).</summary>
    public string? MediaId => Attributes.GetValueOrDefault("MediaId");

    /// <summary>Labels carried by the input (Sex, AgeBand, ConsentRef, TemplateId, ...), by name, case-insensitive; read on first use.</summary>
    public IReadOnlyDictionary<string, string> Attributes => _attributes ??= ReadAttributes?.Invoke() ?? s_none;

    /// <summary>
    /// Reads the labels when an analysis first asks for them: reading every input's properties up front
    /// would cost every run, and most runs never look.
    /// </summary>
    public Func<IReadOnlyDictionary<string, string>>? ReadAttributes { get; init; }

    private IReadOnlyDictionary<string, string>? _attributes;

    /// <summary>The caller's own object for this item, handed back as the target of errors about it.</summary>
    public object? Source { get; init; }

    /// <summary>True when the service returned no embedding for this image.</summary>
    public bool IsFailureToEnrol => Vector.Length == 0;

    public override string ToString() => $"{Model}:{Label}";
}
