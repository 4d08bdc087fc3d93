using System.Diagnostics;
using FaceEval.Core.IO;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>All pairs by counting (<see cref="CountedVerification"/>), whole or split into blocks with saved state.</summary>
public sealed partial class VerificationRun
{
    private readonly List<VerificationModelState> _states = new();

    /// <summary>
    /// Whether all pairs of <paramref name="items"/> embeddings are measured by counting rather than by storing
    /// and sorting every score: always for a split run or saved state; never when something needs the stored
    /// scores (bootstrap, transfer check, calibration, subgroups, an impostor sample); otherwise without k-fold,
    /// or from <see cref="VerificationOptions.CountedKFoldFrom"/> pairs with it (k-fold then reads the impostor
    /// scores pass 1 keeps). Both paths give the same numbers, k-fold included (the counting path's ROC has
    /// other sample points).
    /// </summary>
    private bool UseCounts(int items)
    {
        var o = _options;
        if (o.PairBlock is not null || o.StatePath is not null) return true;
        if (NeedsScores(o)) return false;
        return o.FoldCount == 0 || (long)items * (items - 1) / 2 >= VerificationOptions.CountedKFoldFrom;
    }

    /// <summary>Options whose analyses work on the stored scores (a sample, intervals by identity, threshold transfer,
    /// calibration, subgroups), so that the run takes the sorted path whatever its size.</summary>
    private static bool NeedsScores(VerificationOptions o) =>
        o.ImpostorSample > 0 || o.WantsIntervals || o.TransferCheck > 0 || o.Calibrate || o.GroupBy.Count > 0;

    private VerificationResult? FromCounts(string model, List<EvaluationItem> usable, int failures, bool exclude)
    {
        var o = _options;
        bool split = o.PairBlock is not null || o.StatePath is not null;
        if (split && NeedsScores(o))
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-PairBlock and -SaveState count the pairs without storing their scores; -ImpostorSample, -BootstrapCount, -IntervalMethod, -TransferCheck, -Calibrate and -GroupBy need the scores: leave them out, or leave out -PairBlock and -SaveState.", model);
        string activity = $"Measuring model '{model}'";
        int n = usable.Count;
        var vectors = usable.Select(e => e.Vector).ToArray();
        int dimension = Measurable(model, () => PairScorer.CommonDimension(vectors));
        var ids = IdentityIndex.Of(usable.Select(e => e.Identity!).ToArray(), out _);
        var ok = vectors.Select(v => v.Length > 0).ToArray();
        var matrix = new float[(long)n * dimension];
        for (int i = 0; i < n; i++) vectors[i].CopyTo(matrix, (long)i * dimension);
        long pairs = (long)n * (n - 1) / 2;
        if (o.FoldCount > 0 && !split && !CountedVerification.CanKeep(n))
            _observer?.Warning($"Model '{model}': k-fold accuracy is not measured for {pairs:N0} pairs: it reads every impostor score, which is kept in memory up to {CountingPairScorer.KeptScoreLimit:N0} pairs. " +
                "Every other number is exact, from counts. Give -FoldCount 0 to leave it out without this warning.");
        void Log(string line) => _observer?.Detail($"Model '{model}': {line}.");
        var watch = Stopwatch.StartNew();
        if (!split)
        {
            _observer?.Progress(activity, $"Counting the scores of all {pairs:N0} pairs of {n:N0} embeddings");
            var summary = Measurable(model, () => CountedVerification.Measure(matrix, dimension, ids, ok, o.FarTargets, o.Convention, o.FoldCount, o.Seed, Log, _cancellation));
            _observer?.Progress(activity, "Done", completed: true);
            return CountedVerificationEvaluator.Evaluate(model, summary, o.Convention, failures, exclude);
        }

        var (index, count) = o.PairBlock ?? (1, 1);
        string fingerprint = SetFingerprint.Of(matrix, dimension, ids, ok);
        CountPlan? plan = null;
        if (o.PlanPath is not null)
        {
            var entry = VerificationStateFile.ReadPlan(o.PlanPath).FirstOrDefault(p => p.Model == model)
                ?? throw new FaceEvalException(FaceEvalError.StateMismatch, $"The plan '{Path.GetFileName(o.PlanPath)}' has nothing for model '{model}': it was written for the blocks of other models.", o.PlanPath);
            if (entry.Fingerprint != fingerprint)
                throw new FaceEvalException(FaceEvalError.StateMismatch, $"The plan '{Path.GetFileName(o.PlanPath)}' was made for other embeddings of model '{model}' (the fingerprints differ): give this block the embeddings it was counted on, in the same order.", o.PlanPath);
            plan = entry.Plan;
        }
        // With a plan, the first pass's counts of this block are read back from its earlier state when it has them.
        PairCounts? counts = null;
        if (plan is not null && o.StatePath is not null && File.Exists(o.StatePath))
        {
            var earlier = VerificationStateFile.Read(o.StatePath);
            var mine = earlier.Models.FirstOrDefault(m => m.Model == model);
            if (earlier.BlockIndex == index && earlier.BlockCount == count && mine is not null && mine.Fingerprint == fingerprint)
            {
                counts = mine.Counts;
                Log($"read the counts of block {index} of {count} back from {Path.GetFileName(o.StatePath)}");
            }
        }
        if (counts is null)
        {
            _observer?.Progress(activity, $"Counting block {index} of {count} of the {pairs:N0} pairs");
            counts = Measurable(model, () => CountingPairScorer.Count(matrix, dimension, ids, ok, index, count, cancellation: _cancellation));
            Log($"counted block {index} of {count} ({counts.Genuine.LongLength + counts.ImpostorScored:N0} pairs) in {watch.Elapsed.TotalSeconds:F2} s");
        }
        if (plan is not null)
        {
            watch.Restart();
            _observer?.Progress(activity, $"Refining block {index} of {count}: {plan.Buckets.Length} buckets");
            CountingPairScorer.Refine(counts, matrix, dimension, ids, ok, plan, _cancellation);
            Log($"refined block {index} of {count} for {plan.Buckets.Length} buckets in {watch.Elapsed.TotalSeconds:F2} s");
        }
        VerificationResult? result = null;
        if (count == 1)
        {
            // All pairs in this process: refine until exact, then the saved state merges into the same result alone.
            CountedSummary? summary;
            while ((summary = Measurable(model, () => CountedVerification.TryMeasure(counts, o.FarTargets, o.Convention, out var next) is { } s ? s : Refined(next!))) is null) { }
            result = CountedVerificationEvaluator.Evaluate(model, summary, o.Convention, failures, exclude);

            CountedSummary? Refined(CountPlan next)
            {
                CountingPairScorer.Refine(counts, matrix, dimension, ids, ok, next, _cancellation);
                return null;
            }
        }
        _observer?.Progress(activity, "Done", completed: true);
        _states.Add(new VerificationModelState(model, fingerprint, dimension, failures, counts));
        return result;
    }

    /// <summary>Writes the counts of every model measured by counting to <see cref="VerificationOptions.StatePath"/>.</summary>
    private void SaveState()
    {
        if (_options.StatePath is not { } path || _states.Count == 0) return;
        var (index, count) = _options.PairBlock ?? (1, 1);
        VerificationStateFile.Write(path, new VerificationState
        {
            BlockIndex = index, BlockCount = count, FarTargets = _options.FarTargets.ToArray(), Convention = _options.Convention,
            FailureToEnrol = _options.FailureToEnrol, Models = _states,
        });
        _observer?.Detail($"Saved the counts of block {index} of {count} ({_states.Count} model(s)) to {Path.GetFileName(path)}.");
    }
}
