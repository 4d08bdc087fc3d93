namespace FaceEval.PowerShell;

/// <summary>Embedding files (-Path of Import-FaceEmbedding, references of Compare-FaceEmbedding).</summary>
public sealed class NpyFileCompleter : FileCompleter
{
    public NpyFileCompleter() : base(".npy") { }
}
