using System.Security.Cryptography;

namespace FaceEval.Core.Metrics;

/// <summary>
/// What a refinement pass of the counting path resolves: the key buckets whose exact values an answer
/// depends on (the threshold at a target FAR, the EER crossing, the histogram's bin edges, the nearest ROC
/// point of the InsightFace lookup), and the keys of all genuine scores (one per genuine pair), ascending (for the exact
/// AUC). The same plan must go to every block of a split run.
/// </summary>
public sealed class CountPlan
{
    public CountPlan(int[] buckets, uint[] genuineKeys)
    {
        Buckets = buckets.Distinct().Order().ToArray();
        GenuineKeys = genuineKeys;
        using var sha = SHA256.Create();
        var bytes = new byte[(Buckets.Length + GenuineKeys.Length) * 4];
        Buffer.BlockCopy(Buckets, 0, bytes, 0, Buckets.Length * 4);
        Buffer.BlockCopy(GenuineKeys, 0, bytes, Buckets.Length * 4, GenuineKeys.Length * 4);
        Id = Convert.ToHexString(sha.ComputeHash(bytes))[..16];
    }

    /// <summary>The buckets to resolve, ascending.</summary>
    public int[] Buckets { get; }

    /// <summary>The keys of all genuine scores, ascending (one per genuine pair, ties repeated).</summary>
    public uint[] GenuineKeys { get; }

    /// <summary>A short hash of both: blocks refined for one plan carry the same id.</summary>
    public string Id { get; }
}
