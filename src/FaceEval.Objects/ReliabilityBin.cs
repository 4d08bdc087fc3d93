namespace FaceEval;

/// <summary>
/// One bar of a reliability diagram of calibrated scores: the pairs whose predicted probability of being
/// genuine, at a prior of ½, falls in [<see cref="Low"/>, <see cref="High"/>), what was predicted for them
/// on average and how often they were genuine, with genuine and impostor pairs weighted to the same prior.
/// A well-calibrated system has <see cref="Observed"/> ≈ <see cref="MeanPredicted"/> in every bin.
/// </summary>
public sealed record ReliabilityBin
{
    /// <summary>Lower edge of the predicted probability (inclusive).</summary>
    public double Low { get; init; }
    /// <summary>Upper edge (exclusive; the last bin includes 1).</summary>
    public double High { get; init; }
    /// <summary>Mean predicted probability σ(llr) of the bin's pairs, each genuine pair weighted 1/G and each impostor pair 1/I (G, I: all genuine and impostor pairs evaluated).</summary>
    public double MeanPredicted { get; init; }
    /// <summary>The prior-½ share of genuine pairs in the bin: (g/G) / (g/G + i/I) for its g genuine and i impostor pairs.</summary>
    public double Observed { get; init; }
    public long GenuinePairs { get; init; }
    public long ImpostorPairs { get; init; }
}
