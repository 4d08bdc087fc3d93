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
    /// <remarks>The arguments are those of <see cref="CountingPairScorer.Count"/>; <paramref name="log"/> is told what each pass did and how long it took.</remarks>
    public static CountedSummary Measure(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, IReadOnlyList<double> targets, FarConvention convention,
        Action<string>? log = null, CancellationToken cancellation = default) =>
        // Where every impostor score fits in memory, pass 1 keeps them and refinement reads them back.
        Measure(vectors, dimension, ids, ok, targets, convention, (long)ids.Length * (ids.Length - 1) / 2 <= CountingPairScorer.KeptScoreLimit, log, cancellation);

    /// <summary>As above, keeping the impostor scores or scoring the pairs again in every refinement pass.</summary>
    internal static CountedSummary Measure(ReadOnlyMemory<float> vectors, int dimension, int[] ids, bool[] ok, IReadOnlyList<double> targets, FarConvention convention,
        bool keep, Action<string>? log = null, CancellationToken cancellation = default)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var counts = CountingPairScorer.Count(vectors, dimension, ids, ok, keepImpostorScores: keep, cancellation: cancellation);
        log?.Invoke($"counted {counts.Genuine.LongLength + counts.ImpostorScored:N0} pairs in {watch.Elapsed.TotalSeconds:F2} s");
        for (int pass = 2; ; pass++)
        {
            watch.Restart();
            var summary = TryMeasure(counts, targets, convention, out var plan);
            if (summary is not null) return summary;
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
