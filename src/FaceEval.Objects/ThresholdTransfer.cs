namespace FaceEval;

/// <summary>
/// Whether a threshold chosen on some identities holds its FAR on others: the strict threshold for the
/// target, chosen on one half of the identities, applied to the other half, over several seeded splits.
/// </summary>
public sealed record ThresholdTransfer
{
    public required string Model { get; init; }
    public double TargetFar { get; init; }
    /// <summary>Median over the transfers of (FAR on the unseen half) / target: 1 when the threshold holds; above 1 when it lets more impostors through on new people.</summary>
    public double TransferFarRatio { get; init; }
    /// <summary>Largest (FAR on the unseen half) / target over the transfers.</summary>
    public double TransferFarRatioMax { get; init; }
    /// <summary>Median TAR on the unseen half at the transferred threshold.</summary>
    public double TransferTar { get; init; }
    /// <summary>Transfers measured: two per split (each half to the other), less those a half could not give.</summary>
    public int Transfers { get; init; }
    /// <summary>Seeded splits of the identities into two halves.</summary>
    public int Splits { get; init; }
    public int Seed { get; init; }
}
