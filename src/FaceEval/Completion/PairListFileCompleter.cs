namespace FaceEval.PowerShell;

/// <summary>Pair lists: LFW pairs.txt or CSV (-PairList).</summary>
public sealed class PairListFileCompleter : FileCompleter
{
    public PairListFileCompleter() : base(".txt", ".csv") { }
}
