namespace FaceEval.Core.IO;

/// <summary>One file FaceEval wrote (<see cref="OutputLedger"/>).</summary>
public sealed record OutputLedgerEntry
{
    public DateTimeOffset Time { get; init; }
    /// <summary>crop, report, shareable-report, plot or roc.</summary>
    public string? Kind { get; init; }
    /// <summary>Relative to the ledger's folder in the file; absolute once read.</summary>
    public string? Path { get; init; }
    /// <summary>SHA-256 of the file as written (lower-case hex).</summary>
    public string? Sha256 { get; init; }
}
