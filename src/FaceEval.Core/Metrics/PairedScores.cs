namespace FaceEval.Core.Metrics;

/// <summary>
/// The same pairs scored by several models: one identity on each side of every pair (a pair is genuine
/// when both sides are one identity) and, per model, one score per pair. A model's failure to enrol an
/// item scores each pair of that item -infinity, a rejection at every threshold (as in
/// <see cref="LabelledPairs"/>). What a paired comparison of models, a threshold transfer check and a
/// calibration need. Each model's scores are sorted once, the first time they are needed.
/// </summary>
public sealed class PairedScores
{
    private readonly float[][] _scores;
    private readonly Lazy<LabelledPairs>[] _sorted;
    // The totals of a replicate without a pass over the pairs: genuine pairs per identity, and either the
    // items per identity (all pairs: identities x and y share n(x)·n(y) impostor pairs) or the distinct
    // impostor identity pairs with their multiplicities (a pair list).
    private readonly long[] _genuinePerIdentity;
    private readonly long[]? _itemsPerIdentity;
    private readonly int[] _impostorX = [], _impostorY = [];
    private readonly long[] _impostorPairs = [];

    private PairedScores(string[] models, float[][] scores, int[] a, int[] b, int identities, long[]? itemsPerIdentity)
    {
        Models = models;
        _scores = scores;
        A = a;
        B = b;
        Identities = identities;
        _sorted = new Lazy<LabelledPairs>[models.Length];
        for (int m = 0; m < models.Length; m++)
        {
            int model = m;
            _sorted[m] = new Lazy<LabelledPairs>(() => LabelledPairs.Create(_scores[model], A, B, Identities));
        }
        _genuinePerIdentity = new long[identities];
        for (int p = 0; p < a.Length; p++) if (a[p] == b[p]) { GenuinePairs++; _genuinePerIdentity[a[p]]++; } else ImpostorPairs++;
        _itemsPerIdentity = itemsPerIdentity;
        if (itemsPerIdentity is null)
        {
            var distinct = new Dictionary<long, long>();
            for (int p = 0; p < a.Length; p++)
            {
                if (a[p] == b[p]) continue;
                long key = (long)Math.Min(a[p], b[p]) * identities + Math.Max(a[p], b[p]);
                distinct[key] = distinct.GetValueOrDefault(key) + 1;
            }
            _impostorX = new int[distinct.Count];
            _impostorY = new int[distinct.Count];
            _impostorPairs = new long[distinct.Count];
            int i = 0;
            foreach (var (key, n) in distinct) { _impostorX[i] = (int)(key / identities); _impostorY[i] = (int)(key % identities); _impostorPairs[i++] = n; }
        }
    }

    /// <summary>
    /// The genuine and the impostor weight of all pairs (failures to enrol included) when identity i weighs
    /// counts[i]: Σ c(i) over genuine pairs and Σ c(i)·c(j) over impostor pairs, from per-identity tallies
    /// instead of a pass over the pairs.
    /// </summary>
    internal (double Genuine, double Impostor) Totals(double[] counts)
    {
        double genuine = 0, impostor = 0;
        for (int i = 0; i < counts.Length; i++) genuine += counts[i] * _genuinePerIdentity[i];
        if (_itemsPerIdentity is { } items)
        {
            // Σ over x < y of n(x) c(x) n(y) c(y) = ((Σ n c)² − Σ (n c)²) / 2: integers, exact in a double below 2^53.
            double sum = 0, squares = 0;
            for (int i = 0; i < counts.Length; i++) { double w = items[i] * counts[i]; sum += w; squares += w * w; }
            impostor = (sum * sum - squares) / 2;
        }
        else
            for (int i = 0; i < _impostorPairs.Length; i++) impostor += _impostorPairs[i] * counts[_impostorX[i]] * counts[_impostorY[i]];
        return (genuine, impostor);
    }

    /// <summary>Model names, in the order comparisons are made (model A before model B).</summary>
    public IReadOnlyList<string> Models { get; }
    /// <summary>Distinct identities in the pairs, numbered 0 … Identities − 1.</summary>
    public int Identities { get; }
    public int Pairs => A.Length;
    public long GenuinePairs { get; }
    public long ImpostorPairs { get; }
    /// <summary>Identity of the first side of each pair.</summary>
    internal int[] A { get; }
    /// <summary>Identity of the second side; equal to <see cref="A"/> for a genuine pair.</summary>
    internal int[] B { get; }

    /// <summary>Model <paramref name="model"/>'s score of every pair, in pair order (-infinity: a failure to enrol).</summary>
    public ReadOnlySpan<float> Scores(int model) => _scores[model];

    /// <summary>Pairs model <paramref name="model"/> could not score (a failure to enrol on either side).</summary>
    public long Failures(int model) => _scores[model].Count(float.IsNegativeInfinity);

    /// <summary>Whether pair <paramref name="pair"/> is genuine (both sides one identity).</summary>
    public bool IsGenuine(int pair) => A[pair] == B[pair];

    /// <summary>Model <paramref name="model"/>'s pairs sorted by score, with their identities.</summary>
    internal LabelledPairs Sorted(int model) => _sorted[model].Value;

    /// <summary>
    /// Pairs scored elsewhere (a pair list): per model one score per pair, in the order of
    /// <paramref name="identityA"/> and <paramref name="identityB"/>, which name each pair's identities
    /// (compared ordinally; a pair is genuine when they are equal). -infinity marks a failure to enrol.
    /// </summary>
    /// <exception cref="FaceEvalException">CannotMeasure: no genuine or no impostor pair.</exception>
    /// <exception cref="ArgumentException">No model, a model named twice, lengths that differ, or a score that is NaN or +infinity.</exception>
    public static PairedScores Create(IReadOnlyList<string> models, IReadOnlyList<float[]> scores, IReadOnlyList<string> identityA, IReadOnlyList<string> identityB)
    {
        if (identityA.Count != identityB.Count) throw new ArgumentException($"{identityA.Count} first identities but {identityB.Count} second ones: one of each per pair.", nameof(identityB));
        var labels = new string[2 * identityA.Count];
        for (int p = 0; p < identityA.Count; p++) { labels[2 * p] = identityA[p]; labels[2 * p + 1] = identityB[p]; }
        var index = IdentityIndex.Of(labels, out int identities);
        var a = new int[identityA.Count];
        var b = new int[identityA.Count];
        for (int p = 0; p < a.Length; p++) { a[p] = index[2 * p]; b[p] = index[2 * p + 1]; }
        return Checked(models, scores.Select(s => s.ToArray()).ToArray(), a, b, identities, null);
    }

    /// <summary>
    /// Every pair i &lt; j of the same items embedded by each model: <paramref name="vectors"/>[m][i] is model
    /// m's embedding of item i (empty: a failure to enrol), <paramref name="identities"/>[i] its identity.
    /// A score is the dot product. Pairs are numbered as <see cref="LabelledPairs.AllPairs"/> numbers them,
    /// and so are identities, so the bootstrap draws the same identities as <see cref="Bootstrap"/> for one seed.
    /// </summary>
    /// <exception cref="FaceEvalException">CannotMeasure: too many pairs, no genuine or no impostor pair; DimensionMismatch.</exception>
    public static PairedScores AllPairs(IReadOnlyList<string> models, IReadOnlyList<IReadOnlyList<float[]>> vectors, IReadOnlyList<string> identities)
    {
        if (vectors.Count != models.Count) throw new ArgumentException($"{models.Count} models but {vectors.Count} sets of embeddings: one set per model.", nameof(vectors));
        int n = identities.Count;
        for (int m = 0; m < vectors.Count; m++)
            if (vectors[m].Count != n) throw new ArgumentException($"Model '{models[m]}' has {vectors[m].Count} embeddings for {n} items: every model embeds the same items.", nameof(vectors));
        var label = IdentityIndex.Of(identities, out int distinct);
        long count = (long)n * (n - 1) / 2;
        if (count > Array.MaxLength) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"{count:N0} pairs are too many to compare; use fewer embeddings.");
        var a = new int[count];
        var b = new int[count];
        int p = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++, p++) { a[p] = label[i]; b[p] = label[j]; }
        var scores = new float[vectors.Count][];
        for (int m = 0; m < vectors.Count; m++)
        {
            var v = vectors[m];
            PairScorer.CommonDimension(v);
            var s = scores[m] = new float[count];
            p = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++, p++)
                    s[p] = v[i].Length == 0 || v[j].Length == 0 ? float.NegativeInfinity : System.Numerics.Tensors.TensorPrimitives.Dot(v[i], v[j]);
        }
        var items = new long[distinct];
        foreach (int i in label) items[i]++;
        return Checked(models, scores, a, b, distinct, items);
    }

    /// <summary>Checks the scores and takes the arrays over.</summary>
    private static PairedScores Checked(IReadOnlyList<string> models, float[][] scores, int[] a, int[] b, int identities, long[]? itemsPerIdentity)
    {
        if (models.Count == 0) throw new ArgumentException("No model to compare.", nameof(models));
        var twice = models.GroupBy(m => m, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ArgumentException($"Model '{twice.Key}' is named twice: every model needs its own name.", nameof(models));
        if (scores.Length != models.Count) throw new ArgumentException($"{models.Count} models but {scores.Length} score arrays: one per model.", nameof(scores));
        for (int m = 0; m < scores.Length; m++)
        {
            if (scores[m].Length != a.Length) throw new ArgumentException($"Model '{models[m]}' has {scores[m].Length} scores for {a.Length} pairs: every model scores the same pairs.", nameof(scores));
            foreach (var v in scores[m])
                if (float.IsNaN(v) || float.IsPositiveInfinity(v))
                    throw new ArgumentException($"Model '{models[m]}' has a score of {v}: a score is a finite number, or -infinity for a failure to enrol.", nameof(scores));
        }
        var pairs = new PairedScores(models.ToArray(), scores, a, b, identities, itemsPerIdentity);
        if (pairs.GenuinePairs == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no genuine pairs (two items of one identity): models cannot be compared.");
        if (pairs.ImpostorPairs == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no impostor pairs (items of different identities): models cannot be compared.");
        return pairs;
    }
}
