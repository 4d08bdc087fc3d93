using System.Numerics.Tensors;

namespace FaceEval.Core.Metrics;

/// <summary>All genuine pairs and a seeded uniform sample of the impostor pairs, for sets too large to score every impostor pair.</summary>
public static class SampledPairScorer
{
    /// <param name="vectors">One vector per item; an empty one is a failure to enrol.</param>
    /// <param name="identities">One label per item.</param>
    /// <param name="impostorSample">How many distinct impostor pairs to draw (without replacement); all of them when there are no more.</param>
    /// <param name="seed">Seed of the draw: the same seed gives the same pairs.</param>
    public static PairScores Score(IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities, long impostorSample, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(impostorSample, 1);
        int n = vectors.Count;
        PairScorer.CommonDimension(vectors);
        long allPairs = (long)n * (n - 1) / 2;
        long genuineTotal = identities.GroupBy(id => id, StringComparer.Ordinal).Sum(g => (long)g.Count() * (g.Count() - 1) / 2);
        long impostorTotal = allPairs - genuineTotal;
        if (impostorSample >= impostorTotal) return PairScorer.ScoreAllPairs(vectors, identities);

        var genuine = new List<float>();
        long genuineFailures = 0, impostorFailures = 0;
        foreach (var group in Enumerable.Range(0, n).GroupBy(i => identities[i], StringComparer.Ordinal))
        {
            var members = group.ToArray();
            for (int a = 0; a < members.Length; a++)
                for (int b = a + 1; b < members.Length; b++)
                {
                    var u = vectors[members[a]];
                    var v = vectors[members[b]];
                    if (u.Length == 0 || v.Length == 0) genuineFailures++;
                    else genuine.Add(TensorPrimitives.Dot(u, v));
                }
        }
        var random = new Random(seed);
        var drawn = new HashSet<long>();
        var impostor = new List<float>((int)Math.Min(impostorSample, int.MaxValue));
        while (drawn.Count < impostorSample)
        {
            int i = random.Next(n), j = random.Next(n);
            if (i == j || string.Equals(identities[i], identities[j], StringComparison.Ordinal)) continue;
            if (i > j) (i, j) = (j, i);
            if (!drawn.Add((long)i * n + j)) continue;
            if (vectors[i].Length == 0 || vectors[j].Length == 0) impostorFailures++;
            else impostor.Add(TensorPrimitives.Dot(vectors[i], vectors[j]));
        }
        return new PairScores(genuine.ToArray(), impostor.ToArray(), genuineFailures, impostorFailures);
    }
}
