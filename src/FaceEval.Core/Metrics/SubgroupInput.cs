namespace FaceEval.Core.Metrics;

/// <summary>
/// The items whose pairs were scored, in the order they were scored (<see cref="PairScorer.ScoreAllPairs(IReadOnlyList{float[]}, IReadOnlyList{string})"/>),
/// with the attributes to group them by.
/// </summary>
public sealed record SubgroupInput
{
    /// <summary>The identity label of each item.</summary>
    public required IReadOnlyList<string> Identity { get; init; }
    /// <summary>Whether each item has an embedding; one without is a failure to enrol, and its pairs are rejections.</summary>
    public required IReadOnlyList<bool> Enrolled { get; init; }
    /// <summary>The attributes, in the order asked for.</summary>
    public required IReadOnlyList<GroupAttribute> Attributes { get; init; }
}
