namespace FaceEval.Core.Metrics;

/// <summary>
/// Every pair of a labelled set, sorted by score, with the identities of its two sides: what a bootstrap
/// over identities needs. Pairs with a failure to enrol score -infinity (rejected at every threshold).
/// </summary>
public sealed class LabelledPairs
{
    private LabelledPairs(float[] scores, int[] a, int[] b, int identities)
    {
        Scores = scores; A = a; B = b; Identities = identities;
    }

    /// <summary>Scores, ascending.</summary>
    public float[] Scores { get; }
    /// <summary>Identity index of the first side of each pair.</summary>
    public int[] A { get; }
    /// <summary>Identity index of the second side; equal to <see cref="A"/> for a genuine pair.</summary>
    public int[] B { get; }
    public int Identities { get; }

    /// <summary>All pairs i &lt; j; an empty vector is a failure to enrol.</summary>
    public static LabelledPairs AllPairs(IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities)
    {
        PairScorer.CommonDimension(vectors);
        var label = IdentityIndex.Of(identities, out int distinct);
        int n = vectors.Count;
        long count = (long)n * (n - 1) / 2;
        if (count > Array.MaxLength) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"{count:N0} pairs are too many to bootstrap; use fewer embeddings.");
        var scores = new float[count];
        var a = new int[count];
        var b = new int[count];
        long p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++, p++)
            {
                scores[p] = vectors[i].Length == 0 || vectors[j].Length == 0
                    ? float.NegativeInfinity
                    : System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
                a[p] = label[i];
                b[p] = label[j];
            }
        var order = Enumerable.Range(0, (int)count).ToArray();
        Array.Sort(scores, order);
        return new LabelledPairs(scores, order.Select(k => a[k]).ToArray(), order.Select(k => b[k]).ToArray(), distinct);
    }
}
