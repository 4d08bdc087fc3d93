using System.Globalization;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// Compares the models of an evaluation set pair for pair (<see cref="PairedBootstrap"/>): every model's
/// items are screened as <see cref="VerificationRun"/> screens them, then only the items that every model
/// has are kept (matched by identity and file name without folder or extension, as VerificationRun matches
/// them), so that every model scores exactly the same pairs. What is left out is one warning naming, per
/// model, what it lost.
/// </summary>
public sealed class ComparisonRun
{
    private readonly IEvaluationObserver? _observer;

    public ComparisonRun(IEvaluationObserver? observer = null) => _observer = observer;

    /// <summary>Target FARs (strict rule), each in (0, 1].</summary>
    public IReadOnlyList<double> FarTargets { get; init; } = new[] { 1e-2, 1e-3, 1e-4 };
    /// <summary>Bootstrap replicates, at least 2.</summary>
    public int BootstrapCount { get; init; } = 1000;
    public int Seed { get; init; }
    public double ConfidenceLevel { get; init; } = 0.95;
    /// <summary>How the intervals and p are made (<see cref="PairedBootstrap.Compare"/>); Wilson by default, as Measure-FaceVerification.</summary>
    public IntervalMethod IntervalMethod { get; init; } = VerificationOptions.DefaultIntervalMethod;
    /// <summary>Reject: a model's failure to enrol rejects that model's pairs of the item. Exclude: an item any model failed to enrol is left out for every model.</summary>
    public FailureToEnrolHandling FailureToEnrol { get; init; } = FailureToEnrolHandling.Reject;

    /// <summary>When set, only the pairs of this pair list (<see cref="PairList"/>), found among the common items by file, file name or stem.</summary>
    public string? PairListPath { get; init; }

    /// <summary>When above 0: every genuine pair and this many impostor pairs, drawn uniformly without replacement with <see cref="Seed"/>, the same pairs for every model.</summary>
    public long ImpostorSample { get; init; }

    /// <summary>
    /// The comparisons, ordered by pair of models (in ordinal model order), then metric (TAR before EER), then
    /// target in the order given.
    /// </summary>
    /// <exception cref="FaceEvalException">CannotMeasure: fewer than two models, a model that cannot be measured, or no common pairs; NoInput: no embeddings.</exception>
    /// <exception cref="OperationCanceledException">The bootstrap was cancelled.</exception>
    public IReadOnlyList<ModelComparison> Run(EvaluationSet embeddings, CancellationToken cancellation = default)
    {
        if (embeddings.Count == 0) throw new FaceEvalException(FaceEvalError.NoInput, "Nothing to compare: no embeddings came in. Pipe FaceEmbedding objects of at least two models, for example from Import-FaceEmbedding.");
        var models = embeddings.Models;
        if (models.Count < 2)
            throw new FaceEvalException(FaceEvalError.CannotMeasure,
                $"A comparison needs embeddings of at least two models, but all {embeddings.Count:N0} are of model '{models[0]}'. " +
                "Pipe the embeddings of every model to compare, for example: Get-ChildItem ./out/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Compare-FaceModel", models[0]);

        var screener = new VerificationRun(new VerificationOptions(), _observer);
        var screened = models.Select(m => screener.Screen(m, embeddings.Items(m), needIdentity: true)).ToList();
        var (items, identities) = Common(models, screened);
        int n = identities.Count;
        if (n < 2) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"The models have {n} item(s) in common (matched by identity and file name), and a comparison needs pairs of the same items.");

        var vectors = items.Select(list => (IReadOnlyList<float[]>)list.Select(i => i.Vector).ToArray()).ToList();
        PairedScores pairs;
        try
        {
            pairs = PairListPath is not null ? FromPairList(models, vectors, items, identities)
                : ImpostorSample > 0 ? Sampled(models, vectors, identities)
                : PairedScores.AllPairs(models, vectors, identities);
        }
        catch (FaceEvalException e) when (e.Error == FaceEvalError.DimensionMismatch)
        {
            throw new FaceEvalException(FaceEvalError.CannotMeasure, e.Message, null, e);
        }
        var unmeasurable = FarTargets.Where(t => pairs.ImpostorPairs < Math.Ceiling(1 / t)).ToList();
        if (unmeasurable.Count > 0)
            _observer?.Warning($"{pairs.ImpostorPairs:N0} impostor pairs cannot measure FAR {string.Join(", ", unmeasurable.Select(Far))}: FAR {Far(unmeasurable[0])} needs at least {Math.Ceiling(1 / unmeasurable[0]):N0}. " +
                "The TAR there is that of a threshold above every impostor score, so compare those rows with care.");

        const string activity = "Comparing models";
        int total = BootstrapCount, step = Math.Max(1, total / 1000);
        _observer?.Progress(activity, $"Bootstrap: {total:N0} replicates over {pairs.Identities:N0} identities, {pairs.Pairs:N0} pairs", percent: 0);
        var result = PairedBootstrap.Compare(pairs, FarTargets, total, Seed, ConfidenceLevel,
            done => { if (done % step == 0 || done == total) _observer?.Progress(activity, $"Bootstrap: {done:N0} of {total:N0} replicates", percent: (int)(100L * done / total)); },
            cancellation, IntervalMethod);
        _observer?.Progress(activity, "Done", completed: true);

        // The engine gives every pair of models per metric and target; the output reads one pair of models at a time.
        var order = new Dictionary<(string, string), int>();
        foreach (var c in result.Comparisons) order.TryAdd((c.ModelA, c.ModelB), order.Count);
        return result.Comparisons.Select((c, k) => (c, k)).OrderBy(x => order[(x.c.ModelA, x.c.ModelB)]).ThenBy(x => x.k).Select(x => x.c).ToList();
    }

    /// <summary>
    /// The pairs of the pair list among the common items, scored by every model. A key names an item by any
    /// model's label, file name or stem (the first item of a key wins, as Measure-FaceVerification finds them); a pair
    /// whose image is missing is left out, with one warning. The identities decide which pairs are genuine (the
    /// bootstrap draws identities); a pair whose same/different flag disagrees with them is one warning.
    /// </summary>
    private PairedScores FromPairList(IReadOnlyList<string> models, List<IReadOnlyList<float[]>> vectors, List<List<EvaluationItem>> items, List<string> identities)
    {
        var specs = PairList.Read(PairListPath!);
        // Item i of every model is one image, so any model's name for it finds it (one model's path, another's, or the shared stem).
        var byKey = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in items)
            for (int i = 0; i < list.Count; i++)
                foreach (var key in new[] { list[i].Label, Path.GetFileName(list[i].Label), Path.GetFileNameWithoutExtension(list[i].Label) })
                    byKey.TryAdd(key, i);
        var chosen = new List<(int A, int B)>();
        int missing = 0, disagree = 0;
        foreach (var spec in specs)
        {
            if (!byKey.TryGetValue(spec.Reference, out int a) || !byKey.TryGetValue(spec.Difference, out int b)) { missing++; continue; }
            if ((identities[a] == identities[b]) != spec.IsMatch) disagree++;
            chosen.Add((a, b));
        }
        if (missing > 0)
            _observer?.Warning($"{missing:N0} of {specs.Count:N0} pairs of the pair list {Path.GetFileName(PairListPath)} name images that not every model has; they were left out.");
        if (disagree > 0)
            _observer?.Warning($"{disagree:N0} pairs of the pair list {Path.GetFileName(PairListPath)} say same/different against the identities of their images; the comparison goes by the identities (its bootstrap draws identities).");
        return Scored(models, vectors, identities, chosen);
    }

    /// <summary>Every genuine pair and <see cref="ImpostorSample"/> impostor pairs drawn uniformly without replacement (all when there are no more), seeded.</summary>
    private PairedScores Sampled(IReadOnlyList<string> models, List<IReadOnlyList<float[]>> vectors, List<string> identities)
    {
        int n = identities.Count;
        var chosen = new List<(int A, int B)>();
        long impostors = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (identities[i] == identities[j]) chosen.Add((i, j)); else impostors++;
        if (ImpostorSample >= impostors)
        {
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (identities[i] != identities[j]) chosen.Add((i, j));
        }
        else
        {
            // Rejection sampling of unordered impostor pairs: uniform, and quick while the sample is a small share.
            var random = new Random(Seed);
            var taken = new HashSet<long>();
            while (taken.Count < ImpostorSample)
            {
                int i = random.Next(n), j = random.Next(n);
                if (i == j || identities[i] == identities[j]) continue;
                if (i > j) (i, j) = (j, i);
                if (taken.Add((long)i * n + j)) chosen.Add((i, j));
            }
        }
        return Scored(models, vectors, identities, chosen);
    }

    /// <summary>The chosen pairs scored by every model (dot products; -infinity where a side failed to enrol).</summary>
    private static PairedScores Scored(IReadOnlyList<string> models, List<IReadOnlyList<float[]>> vectors, List<string> identities, List<(int A, int B)> chosen)
    {
        var scores = new List<float[]>();
        foreach (var v in vectors)
        {
            PairScorer.CommonDimension(v);
            scores.Add(chosen.Select(p => v[p.A].Length == 0 || v[p.B].Length == 0 ? float.NegativeInfinity : System.Numerics.Tensors.TensorPrimitives.Dot(v[p.A], v[p.B])).ToArray());
        }
        return PairedScores.Create(models, scores, chosen.Select(p => identities[p.A]).ToArray(), chosen.Select(p => identities[p.B]).ToArray());
    }

    private static string Far(double t) => t.ToString("0.#####e0", CultureInfo.InvariantCulture);

    /// <summary>The key that matches one image across models: identity and file stem (eagle/s1/1_0.npy and dingo/s1/1_0.npy are one image).</summary>
    internal static string Key(EvaluationItem item) => $"{item.Identity}/{Path.GetFileNameWithoutExtension(item.Label)}";

    /// <summary>
    /// Per model the items every model has, aligned (item i of each model is the same image), in ordinal key
    /// order so the input order does not change the pairs or the draws; and their identities. An image a
    /// model has k times and another j times is kept min(k, j) times. Warns once with what each model lost.
    /// </summary>
    private (List<List<EvaluationItem>> Items, List<string> Identities) Common(IReadOnlyList<string> models, List<List<EvaluationItem>> screened)
    {
        var byKey = screened.Select(items => items.GroupBy(Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal)).ToList();
        var keys = byKey.SelectMany(d => d.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var kept = models.Select(_ => new List<EvaluationItem>()).ToList();
        var identities = new List<string>();
        var lost = models.Select(_ => new List<string>()).ToList();
        int failedElsewhere = 0;
        foreach (var key in keys)
        {
            int common = byKey.Min(d => d.TryGetValue(key, out var l) ? l.Count : 0);
            for (int k = 0; k < common; k++)
            {
                if (FailureToEnrol == FailureToEnrolHandling.Exclude && byKey.Any(d => d[key][k].IsFailureToEnrol)) { failedElsewhere++; continue; }
                for (int m = 0; m < models.Count; m++) kept[m].Add(byKey[m][key][k]);
                identities.Add(byKey[0][key][k].Identity!);
            }
            for (int m = 0; m < models.Count; m++)
            {
                int extra = (byKey[m].TryGetValue(key, out var l) ? l.Count : 0) - common;
                for (int k = 0; k < extra; k++) lost[m].Add(key);
            }
        }
        var parts = new List<string>();
        for (int m = 0; m < models.Count; m++)
        {
            if (lost[m].Count == 0) continue;
            const int shown = 5;
            var distinct = lost[m].Distinct(StringComparer.Ordinal).ToList();
            string names = string.Join(", ", distinct.Take(shown)) + (distinct.Count > shown ? $" and {distinct.Count - shown:N0} more" : "");
            parts.Add($"'{models[m]}' {lost[m].Count:N0} ({names})");
        }
        if (parts.Count > 0)
            _observer?.Warning($"Every model is compared on the same {identities.Count:N0} items, those all models have (matched by identity and file name, without folder or extension). " +
                $"Left out because another model lacks them: {string.Join("; ", parts)}.");
        if (failedElsewhere > 0)
            _observer?.Warning($"-FailureToEnrol Exclude: {failedElsewhere:N0} item(s) some model failed to enrol are left out for every model.");
        return (kept, identities);
    }
}
