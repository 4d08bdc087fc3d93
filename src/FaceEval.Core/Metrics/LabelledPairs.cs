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

    /// <summary>
    /// Pairs already scored, sorted here (the arrays are copied). <paramref name="a"/> and
    /// <paramref name="b"/> number the identities 0 … <paramref name="identities"/> − 1; a pair is genuine
    /// when they are equal. A failure to enrol scores -infinity.
    /// </summary>
    /// <exception cref="ArgumentException">Arrays of different lengths, an identity out of range, or a score that is NaN or +infinity.</exception>
    public static LabelledPairs Create(ReadOnlySpan<float> scores, ReadOnlySpan<int> a, ReadOnlySpan<int> b, int identities)
    {
        if (a.Length != scores.Length || b.Length != scores.Length) throw new ArgumentException($"{scores.Length} scores need as many identities on each side ({a.Length}, {b.Length}).", nameof(a));
        for (int p = 0; p < scores.Length; p++)
        {
            if (float.IsNaN(scores[p]) || float.IsPositiveInfinity(scores[p])) throw new ArgumentException($"Pair {p} scores {scores[p]}: a score is a finite number, or -infinity for a failure to enrol.", nameof(scores));
            if ((uint)a[p] >= (uint)identities || (uint)b[p] >= (uint)identities) throw new ArgumentException($"Pair {p} names identity {a[p]} and {b[p]}; identities are numbered 0 to {identities - 1}.", nameof(a));
        }
        var sorted = scores.ToArray();
        var order = new int[sorted.Length];
        for (int p = 0; p < order.Length; p++) order[p] = p;
        Array.Sort(sorted, order);
        var sa = new int[order.Length];
        var sb = new int[order.Length];
        for (int p = 0; p < order.Length; p++) { sa[p] = a[order[p]]; sb[p] = b[order[p]]; }
        return new LabelledPairs(sorted, sa, sb, identities);
    }

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
