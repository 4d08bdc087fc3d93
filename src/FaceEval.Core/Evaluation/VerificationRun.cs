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
    private AttributeTable? _attributeTable;

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
        if (_options.AttributePath is not null) _attributeTable = AttributeTable.Read(_options.AttributePath);
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
        if (results.Count == 0 && _states.Count > 0) return new VerificationOutcome(results, Settings(embeddings, scored, inputs, Array.Empty<ModelComparison>())); // a block of a split run
        if (results.Count == 0) throw new FaceEvalException(FaceEvalError.NoInput, "Nothing to measure: no embeddings or scored pairs came in.");
        foreach (var r in results)
        {
            var missing = r.OperatingPoints.Where(p => !p.Estimable).ToList();
            if (missing.Count > 0)
                _observer?.Warning($"{(r.Model.Length > 0 ? $"Model '{r.Model}': " : "")}{r.ImpostorPairs:N0} impostor pairs cannot measure FAR {string.Join(", ", missing.Select(p => p.TargetFar.ToString("0.#####e0", CultureInfo.InvariantCulture)))}: " +
                    $"FAR {missing[0].TargetFar.ToString("0.#####e0", CultureInfo.InvariantCulture)} needs at least {Math.Ceiling(1 / missing[0].TargetFar):N0}. Those points show n/e.");
        }
        var comparisons = Compare(embeddings, pairList, results);
        return new VerificationOutcome(results, Settings(embeddings, scored, inputs, comparisons), comparisons);
    }

    /// <summary>
    /// With <see cref="VerificationOptions.CompareModels"/>: the models of embeddings compared pair for pair
    /// (<see cref="ComparisonRun"/>, on the same pairs: all, the pair list's, or the same impostor sample) when at
    /// least two of them were measured; otherwise none, with a warning saying why when it could not be made.
    /// </summary>
    private IReadOnlyList<ModelComparison> Compare(EvaluationSet embeddings, IReadOnlyList<PairSpec>? pairList, List<VerificationResult> results)
    {
        var measured = embeddings.Models.Where(m => results.Any(r => r.Model == m)).ToList();
        if (!_options.CompareModels || measured.Count < 2) return Array.Empty<ModelComparison>();
        long largest = measured.Max(m => (long)embeddings.Items(m).Count * (embeddings.Items(m).Count - 1) / 2);
        if (pairList is null && _options.ImpostorSample == 0 && largest > VerificationOptions.SortedPairLimit)
        {
            _observer?.Warning($"The models are not compared pair for pair, so the report has no Decision section: the paired bootstrap keeps every score of all {largest:N0} pairs, " +
                $"which is done up to {VerificationOptions.SortedPairLimit:N0} pairs. Give -ImpostorSample (for example 10000000) or -PairList to compare them.");
            return Array.Empty<ModelComparison>();
        }
        var run = new ComparisonRun(new ProgressOnly(_observer))
        {
            PairListPath = _options.PairListPath, ImpostorSample = _options.ImpostorSample,
            FarTargets = _options.FarTargets,
            BootstrapCount = _options.BootstrapCount >= VerificationOptions.ComparisonMinimumReplicates ? _options.BootstrapCount : VerificationOptions.ComparisonDefaultReplicates,
            Seed = _options.Seed, ConfidenceLevel = _options.ConfidenceLevel, FailureToEnrol = _options.FailureToEnrol,
            IntervalMethod = _options.IntervalMethod ?? VerificationOptions.DefaultIntervalMethod,
        };
        var set = new EvaluationSet();
        foreach (var m in measured) foreach (var item in embeddings.Items(m)) set.Add(item);
        try
        {
            return run.Run(set, _cancellation);
        }
        catch (FaceEvalException e) when (e.Error is FaceEvalError.CannotMeasure)
        {
            _observer?.Warning($"The models could not be compared pair for pair, so the report has no Decision section: {e.Message}");
            return Array.Empty<ModelComparison>();
        }
    }

    /// <summary>
    /// Passes on progress and details only: the comparison screens the same items again, and their problems
    /// and warnings have already been told once by this run.
    /// </summary>
    private sealed class ProgressOnly(IEvaluationObserver? inner) : IEvaluationObserver
    {
        public void Progress(string activity, string status, bool completed = false, int percent = -1) => inner?.Progress(activity, status, completed, percent);
        public void Detail(string message) => inner?.Detail(message);
        public void Warning(string message) { }
        public void ItemError(FaceEvalException error, object? item) { }
    }

    private VerificationResult FromScoredPairs(string model, List<ScoredPair> pairs)
    {
        if (_options.WantsIntervals)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-Bootstrap and -IntervalMethod resample or leave out identities: pipe embeddings with an Identity, not scored pairs.");
        if (_options.TransferCheck > 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-TransferCheck splits the identities in two halves: pipe embeddings with an Identity, not scored pairs.");
        if (_options.Calibrate)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-Calibrate cross-fits over two halves of the identities: pipe embeddings with an Identity, not scored pairs.");
        if (_options.GroupBy.Count > 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-GroupBy groups the images of each pair: pipe embeddings with an Identity and the attributes, not scored pairs.");
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

    /// <summary>
    /// The sorted path stores every score of all pairs (about 8 bytes a pair at the peak, more with intervals):
    /// above <see cref="VerificationOptions.SortedPairLimit"/> pairs a warning says so, and more than one array
    /// holds (<see cref="Array.MaxLength"/>) stops the model with the options that need it and the fix, rather
    /// than an out-of-memory failure deep in the scoring.
    /// </summary>
    private void StoredPairsFit(string model, int items)
    {
        if (_options.ImpostorSample > 0) return;
        long pairs = (long)items * (items - 1) / 2;
        if (pairs <= VerificationOptions.SortedPairLimit) return;
        const string needs = "-BootstrapCount, -IntervalMethod, -TransferCheck, -Calibrate and -GroupBy";
        if (pairs > Array.MaxLength)
            throw new FaceEvalException(FaceEvalError.CannotMeasure,
                $"Model '{model}': {items:N0} embeddings make {pairs:N0} pairs, more than can be stored ({Array.MaxLength:N0}), and {needs} work on the stored scores of every pair. " +
                "Give -ImpostorSample (for example 100000000: every genuine pair and a uniform sample of the impostor pairs), or leave those options out: every other number is counted exactly without storing the scores.", model);
        _observer?.Warning($"Model '{model}': {needs} store every score of all {pairs:N0} pairs, about {pairs * 8 / 1e9:N1} GB and more for the intervals; " +
            "-ImpostorSample bounds it (every genuine pair and a uniform sample of the impostor pairs).");
    }

    private VerificationResult? FromAllPairs(string model, IReadOnlyList<EvaluationItem> items)
    {
        Pairable(model, items);
        var usable = items.ToList();
        int failures = usable.Count(e => e.IsFailureToEnrol);
        bool exclude = _options.FailureToEnrol == FailureToEnrolHandling.Exclude;
        if (exclude) usable.RemoveAll(e => e.IsFailureToEnrol);
        WarnAboutNorms(usable);
        SubgroupInput? grouping = null;
        if (_options.GroupBy.Count > 0)
        {
            if (_options.ImpostorSample > 0)
                throw new FaceEvalException(FaceEvalError.CannotMeasure, "-GroupBy needs all pairs of the embeddings, not a sample of the impostor pairs: leave out -ImpostorSample.", model);
            var reading = Stopwatch.StartNew();
            grouping = GroupInput(model, usable, exclude ? items.Where(e => e.IsFailureToEnrol).ToList() : new List<EvaluationItem>());
            _observer?.Detail($"Model '{model}': read the groups of {usable.Count:N0} embeddings in {reading.Elapsed.TotalSeconds:F2} s.");
        }
        if (UseCounts(usable.Count)) return FromCounts(model, usable, failures, exclude);
        StoredPairsFit(model, usable.Count);
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
        // The breakdown reads the scores in the scorer's order, which sorting them destroys: it keeps a copy.
        var copying = Stopwatch.StartNew();
        var layout = grouping is null ? null : new PairScores(scores.Genuine.ToArray(), scores.Impostor.ToArray(), scores.GenuineFailures, scores.ImpostorFailures);
        var copied = copying.Elapsed;
        // k-fold numbers the pairs in the scorer's order, as the counting path does, so it is measured before sorting.
        (double Mean, double Std, int Folds)? kFold = null;
        if (_options.FoldCount > 0)
        {
            long total = scores.Genuine.LongLength + scores.Impostor.LongLength + scores.GenuineFailures + scores.ImpostorFailures;
            int k = KFold.FoldsFor(_options.FoldCount, total);
            var folds = Measurable(model, () => KFold.Accuracy(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures, k, _options.Seed, _cancellation));
            kFold = (folds.Mean, folds.Std, k);
            _observer?.Detail($"Model '{model}': {k}-fold accuracy in {watch.Elapsed.TotalSeconds:F2} s.");
            watch.Restart();
        }
        var set = Measurable(model, () => ScoreSet.Adopt(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures));
        _observer?.Detail($"Model '{model}': sorted the scores in {watch.Elapsed.TotalSeconds:F2} s.");
        var log = new List<string>();
        var result = VerificationEvaluator.Evaluate(model, set, _options.FarTargets, _options.Convention, failures, exclude, _options.FoldCount, _options.Seed, kFold, log.Add);
        foreach (var line in log) _observer?.Detail($"Model '{model}': {line}.");
        if (_options.WantsIntervals) result = WithIntervals(model, result, vectors, labels);
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
        if (grouping is not null) result = WithGroups(model, result, grouping, layout!, set, copied);
        return result;
    }

    /// <summary>
    /// Each scored item's value of every -GroupBy attribute: its own (a property it carries), else its
    /// identity's in the -AttributePath file. Says which items have none; refuses an attribute no item has.
    /// </summary>
    private SubgroupInput GroupInput(string model, IReadOnlyList<EvaluationItem> scored, IReadOnlyList<EvaluationItem> leftOutFailures)
    {
        string? ValueOf(EvaluationItem item, string attribute) =>
            item.Attributes.TryGetValue(attribute, out var own) && !string.IsNullOrWhiteSpace(own) ? own.Trim() : _attributeTable?.Value(item.Identity, attribute);
        var attributes = new List<GroupAttribute>();
        foreach (var name in _options.GroupBy)
        {
            var values = scored.Select(i => ValueOf(i, name)).ToArray();
            int missing = values.Count(v => v is null);
            if (missing == values.Length)
                throw new FaceEvalException(FaceEvalError.GroupAttributeMissing,
                    $"None of the {values.Length:N0} embeddings of model '{model}' has a value for '{name}'" +
                    (_attributeTable is null ? "" : $", on the embedding or for its identity in {Path.GetFileName(_options.AttributePath)} (its columns: {string.Join(", ", _attributeTable.Columns)})") +
                    ". Give the images the attribute as a column of the detections CSV (it travels through Get-FaceCrop, Invoke-FaceEmbedding and Import-FaceEmbedding), " +
                    "or give -AttributePath a CSV with an Identity column and a column named " + name + ".", name);
            if (missing > 0)
                _observer?.Warning($"Model '{model}': {missing:N0} of {values.Length:N0} embeddings have no value for '{name}'; they are left out of its breakdown.");
            attributes.Add(new GroupAttribute(name, values, leftOutFailures.Select(i => ValueOf(i, name)).ToArray()));
        }
        return new SubgroupInput { Identity = scored.Select(i => i.Identity!).ToArray(), Enrolled = scored.Select(i => !i.IsFailureToEnrol).ToArray(), Attributes = attributes };
    }

    /// <summary>The subgroup breakdown (<see cref="SubgroupAnalysis"/>) at the global strict threshold for -GroupFar, from the scores already computed.</summary>
    private VerificationResult WithGroups(string model, VerificationResult result, SubgroupInput grouping, PairScores layout, ScoreSet all, TimeSpan copied)
    {
        string activity = $"Measuring model '{model}'";
        _observer?.Progress(activity, $"Subgroups: {string.Join(", ", _options.GroupBy)}");
        var watch = Stopwatch.StartNew();
        double threshold = SubgroupAnalysis.GlobalThreshold(all, _options.GroupFar);
        // Group intervals come with the run's intervals (-BootstrapCount or -IntervalMethod), by the same method.
        var method = _options.IntervalMethod ?? VerificationOptions.DefaultIntervalMethod;
        int replicates = !_options.WantsIntervals ? 0 : _options.BootstrapCount > 0 ? _options.BootstrapCount
            : method is IntervalMethod.Bca or IntervalMethod.Percentile ? VerificationOptions.DefaultIntervalReplicates : VerificationOptions.VarianceReplicates;
        var breakdown = Measurable(model, () => SubgroupAnalysis.Measure(model, grouping, layout, threshold, _options.GroupFar,
            replicates, _options.Seed, _options.ConfidenceLevel, _cancellation, method));
        _observer?.Detail($"Model '{model}': subgroup breakdown by {string.Join(", ", _options.GroupBy)} in {(watch.Elapsed + copied).TotalSeconds:F2} s (of which {copied.TotalSeconds:F2} s keeping the scores in their order).");
        _observer?.Progress(activity, "Done", completed: true);
        foreach (var g in breakdown.Groups.Where(g => !g.Estimable))
            _observer?.Warning($"Model '{model}': group {g.Attribute} = {g.Group} has {g.ImpostorPairs:N0} impostor and {g.GenuinePairs:N0} genuine pairs, so its " +
                (g.FmrEstimable ? "FNMR" : g.FnmrEstimable ? "FMR" : "FMR and FNMR") + $" cannot be measured at GroupFar {_options.GroupFar.ToString("0.#####e0", CultureInfo.InvariantCulture)} (n/e): FMR needs at least {Math.Ceiling(1 / _options.GroupFar - 1e-9):N0} impostor pairs, FNMR one genuine pair.");
        return result.WithGroups(breakdown.Groups, breakdown.Cross, breakdown.Indices, breakdown.GroupFar, breakdown.Threshold);
    }

    /// <summary>
    /// Confidence intervals and one-sided bounds of TAR at each target and of the EER by the chosen method
    /// (<see cref="VerificationIntervals"/>); the threshold intervals of the bootstrap when -BootstrapCount asks for it.
    /// </summary>
    private VerificationResult WithIntervals(string model, VerificationResult result, float[][] vectors, string[] labels)
    {
        if (_options.ImpostorSample > 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "Intervals resample or leave out identities with all their pairs: leave out -ImpostorSample.", model);
        string activity = $"Measuring model '{model}'";
        var method = _options.IntervalMethod ?? VerificationOptions.DefaultIntervalMethod;
        int total = _options.BootstrapCount > 0 ? _options.BootstrapCount
            : method is IntervalMethod.Bca or IntervalMethod.Percentile ? VerificationOptions.DefaultIntervalReplicates : VerificationOptions.VarianceReplicates;
        int step = Math.Max(1, total / 1000);
        // Every method bootstraps: Wilson and Clopper–Pearson take the variance of TAR and EER as the larger of the jackknife and bootstrap variances below 300 identities.
        _observer?.Progress(activity, $"Bootstrap: {total} replicates");
        var watch = Stopwatch.StartNew();
        var pairs = Measurable(model, () => LabelledPairs.AllPairs(vectors, labels));
        var intervals = VerificationIntervals.Compute(pairs, result.OperatingPoints.Select(p => p.TargetFar).ToArray(), method, _options.ConfidenceLevel,
            total, thresholdIntervals: _options.BootstrapCount > 0, _options.Seed,
            done => { if (done % step == 0 || done == total) _observer?.Progress(activity, $"Bootstrap: {done:N0} of {total:N0} replicates", percent: 100 * done / total); },
            _cancellation);
        result = result.WithIntervals(intervals.Tar, intervals.Eer, total, _options.ConfidenceLevel, intervals.Threshold.Length > 0 ? intervals.Threshold : null)
            .WithClaims(method, intervals.FnmrUpper, intervals.TarApproximate, intervals.EerUpper, intervals.EerApproximate);
        _observer?.Detail($"Model '{model}': {method} intervals ({total:N0} bootstrap replicates, the identity jackknife) in {watch.Elapsed.TotalSeconds:F2} s.");
        var rough = result.OperatingPoints.Where(p => p.IntervalApproximate && p.Estimable).Select(p => p.TargetFar.ToString("0.#####e0", CultureInfo.InvariantCulture)).ToList();
        if (rough.Count > 0)
            _observer?.Warning($"Model '{model}': the {method} intervals at FAR {string.Join(", ", rough)} are approximate: " +
                (pairs.Identities < 30 ? $"{pairs.Identities} identities are fewer than 30" : "fewer than 10 errors are expected there") +
                ", where the coverage study (bench/README.md) could not hold the stated level. FnmrUpper remains a valid one-sided bound with no error observed.");
        if (intervals.EerApproximate)
            _observer?.Warning($"Model '{model}': the {method} interval of the EER is approximate: " +
                (pairs.Identities < 30 ? $"{pairs.Identities} identities are fewer than 30"
                    : result.Eer * intervals.EerEffectivePairs < 10 ? "fewer than 10 errors are expected at it"
                    : "the identities have about one genuine pair each (two images), where the coverage study (bench/README.md) found it wider than it needs to be") +
                (pairs.Identities < 30 || result.Eer * intervals.EerEffectivePairs < 10 ? ", where the coverage study (bench/README.md) could not hold the stated level." : "."));
        _observer?.Progress(activity, "Done", completed: true);
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

    /// <summary>The interval method in words, with its definition's source, for the report's settings.</summary>
    private static string IntervalText(IntervalMethod method, VerificationOptions o)
    {
        int replicates = o.BootstrapCount > 0 ? o.BootstrapCount : VerificationOptions.DefaultIntervalReplicates;
        string what = method switch
        {
            IntervalMethod.Wilson => "Wilson score interval on the effective number of pairs (design effect of the identity clustering from the leave-one-identity-out jackknife, threshold chosen again; Schuckers 2010)",
            IntervalMethod.ClopperPearson => "Clopper–Pearson interval on the effective number of pairs (design effect from the leave-one-identity-out jackknife; Schuckers 2010)",
            IntervalMethod.Bca => $"BCa bootstrap over identities ({replicates:N0} replicates, seed {o.Seed}; Efron 1987)",
            _ => $"percentile bootstrap over identities ({replicates:N0} replicates, seed {o.Seed})",
        };
        return $"{method}: {what}; {o.ConfidenceLevel:P1} level two-sided, and one-sided upper bounds (FnmrUpper, EerUpper) at {o.ConfidenceLevel:P1}; no error observed: the clustered rule of three";
    }

    /// <summary>How this measurement was made, for the report (file names only, never a URL).</summary>
    private IReadOnlyList<ReportSetting> Settings(EvaluationSet embeddings, IReadOnlyList<ScoredPair> scored, (bool Same, string Text)? inputs, IReadOnlyList<ModelComparison> comparisons)
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
            new ReportSetting("Intervals", !o.WantsIntervals ? "none" : IntervalText(o.IntervalMethod ?? VerificationOptions.DefaultIntervalMethod, o)),
            new ReportSetting("Calibration", o.Calibrate ? $"linear log-likelihood ratio, cross-fitted over two halves of the identities (seed {o.Seed})" : "not measured"),
            new ReportSetting("Threshold transfer", o.TransferCheck == 0 ? "not checked" : $"{o.TransferCheck:N0} splits of the identities into halves, seed {o.Seed}"),
        };
        if (o.GroupBy.Count > 0)
            settings.Add(new ReportSetting("Subgroups", $"by {string.Join(", ", o.GroupBy)} at one global threshold, the strict threshold at FMR {o.GroupFar.ToString("0.#####e0", CultureInfo.InvariantCulture)} over all impostor pairs" +
                (o.AttributePath is null ? "" : $"; identity attributes from {Path.GetFileName(o.AttributePath)} (an image's own value wins)")));
        if (comparisons.Count > 0)
            settings.Add(new ReportSetting("Model comparison", $"paired identity bootstrap, {(o.BootstrapCount >= VerificationOptions.ComparisonMinimumReplicates ? o.BootstrapCount : VerificationOptions.ComparisonDefaultReplicates):N0} replicates, seed {o.Seed}, {o.ConfidenceLevel:P1} level; Holm-adjusted over pairs of models"));
        if (inputs is var (same, text))
            settings.Insert(2, new ReportSetting("Inputs per model", same ? text : $"DIFFERENT, so the models are not compared on the same pairs: {text}"));
        return settings;
    }
}
