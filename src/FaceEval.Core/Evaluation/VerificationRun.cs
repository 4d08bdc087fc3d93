using System.Diagnostics;
using System.Globalization;
using FaceEval.Core.Metrics;
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// Measures verification for every model of an evaluation set, on the same pairs: all pairs of the set,
/// a seeded sample of its impostor pairs, or the pairs of a pair list; or from pairs scored elsewhere.
/// Tells its observer about progress, per-item problems (an item without identity is left out) and
/// warnings; raises <see cref="FaceEvalException"/> (CannotMeasure, NoInput, PairListInvalid, ...) when a
/// model cannot be measured at all.
/// </summary>
public sealed partial class VerificationRun
{
    private readonly VerificationOptions _options;
    private readonly IEvaluationObserver? _observer;
    private CancellationToken _cancellation;

    public VerificationRun(VerificationOptions options, IEvaluationObserver? observer = null)
    {
        _options = options;
        _observer = observer;
    }

    /// <summary>Measures every model of <paramref name="embeddings"/> and of <paramref name="scored"/>.</summary>
    /// <exception cref="OperationCanceledException">The bootstrap was cancelled.</exception>
    public VerificationOutcome Run(EvaluationSet embeddings, IReadOnlyList<ScoredPair> scored, CancellationToken cancellation = default)
    {
        _cancellation = cancellation;
        var results = new List<VerificationResult>();
        // A model that cannot be measured at all is an error about that model; the others are still measured.
        // Only when none can be is it the run's error.
        var failures = new List<FaceEvalException>();
        void PerModel(Action step)
        {
            try
            {
                step();
            }
            catch (FaceEvalException e) when (e.Error is FaceEvalError.CannotMeasure or FaceEvalError.MissingIdentity)
            {
                failures.Add(e);
            }
        }
        foreach (var group in scored.GroupBy(p => p.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
            PerModel(() => results.Add(FromScoredPairs(group.Key, group.ToList())));
        IReadOnlyList<PairSpec>? pairList = _options.PairListPath is null ? null : PairList.Read(_options.PairListPath);
        // Every model's items are screened first (a bad item is that item's error, never the model's), so that
        // what each model is measured on is known before any is measured.
        var screened = new List<(string Model, List<EvaluationItem> Items)>();
        foreach (var m in embeddings.Models)
            PerModel(() => screened.Add((m, Screen(m, embeddings.Items(m), needIdentity: pairList is null))));
        var inputs = CompareInputs(screened, pairList);
        if (inputs is { Same: false }) _observer?.Warning($"The models were measured on different inputs, so their results do not compare pair for pair: {inputs.Value.Text}. " +
            "Items are matched by identity and file name (without folder or extension); failures to enrol count as present.");
        foreach (var (model, items) in screened)
            PerModel(() => { if ((pairList is null ? FromAllPairs(model, items) : FromPairList(model, items, pairList)) is { } r) results.Add(r); });
        SaveState();
        if (results.Count == 0 && failures.Count > 0)
        {
            foreach (var f in failures.Skip(1)) _observer?.ItemError(f, f.Target);
            throw failures[0];
        }
        foreach (var f in failures) _observer?.ItemError(f, f.Target);
        if (results.Count == 0 && _states.Count > 0) return new VerificationOutcome(results, Settings(embeddings, scored, inputs)); // a block of a split run
        if (results.Count == 0) throw new FaceEvalException(FaceEvalError.NoInput, "Nothing to measure: no embeddings or scored pairs came in.");
        foreach (var r in results)
        {
            var missing = r.OperatingPoints.Where(p => !p.Estimable).ToList();
            if (missing.Count > 0)
                _observer?.Warning($"{(r.Model.Length > 0 ? $"Model '{r.Model}': " : "")}{r.ImpostorPairs:N0} impostor pairs cannot measure FAR {string.Join(", ", missing.Select(p => p.TargetFar.ToString("0.#####e0", CultureInfo.InvariantCulture)))}: " +
                    $"FAR {missing[0].TargetFar.ToString("0.#####e0", CultureInfo.InvariantCulture)} needs at least {Math.Ceiling(1 / missing[0].TargetFar):N0}. Those points show n/e.");
        }
        return new VerificationOutcome(results, Settings(embeddings, scored, inputs));
    }

    private VerificationResult FromScoredPairs(string model, List<ScoredPair> pairs)
    {
        if (_options.BootstrapCount > 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-Bootstrap resamples identities: pipe embeddings with an Identity, not scored pairs.");
        if (_options.TransferCheck > 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-TransferCheck splits the identities in two halves: pipe embeddings with an Identity, not scored pairs.");
        if (_options.Calibrate)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-Calibrate cross-fits over two halves of the identities: pipe embeddings with an Identity, not scored pairs.");
        var set = ScoreSet.Create(pairs.Where(p => p.IsMatch).Select(p => p.Score).ToArray(), pairs.Where(p => !p.IsMatch).Select(p => p.Score).ToArray());
        (double, double, int)? kFold = null;
        if (pairs.All(p => p.Fold is not null))
        {
            var (mean, std, accuracies, _) = KFold.Accuracy(pairs.Select(p => p.Score).ToArray(), pairs.Select(p => p.IsMatch).ToArray(), pairs.Select(p => p.Fold!.Value).ToArray());
            kFold = (mean, std, accuracies.Length);
        }
        return VerificationEvaluator.Evaluate(model, set, _options.FarTargets, _options.Convention, folds: _options.FoldCount, seed: _options.Seed, kFold: kFold);
    }

    /// <summary>
    /// The items of one model that can take part, in input order. Each one that cannot is a per-item error
    /// naming it, and the rest go on: no identity (when all pairs are labelled by identity), a NaN or infinite
    /// value, or a dimension other than the one most of the model's embeddings have. A failure to enrol (an
    /// empty vector) takes part as such. Throws only when the model as a whole cannot be measured.
    /// </summary>
    internal List<EvaluationItem> Screen(string model, IReadOnlyList<EvaluationItem> items, bool needIdentity)
    {
        if (needIdentity && items.Count > 0 && items.All(i => string.IsNullOrEmpty(i.Identity)))
            throw new FaceEvalException(FaceEvalError.MissingIdentity,
                $"None of the {items.Count:N0} embeddings of model '{model}' has an Identity, so no pair can be labelled genuine or impostor. " +
                "Give each input an Identity (a column of the detections CSV), take it from the photos' folders with Invoke-FaceEmbedding -IdentityFrom Folder, " +
                "or read saved embeddings with Import-FaceEmbedding, which takes it from each file's folder.", model);
        var usable = new List<EvaluationItem>(items.Count);
        foreach (var item in items)
        {
            if (needIdentity && string.IsNullOrEmpty(item.Identity))
                LeaveOut(item, FaceEvalError.MissingIdentity, $"'{item}' has no Identity, so its pairs cannot be labelled genuine or impostor; it is left out.");
            else if (EmbeddingVector.Problem(item.Vector) is { } why)
                LeaveOut(item, FaceEvalError.InvalidEmbedding, $"'{item.Label}' (model '{model}') is not a usable embedding: {why}. It is left out; the other embeddings are measured.");
            else usable.Add(item);
        }

        // The model's dimension is the one most of its embeddings have; one that differs is a damaged or stray file.
        var sizes = usable.Where(i => !i.IsFailureToEnrol).GroupBy(i => i.Vector.Length)
            .Select(g => (Dimension: g.Key, Count: g.Count())).OrderByDescending(s => s.Count).ThenBy(s => s.Dimension).ToList();
        if (sizes.Count > 1)
        {
            if (sizes[0].Count == sizes[1].Count)
                throw new FaceEvalException(FaceEvalError.CannotMeasure,
                    $"Model '{model}' cannot be measured: its embeddings have mixed dimensions ({Counts(sizes)}), and no majority tells which is right. " +
                    "Are embeddings of different models under one name, or files from another run mixed in?", model);
            var (dimension, count) = sizes[0];
            usable.RemoveAll(item =>
            {
                if (item.IsFailureToEnrol || item.Vector.Length == dimension) return false;
                LeaveOut(item, FaceEvalError.DimensionMismatch,
                    $"'{item.Label}' has {item.Vector.Length} dimensions, but {count:N0} other embeddings of model '{model}' have {dimension}: from another model or a damaged file? It is left out; the others are measured.");
                return true;
            });
        }
        return usable;

        static string Counts(List<(int Dimension, int Count)> sizes) =>
            string.Join(", ", sizes.Take(sizes.Count - 1).Select((s, k) => k == 0 ? $"{s.Count:N0} have {s.Dimension} dimensions" : $"{s.Count:N0} have {s.Dimension}")) +
            $" and {sizes[^1].Count:N0} have {sizes[^1].Dimension}";
    }

    private void LeaveOut(EvaluationItem item, FaceEvalError error, string message) =>
        _observer?.ItemError(new FaceEvalException(error, message, item.Source), item.Source);

    private VerificationResult? FromAllPairs(string model, IReadOnlyList<EvaluationItem> items)
    {
        Pairable(model, items);
        var usable = items.ToList();
        int failures = usable.Count(e => e.IsFailureToEnrol);
        bool exclude = _options.FailureToEnrol == FailureToEnrolHandling.Exclude;
        if (exclude) usable.RemoveAll(e => e.IsFailureToEnrol);
        WarnAboutNorms(usable);
        if (UseCounts(usable.Count)) return FromCounts(model, usable, failures, exclude);
        string activity = $"Measuring model '{model}'";
        _observer?.Progress(activity, $"Scoring all pairs of {usable.Count} embeddings");
        var watch = Stopwatch.StartNew();
        var vectors = usable.Select(e => e.Vector).ToArray();
        var labels = usable.Select(e => e.Identity!).ToArray();
        PairScores scores;
        try
        {
            scores = _options.ImpostorSample > 0
                ? SampledPairScorer.Score(vectors, labels, _options.ImpostorSample, _options.Seed)
                : PairScorer.ScoreAllPairs(vectors, labels);
        }
        catch (FaceEvalException e)
        {
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}': {e.Message}", model, e);
        }
        _observer?.Detail($"Model '{model}': scored {scores.Genuine.LongLength + scores.Impostor.LongLength:N0} pairs in {watch.Elapsed.TotalSeconds:F2} s.");
        _observer?.Progress(activity, "Done", completed: true);
        watch.Restart();
        var set = Measurable(model, () => ScoreSet.Adopt(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures));
        _observer?.Detail($"Model '{model}': sorted the scores in {watch.Elapsed.TotalSeconds:F2} s.");
        var log = new List<string>();
        var result = VerificationEvaluator.Evaluate(model, set, _options.FarTargets, _options.Convention, failures, exclude, _options.FoldCount, _options.Seed, log: log.Add);
        foreach (var line in log) _observer?.Detail($"Model '{model}': {line}.");
        if (_options.BootstrapCount > 0)
        {
            _observer?.Progress(activity, $"Bootstrap: {_options.BootstrapCount} replicates");
            watch.Restart();
            var pairs = Measurable(model, () => LabelledPairs.AllPairs(vectors, labels));
            int total = _options.BootstrapCount, step = Math.Max(1, total / 1000);
            var intervals = Bootstrap.Intervals(pairs, result.OperatingPoints.Select(p => p.TargetFar).ToArray(), total, _options.Seed, _options.ConfidenceLevel,
                done => { if (done % step == 0 || done == total) _observer?.Progress(activity, $"Bootstrap: {done:N0} of {total:N0} replicates", percent: 100 * done / total); },
                _cancellation);
            result = result.WithIntervals(intervals.Tar, intervals.Eer, _options.BootstrapCount, _options.ConfidenceLevel, intervals.Threshold);
            _observer?.Detail($"Model '{model}': {_options.BootstrapCount} bootstrap replicates in {watch.Elapsed.TotalSeconds:F2} s.");
            _observer?.Progress(activity, "Done", completed: true);
        }
        if (_options.TransferCheck > 0 || _options.Calibrate)
        {
            if (_options.ImpostorSample > 0)
                throw new FaceEvalException(FaceEvalError.CannotMeasure, "-TransferCheck and -Calibrate need all pairs of the embeddings, not a sample of the impostor pairs: leave out -ImpostorSample.", model);
            // The pairs as Compare-FaceModel builds them (PairedScores.AllPairs), for this one model.
            var paired = Measurable(model, () => PairedScores.AllPairs(new[] { model }, new IReadOnlyList<float[]>[] { vectors }, labels));
            if (_options.TransferCheck > 0) result = WithTransfer(model, result, paired);
            if (_options.Calibrate)
            {
                var calibration = Measurable(model, () => Calibration.Measure(paired, _options.Seed))[0];
                _observer?.Detail($"Model '{model}': calibrated, Cllr {calibration.Cllr:F4} bits, MinCllr {calibration.MinCllr:F4} bits.");
                result = result.WithCalibration(calibration);
            }
        }
        return result;
    }

    /// <summary>
    /// The a-priori threshold check of biometric practice (a development/evaluation split by identity, as in
    /// ISO/IEC 19795-1 and bob.measure's dev/eval): each strict threshold chosen on half of the identities and
    /// applied to the other half, over seeded splits (<see cref="TransferCheck"/>).
    /// </summary>
    private VerificationResult WithTransfer(string model, VerificationResult result, PairedScores pairs)
    {
        string activity = $"Measuring model '{model}'";
        _observer?.Progress(activity, $"Threshold transfer check: {_options.TransferCheck} splits of the identities");
        var watch = Stopwatch.StartNew();
        var transfer = Measurable(model, () => TransferCheck.Run(pairs, result.OperatingPoints.Select(p => p.TargetFar).ToArray(), _options.TransferCheck, _options.Seed, _cancellation));
        _observer?.Detail($"Model '{model}': threshold transfer check over {_options.TransferCheck} splits in {watch.Elapsed.TotalSeconds:F2} s.");
        _observer?.Progress(activity, "Done", completed: true);
        return result.WithTransfer(transfer, _options.TransferCheck);
    }

    private VerificationResult FromPairList(string model, IReadOnlyList<EvaluationItem> items, IReadOnlyList<PairSpec> pairs)
    {
        // A pair list names images by file, file name or stem: the first item of each key wins.
        var byKey = new Dictionary<string, EvaluationItem>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
            foreach (var key in PairKeys(item))
                byKey.TryAdd(key, item);
        WarnAboutNorms(items);
        bool exclude = _options.FailureToEnrol == FailureToEnrolHandling.Exclude;
        if (_options.TransferCheck > 0 || _options.Calibrate)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-TransferCheck and -Calibrate split the identities of all pairs of the embeddings: they cannot be used with -PairList.", model);
        var scored = Measurable(model, () => PairListScorer.Score(pairs, key => byKey.TryGetValue(key, out var e) ? e.Vector : null, exclude));
        if (scored.Missing > 0)
            _observer?.Warning($"{scored.Missing} of {pairs.Count} pairs of the pair list name images that are not in the input of model '{model}'; they were left out.");
        (double, double, int)? kFold = null;
        if (scored.Folds is not null && scored.Folds.Distinct().Take(2).Count() < 2)
        {
            // A list of one fold (LFW "1 300", or every other fold's pairs missing) has no other folds to train on.
            if (_options.FoldCount > 0) _observer?.Warning($"Model '{model}': the pairs of the pair list {Path.GetFileName(_options.PairListPath)} scored here make up one fold, so k-fold accuracy uses {_options.FoldCount} shuffled folds of them instead.");
        }
        else if (scored.Folds is not null)
        {
            var (mean, std, accuracies, _) = Measurable(model, () => KFold.Accuracy(scored.Scores, scored.IsMatch, scored.Folds));
            kFold = (mean, std, accuracies.Length);
        }
        int failuresToEnrol = items.Count(i => i.IsFailureToEnrol);
        return VerificationEvaluator.Evaluate(model, scored.Set, _options.FarTargets, _options.Convention, failuresToEnrol, exclude, _options.FoldCount, _options.Seed, kFold);
    }

    /// <summary>The names a pair list may use for an item: its full label, its file name, its file stem.</summary>
    private static string[] PairKeys(EvaluationItem item) => new[] { item.Label, Path.GetFileName(item.Label), Path.GetFileNameWithoutExtension(item.Label) };

    /// <summary>Says plainly, before any scoring, when the labelled items cannot give both genuine and impostor pairs.</summary>
    private static void Pairable(string model, IReadOnlyList<EvaluationItem> items)
    {
        string Fail(string why) => throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: {why}", model);
        if (items.Count < 2)
            Fail(items.Count == 0 ? "none of its embeddings can be used (see the errors about them)." : "there is a single embedding, and verification needs pairs.");
        if (items.All(i => i.IsFailureToEnrol))
            Fail($"the service found no face in any of the {items.Count:N0} images (every one failed to enrol).");
        var sizes = items.GroupBy(i => i.Identity, StringComparer.Ordinal).Select(g => (Identity: g.Key!, Count: g.Count())).ToList();
        if (sizes.Count == 1)
            Fail($"all {items.Count:N0} embeddings show one identity ('{sizes[0].Identity}'), so there are no impostor pairs. If the identity came from a folder, check that each person has a folder of their own.");
        if (sizes.All(s => s.Count == 1))
            Fail($"each of the {sizes.Count:N0} identities has a single image, so there are no genuine pairs. Verification needs at least two images of some people.");
    }

    /// <summary>Runs a step whose failure means the model cannot be measured, naming the model in the error.</summary>
    private static T Measurable<T>(string model, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (FaceEvalException e) when (e.Error is FaceEvalError.CannotMeasure or FaceEvalError.DimensionMismatch)
        {
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}': {e.Message}", model, e);
        }
        catch (ArgumentException e)
        {
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}': {e.Message}", model, e);
        }
    }

    private void WarnAboutNorms(IEnumerable<EvaluationItem> items)
    {
        int off = items.Count(e => !e.IsFailureToEnrol && EmbeddingComparer.IsOffUnitNorm(e.Vector));
        if (off > 0)
            _observer?.Warning($"{off} embedding(s) have a norm off 1 by more than {EmbeddingComparer.NormTolerance}: scores are dot products of the vectors as returned, not re-normalised.");
    }

    /// <summary>
    /// Whether the models (two or more) are measured on the same items, as a multiset of identity/file-stem
    /// keys (a model's folder and the extension differ between models: eagle/s1/1_0.npy and dingo/s1/1_0.npy
    /// are the same image). Null for fewer than two models; else the counts and what each model lacks.
    /// </summary>
    private static (bool Same, string Text)? CompareInputs(IReadOnlyList<(string Model, List<EvaluationItem> Items)> models, IReadOnlyList<PairSpec>? pairList)
    {
        if (models.Count < 2) return null;
        if (pairList is not null)
        {
            // With a pair list only the items it names are measured: an extra image of one model changes nothing.
            var named = new HashSet<string>(pairList.SelectMany(p => new[] { p.Reference, p.Difference }), StringComparer.OrdinalIgnoreCase);
            models = models.Select(m => (m.Model, m.Items.Where(i => PairKeys(i).Any(named.Contains)).ToList())).ToList();
        }
        static string Key(EvaluationItem item)
        {
            string stem = Path.GetFileNameWithoutExtension(item.Label);
            return string.IsNullOrEmpty(item.Identity) ? stem : $"{item.Identity}/{stem}";
        }
        var counts = models.Select(m => m.Items.GroupBy(Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)).ToList();
        var most = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var (key, n) in c)
                most[key] = Math.Max(most.GetValueOrDefault(key), n);
        string sizes = string.Join(", ", models.Select((m, k) => k == 0 ? $"'{m.Model}' {m.Items.Count:N0} embeddings" : $"'{m.Model}' {m.Items.Count:N0}"));
        var lacks = new List<string>();
        for (int k = 0; k < models.Count; k++)
        {
            var missing = most.Where(e => counts[k].GetValueOrDefault(e.Key) < e.Value).Select(e => (e.Key, Count: e.Value - counts[k].GetValueOrDefault(e.Key)))
                .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
            if (missing.Count == 0) continue;
            const int shown = 5;
            string names = string.Join(", ", missing.Take(shown).Select(e => e.Key)) + (missing.Count > shown ? $" and {missing.Count - shown:N0} more" : "");
            lacks.Add($"'{models[k].Model}' lacks {missing.Sum(e => e.Count):N0} that another model has ({names})");
        }
        return lacks.Count == 0
            ? (true, $"the same {models[0].Items.Count:N0} inputs for each of the {models.Count} models")
            : (false, $"{sizes}; {string.Join("; ", lacks)}");
    }

    /// <summary>How this measurement was made, for the report (file names only, never a URL).</summary>
    private IReadOnlyList<ReportSetting> Settings(EvaluationSet embeddings, IReadOnlyList<ScoredPair> scored, (bool Same, string Text)? inputs)
    {
        var o = _options;
        string pairs = embeddings.Count == 0 ? "scored pairs from the input"
            : o.PairListPath is not null ? $"pair list {Path.GetFileName(o.PairListPath)}"
            : o.ImpostorSample > 0 ? $"all genuine pairs, {o.ImpostorSample:N0} impostor pairs sampled (seed {o.Seed})"
            : "all genuine and all impostor pairs of the input embeddings";
        var settings = new List<ReportSetting>
        {
            new ReportSetting("Pairs", pairs),
            new ReportSetting("Inputs", embeddings.Count > 0 ? $"{embeddings.Count:N0} embeddings of {embeddings.Models.Count} model(s)" : $"{scored.Count:N0} scored pairs"),
            new ReportSetting("TAR at FAR rule", o.Convention == FarConvention.Strict ? "Strict (FAR never above the target)" : "InsightFace (nearest ROC point)"),
            new ReportSetting("Target FARs", string.Join(", ", o.FarTargets.Select(t => t.ToString("0.#####e0", CultureInfo.InvariantCulture)))),
            new ReportSetting("Failures to enrol", o.FailureToEnrol == FailureToEnrolHandling.Reject ? "pairs scored as rejections" : "pairs excluded"),
            new ReportSetting("k-fold", o.FoldCount == 0 ? "not measured" : $"{o.FoldCount} folds, seed {o.Seed} (folds of the pair list when it defines them)"),
            new ReportSetting("Bootstrap", o.BootstrapCount == 0 ? "none" : $"{o.BootstrapCount:N0} replicates over identities, seed {o.Seed}, {o.ConfidenceLevel:P1} level"),
            new ReportSetting("Calibration", o.Calibrate ? $"linear log-likelihood ratio, cross-fitted over two halves of the identities (seed {o.Seed})" : "not measured"),
            new ReportSetting("Threshold transfer", o.TransferCheck == 0 ? "not checked" : $"{o.TransferCheck:N0} splits of the identities into halves, seed {o.Seed}"),
        };
        if (inputs is var (same, text))
            settings.Insert(2, new ReportSetting("Inputs per model", same ? text : $"DIFFERENT, so the models are not compared on the same pairs: {text}"));
        return settings;
    }
}
