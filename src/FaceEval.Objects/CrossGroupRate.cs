namespace FaceEval;

/// <summary>
/// The false-match rate between two groups of one attribute at the global threshold: FMR_{d,e} over the
/// impostor pairs with one image in d and one in e (d = e: both in d, the group's own FMR). The cells of
/// NIST's cross-group FMR heat maps (NISTIR 8280).
/// </summary>
public sealed record CrossGroupRate
{
    public required string Model { get; init; }
    public required string Attribute { get; init; }
    public required string GroupA { get; init; }
    public required string GroupB { get; init; }
    /// <summary>Impostor pairs with one image in each group (failures to enrol included when scored as rejections).</summary>
    public long ImpostorPairs { get; init; }
    /// <summary>Of those, the pairs at or above the global threshold.</summary>
    public long FalseMatches { get; init; }
    /// <summary>FalseMatches / ImpostorPairs; NaN (n/e) when there are fewer than 1/GroupFar pairs.</summary>
    public double Fmr { get; init; } = double.NaN;
    public bool Estimable { get; init; }
}
