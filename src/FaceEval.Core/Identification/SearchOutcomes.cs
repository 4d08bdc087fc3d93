namespace FaceEval.Core.Identification;

/// <summary>
/// What the 1:N metrics need of every search of one gallery, kept while the scores stream past (no probe ×
/// gallery matrix is held). Mated searches: the mate's score, how many other gallery entries score at or above
/// it, and the best other entry's score. Non-mated searches: the best score and the <see cref="TopK"/> best
/// scores (for selectivity and FMR; a search whose K-th best is at or above a threshold is rescored exactly).
/// A probe without an embedding has score −∞ everywhere: a missed mated search, a non-alarming non-mated one.
/// Gallery "entries" are identities: with one template per identity the templates, else each identity's best image.
/// </summary>
public sealed class SearchOutcomes
{
    /// <summary>The gallery's entries (identities).</summary>
    public required int GalleryEntries { get; init; }
    /// <summary>Per mated search: the mate's score (−∞ for a failure to enrol).</summary>
    public required float[] MateScore { get; init; }
    /// <summary>Per mated search: other gallery entries scoring at or above the mate (ties against the mate).</summary>
    public required int[] OthersAtOrAbove { get; init; }
    /// <summary>Per mated search: the best score among the other entries (−∞ when there are none or for a failure to enrol).</summary>
    public required float[] BestOther { get; init; }
    /// <summary>Per mated search: its identity, as a number shared with <see cref="NonMatedIdentity"/> (for the bootstrap).</summary>
    public required int[] MatedIdentity { get; init; }
    /// <summary>Per non-mated search: its best score over the gallery (−∞ for a failure to enrol or an empty gallery).</summary>
    public required float[] NonMatedMax { get; init; }
    /// <summary>Per non-mated search: its identity number.</summary>
    public required int[] NonMatedIdentity { get; init; }
    /// <summary>Per non-mated search, <see cref="TopK"/> best scores, highest first, padded with −∞.</summary>
    public required float[] NonMatedTop { get; init; }
    /// <summary>Scores kept per non-mated search.</summary>
    public required int TopK { get; init; }
    /// <summary>Exact counts of entries at or above each threshold for the given non-mated searches (by index), summed; when the kept scores do not suffice.</summary>
    public required Func<IReadOnlyList<int>, IReadOnlyList<float>, long[]> CountAtOrAbove { get; init; }

    /// <summary>The rank of mated search <paramref name="s"/>: 1 + other entries at or above the mate; int.MaxValue for a failure to enrol.</summary>
    public int Rank(int s) => float.IsNegativeInfinity(MateScore[s]) ? int.MaxValue : 1 + OthersAtOrAbove[s];

    public int Mated => MateScore.Length;
    public int NonMated => NonMatedMax.Length;
}
