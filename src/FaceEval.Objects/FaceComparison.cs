
namespace FaceEval;

/// <summary>One comparison of a reference embedding with a difference (probe) embedding.</summary>
public sealed class FaceComparison
{
    public required string Reference { get; init; }
    public required string Difference { get; init; }
    /// <summary>Cosine similarity of the vectors as returned: their dot product, never re-normalised.</summary>
    public required double Similarity { get; init; }
    public string? Model { get; init; }
    public string? ReferenceIdentity { get; init; }
    public string? DifferenceIdentity { get; init; }
    /// <summary>Whether both sides show the same identity; null when either has no identity.</summary>
    public bool? SameIdentity => ReferenceIdentity is null || DifferenceIdentity is null ? null : ReferenceIdentity == DifferenceIdentity;
    /// <summary>1 for the most similar reference of this difference, 2 for the next, ...</summary>
    public int Rank { get; init; }

    public override string ToString() => $"{Reference} ~ {Difference}: {Similarity:F4}";
}
