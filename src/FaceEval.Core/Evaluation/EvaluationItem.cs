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

    /// <summary>The template the image belongs to, when the input says (property TemplateId).</summary>
    public string? TemplateId { get; init; }

    /// <summary>The media item (video, capture session) the image belongs to, when the input says (property MediaId).</summary>
    public string? MediaId { get; init; }

    /// <summary>Labels carried by the input (Sex, AgeBand, ConsentRef, ...), by name, case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = s_none;

    /// <summary>The caller's own object for this item, handed back as the target of errors about it.</summary>
    public object? Source { get; init; }

    /// <summary>True when the service returned no embedding for this image.</summary>
    public bool IsFailureToEnrol => Vector.Length == 0;

    public override string ToString() => $"{Model}:{Label}";
}
