namespace FaceEval.Core.Metrics;

/// <summary>
/// The counting path end to end: pass 1 counts, then refinement passes until every answer is exact
/// (usually one: the plan asks for each answer's bucket and its unresolved neighbours at once).
/// </summary>
public static class CountedVerification
{
    /// <summary>
    /// What the (merged) counts give: the summary when every answer is exact, else null and the plan to
    /// refine for next (its buckets include those of the counts' own plan).
    /// </summary>
    public static CountedSummary? TryMeasure(PairCounts merged, IReadOnlyList<double> targets, FarConvention convention, out CountPlan? next)
    {
        var m = new CountedMetrics(merged);
        var points = convention == FarConvention.Strict ? m.Strict(targets) : m.InsightFace(targets);
        var eer = m.Eer();
        var histogram = m.Histogram();
        var auc = m.Auc();
        if (m.Complete && auc is double a && eer is EerPoint e && histogram is not null && points.All(p => p is not null))
        {
            next = null;
            var (genuine, impostor) = m.Statistics();
            return new CountedSummary(e, m.ThinnedRoc(), points.Select(p => p!).ToArray(), a, genuine, impostor, histogram, m.GenuineCount, m.ImpostorCount);
        }
        next = new CountPlan((merged.Plan?.Buckets ?? Array.Empty<int>()).Concat(m.Needed).ToArray(), m.GenuineKeys());
        return null;
    }

    /// <summary>All pairs of the vectors, in one process: pass 1, then refinement passes until exact.</summary>
    /// <remarks>
    /// The arguments are those of <see cref="CountingPairScorer.Count"/>; <paramref name="log"/> is told what each pass did and how long it took.
    /// Where every impostor score fits in memory (<see cref="CountingPairScorer.KeptScoreLimit"/> pairs), pass 1 keeps
    /// them, refinement reads them back, and <paramref name="folds"/> &gt; 0 (k, capped at the number of pairs; seeded by
    /// <paramref name="seed"/>) adds k-fold accuracy over every pair
    /// (<see cref="KFold.Accuracy(ReadOnlyMemory{float}, ReadOnlyMemory{float}, long, long, int, int, CancellationToken)"/>
    /// on the lists in the sorted path's order, so both paths give the same folds); above that, k-fold is not measured.
    /// </remarks>
    public static CountedSummary Measure(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, IReadOnlyList<double> targets, FarConvention convention,
        int folds = 0, int seed = 0, Action<string>? log = null, CancellationToken cancellation = default) =>
        Measure(vectors, dimension, ids, ok, targets, convention, CanKeep(ids.Length), folds, seed, log, cancellation);

    /// <summary>Whether all pairs of <paramref name="items"/> embeddings are few enough for pass 1 to keep their impostor scores.</summary>
    public static bool CanKeep(int items) => (long)items * (items - 1) / 2 <= CountingPairScorer.KeptScoreLimit;

    /// <summary>As above, keeping the impostor scores (needed for k-fold) or scoring the pairs again in every refinement pass.</summary>
    internal static CountedSummary Measure(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, IReadOnlyList<double> targets, FarConvention convention,
        bool keep, int folds = 0, int seed = 0, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var counts = CountingPairScorer.Count(vectors, dimension, ids, ok, keepImpostorScores: keep, cancellation: cancellation);
        log?.Invoke($"counted {counts.Genuine.LongLength + counts.ImpostorScored:N0} pairs in {watch.Elapsed.TotalSeconds:F2} s");
        for (int pass = 2; ; pass++)
        {
            watch.Restart();
            var summary = TryMeasure(counts, targets, convention, out var plan);
            if (summary is not null)
            {
                if (folds == 0 || counts.ImpostorScores is not { } impostor) return summary;
                watch.Restart();
                long total = summary.GenuineCount + summary.ImpostorCount;
                var kFold = KFold.Accuracy(counts.Genuine, impostor, counts.GenuineFailures, counts.ImpostorFailures, KFold.FoldsFor(folds, total), seed, cancellation);
                log?.Invoke($"{kFold.Accuracies.Length}-fold accuracy in {watch.Elapsed.TotalSeconds:F2} s");
                return summary with { KFold = kFold };
            }
            if (counts.Plan is { } done && plan!.Buckets.Length == done.Buckets.Length)
                throw new InvalidOperationException("A refinement pass resolved nothing new."); // cannot happen: every request is an unresolved bucket
            CountingPairScorer.Refine(counts, vectors, dimension, ids, ok, plan!, cancellation);
            log?.Invoke($"pass {pass}: resolved {plan!.Buckets.Length} buckets in {watch.Elapsed.TotalSeconds:F2} s");
        }
    }

    /// <summary>Scores given as lists (the counting path on pairs scored elsewhere): the same passes, sequentially.</summary>
    public static CountedSummary MeasureScores(float[] genuine, float[] impostor, long genuineFailures, long impostorFailures, IReadOnlyList<double> targets, FarConvention convention)
    {
        foreach (var v in genuine) if (!float.IsFinite(v)) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"A genuine score is {v}: every score must be a finite number.");
        foreach (var v in impostor) if (!float.IsFinite(v)) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"An impostor score is {v}: every score must be a finite number.");
        var counts = PairCounts.FromScores(genuine, impostor, genuineFailures, impostorFailures);
        while (true)
        {
            var summary = TryMeasure(counts, targets, convention, out var plan);
            if (summary is not null) return summary;
            counts.RefineFromScores(impostor, plan!);
        }
    }
}
