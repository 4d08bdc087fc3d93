using System.Numerics;

namespace FaceEval.Core.Metrics;

/// <summary>
/// What the counting path (<see cref="CountingPairScorer"/>) keeps of the scores of all pairs, or of one
/// block of them, in memory that does not grow with the number of pairs:
/// <list type="bullet">
/// <item>every genuine score exactly (genuine pairs grow with the images per identity, not with the square of the set);</item>
/// <item>impostor scores counted per bucket of their order-preserving key (<see cref="ScoreKey"/>: 2^20 buckets);</item>
/// <item>the impostor sum and sum of squares exactly (per float exponent, in integers), so mean and
/// standard deviation do not depend on the order pairs were scored in, nor on how the pairs were split;</item>
/// <item>after a refinement pass for a <see cref="CountPlan"/>: exact counts of every float value in the plan's
/// buckets, and the within-bucket part of the Mann-Whitney sum for AUC.</item>
/// </list>
/// Counts of blocks of the same pairs add up (<see cref="Merge"/>) to the counts of all of them.
/// </summary>
public sealed class PairCounts
{
    /// <summary>Items (embeddings, failures to enrol included) of the set the pairs come from.</summary>
    public int Items { get; set; }

    /// <summary>Which block of the pair space (1-based) these counts are; 1 of 1 for all pairs.</summary>
    public int BlockIndex { get; set; } = 1;

    /// <summary>How many blocks the pair space was split into.</summary>
    public int BlockCount { get; set; } = 1;

    /// <summary>The genuine scores, in the order they were scored (not sorted).</summary>
    public float[] Genuine { get; set; } = Array.Empty<float>();

    /// <summary>
    /// The impostor scores themselves, when pass 1 was asked to keep them (one process, at most
    /// <see cref="CountingPairScorer.KeptScoreLimit"/>), in row order (i, then j); null otherwise. Refinement
    /// and k-fold read them instead of scoring again. Never saved, never merged.
    /// </summary>
    public float[]? ImpostorScores { get; set; }

    /// <summary>Impostor scores per key bucket (<see cref="ScoreKey.Buckets"/> entries).</summary>
    public long[] Impostor { get; set; } = new long[ScoreKey.Buckets];

    public long GenuineFailures { get; set; }
    public long ImpostorFailures { get; set; }

    /// <summary>Per float exponent (0..255): the sum of the impostor scores' signed 24-bit significands.</summary>
    public long[] ExponentSum { get; set; } = new long[256];

    /// <summary>Per float exponent: the sum of the squared significands.</summary>
    public Int128[] ExponentSquares { get; set; } = new Int128[256];

    /// <summary>The lowest and highest impostor key (uint.MaxValue and 0 when there is no impostor score).</summary>
    public uint MinKey { get; set; } = uint.MaxValue;
    public uint MaxKey { get; set; }

    /// <summary>The plan the refinement below was made for; null before any refinement.</summary>
    public CountPlan? Plan { get; set; }

    /// <summary>Per bucket of the plan, in its order, <see cref="ScoreKey.SubBuckets"/> exact counts.</summary>
    public long[] Sub { get; set; } = Array.Empty<long>();

    /// <summary>
    /// Twice the within-bucket Mann-Whitney sum: over every impostor score and every genuine value of the
    /// plan in the same bucket, 2 when the genuine is higher and 1 when equal.
    /// </summary>
    public long AucWithinTwice { get; set; }

    public long ImpostorScored => Impostor.Sum();

    /// <summary>
    /// The counts of all the blocks together (genuine scores in block order). The blocks must be of one split
    /// and refined for one plan (or none); the caller checks that they come from one set.
    /// </summary>
    public static PairCounts Merge(IReadOnlyList<PairCounts> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to merge.", nameof(parts));
        var ordered = parts.OrderBy(p => p.BlockIndex).ToList();
        var first = ordered[0];
        var merged = new PairCounts
        {
            Items = first.Items, BlockIndex = 1, BlockCount = 1, Plan = first.Plan,
            Genuine = ordered.SelectMany(p => p.Genuine).ToArray(),
            Sub = first.Plan is null ? Array.Empty<long>() : new long[first.Sub.Length],
        };
        foreach (var p in ordered)
        {
            if (!Equals(p.Plan?.Id, first.Plan?.Id)) throw new ArgumentException("The blocks were refined for different plans.", nameof(parts));
            for (int b = 0; b < ScoreKey.Buckets; b++) merged.Impostor[b] += p.Impostor[b];
            for (int e = 0; e < 256; e++) { merged.ExponentSum[e] += p.ExponentSum[e]; merged.ExponentSquares[e] += p.ExponentSquares[e]; }
            for (int k = 0; k < merged.Sub.Length; k++) merged.Sub[k] += p.Sub[k];
            merged.GenuineFailures += p.GenuineFailures;
            merged.ImpostorFailures += p.ImpostorFailures;
            merged.MinKey = Math.Min(merged.MinKey, p.MinKey);
            merged.MaxKey = Math.Max(merged.MaxKey, p.MaxKey);
            merged.AucWithinTwice += p.AucWithinTwice;
        }
        return merged;
    }

    /// <summary>Counts of scores given as lists (pairs scored elsewhere), as pass 1 would count them.</summary>
    public static PairCounts FromScores(ReadOnlySpan<float> genuine, ReadOnlySpan<float> impostor, long genuineFailures = 0, long impostorFailures = 0)
    {
        var c = new PairCounts { Genuine = genuine.ToArray(), GenuineFailures = genuineFailures, ImpostorFailures = impostorFailures };
        foreach (var v in impostor) c.AddImpostor(v);
        return c;
    }

    /// <summary>Counts one impostor score (the sequential form of pass 1).</summary>
    internal void AddImpostor(float score)
    {
        uint key = ScoreKey.Of(score);
        Impostor[key >> ScoreKey.SubBits]++;
        MinKey = Math.Min(MinKey, key);
        MaxKey = Math.Max(MaxKey, key);
        uint bits = BitConverter.SingleToUInt32Bits(score);
        int e = (int)((bits >> 23) & 0xFF);
        long m = (long)((bits & 0x7F_FFFFu) | (e != 0 ? 0x80_0000u : 0u));
        ExponentSum[e] += (bits & 0x8000_0000u) != 0 ? -m : m;
        ExponentSquares[e] += m * m;
    }

    /// <summary>Refines counts made by <see cref="FromScores"/> for <paramref name="plan"/>, from the same impostor scores (pass 2 without scoring).</summary>
    public void RefineFromScores(ReadOnlyMemory<float> impostor, CountPlan plan) => new BucketRefiner(plan).RefineFrom(this, impostor);

    /// <summary>Mean and population standard deviation of the impostor scores, from the exact sums (NaN when there are none).</summary>
    public MeanStd ImpostorMeanStd()
    {
        long n = ImpostorScored;
        if (n == 0) return (double.NaN, double.NaN);
        // A float with exponent field e and significand m is m · 2^(max(e, 1) − 150): sums scaled by 2^149 and
        // squares by 2^298 are integers.
        BigInteger sum = BigInteger.Zero, squares = BigInteger.Zero;
        for (int e = 0; e < 256; e++)
        {
            int shift = Math.Max(e, 1) - 1;
            if (ExponentSum[e] != 0) sum += new BigInteger(ExponentSum[e]) << shift;
            if (ExponentSquares[e] != 0) squares += (BigInteger)ExponentSquares[e] << (2 * shift);
        }
        double mean = Math.ScaleB((double)sum, -149) / n;
        var spread = n * squares - sum * sum; // n² · variance, scaled by 2^298
        double variance = Math.ScaleB((double)spread, -298) / n / n;
        return (mean, Math.Sqrt(Math.Max(0, variance)));
    }
}
