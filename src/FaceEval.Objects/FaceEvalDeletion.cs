namespace FaceEval;

/// <summary>
/// What Remove-FaceEvalData deleted under one folder: counts by kind, what it left and why, and the deletion
/// record it wrote. No file names: the record shows that data was minimised without repeating it.
/// </summary>
public sealed record FaceEvalDeletion
{
    /// <summary>The folder cleaned.</summary>
    public required string Path { get; init; }
    public DateTimeOffset DeletedAt { get; init; }
    public int Crops { get; init; }
    /// <summary>.npy files listed in run manifests.</summary>
    public int Embeddings { get; init; }
    /// <summary>Run manifests and their lock files.</summary>
    public int Manifests { get; init; }
    /// <summary>HTML reports, private and shareable.</summary>
    public int Reports { get; init; }
    /// <summary>Plot files and ROC CSV files.</summary>
    public int Figures { get; init; }
    /// <summary>FaceEval's own output ledgers (faceeval-outputs.jsonl).</summary>
    public int Ledgers { get; init; }
    /// <summary>Folders left empty by the deletion and removed.</summary>
    public int Folders { get; init; }
    /// <summary>Bytes deleted.</summary>
    public long Bytes { get; init; }
    /// <summary>Files kept because -Keep names their kind.</summary>
    public int Kept { get; init; }
    /// <summary>Files FaceEval wrote that have changed since (another content): no longer FaceEval's, so not deleted.</summary>
    public int Changed { get; init; }
    /// <summary>Files a record names outside the folder: never deleted from here.</summary>
    public int Outside { get; init; }
    /// <summary>Files a record names that were already gone.</summary>
    public int Missing { get; init; }
    /// <summary>Deletions refused by -Confirm or that failed (each failure is also an error).</summary>
    public int NotDeleted { get; init; }
    /// <summary>The deletion record written in the folder (null with -WhatIf).</summary>
    public string? RecordPath { get; init; }
}
