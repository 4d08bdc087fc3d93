using System.Numerics.Tensors;

namespace FaceEval.Core.Metrics;

/// <summary>Scores the pairs of a pair list from embeddings found by key.</summary>
public static class PairListScorer
{
    /// <param name="pairs">The pairs to score.</param>
    /// <param name="lookup">The vector for a key (an empty one for a failure to enrol), or null when the key is unknown.</param>
    /// <param name="excludeFailures">Leave out pairs with a failure to enrol instead of scoring them as rejections.</param>
    public static ScoredPairList Score(IReadOnlyList<PairSpec> pairs, Func<string, float[]?> lookup, bool excludeFailures)
    {
        var genuine = new List<float>();
        var impostor = new List<float>();
        var scores = new List<float>();
        var matches = new List<bool>();
        var folds = new List<int>();
        long genuineFailures = 0, impostorFailures = 0;
        int missing = 0;
        foreach (var p in pairs)
        {
            var a = lookup(p.Reference);
            var b = lookup(p.Difference);
            if (a is null || b is null) { missing++; continue; }
            bool failed = a.Length == 0 || b.Length == 0;
            if (failed && excludeFailures) continue;
            if (!failed && a.Length != b.Length)
                throw new FaceEvalException(FaceEvalError.DimensionMismatch, $"'{p.Reference}' and '{p.Difference}' have {a.Length} and {b.Length} dimensions.", p.Reference);
            // A failure to enrol scores below everything: rejected at every threshold.
            float score = failed ? float.NegativeInfinity : TensorPrimitives.Dot(a, b);
            if (failed) { if (p.IsMatch) genuineFailures++; else impostorFailures++; }
            else (p.IsMatch ? genuine : impostor).Add(score);
            scores.Add(score);
            matches.Add(p.IsMatch);
            if (p.Fold is int f) folds.Add(f);
        }
        var set = ScoreSet.Create(genuine.ToArray(), impostor.ToArray(), genuineFailures, impostorFailures);
        return new ScoredPairList(set, scores.ToArray(), matches.ToArray(), folds.Count == scores.Count && folds.Count > 0 ? folds.ToArray() : null, missing);
    }
}
