using System.Globalization;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// Combines the states of the blocks of a split run (<c>-PairBlock i/n -SaveState</c>) into the results
/// of one run over all pairs. The states must be one split: the same number of blocks, each block exactly
/// once, the same targets, convention and failure-to-enrol handling, each model counted on the same
/// embeddings (fingerprint) and refined for the same plan. When the merged counts do not yet settle every
/// answer, the result is the plan every block must be refined for next.
/// </summary>
public static class VerificationStateMerge
{
    /// <exception cref="FaceEvalException">StateMismatch naming the file and what differs.</exception>
    public static (IReadOnlyList<VerificationResult> Results, IReadOnlyList<VerificationPlanEntry> Plans) Merge(IReadOnlyList<(string Path, VerificationState State)> states)
    {
        if (states.Count == 0) throw new FaceEvalException(FaceEvalError.NoInput, "No verification state files came in: give the files that Measure-FaceVerification -SaveState wrote.");
        var (firstPath, first) = states[0];
        static string Name(string path) => Path.GetFileName(path);
        string Targets(IReadOnlyList<double> t) => string.Join(", ", t.Select(x => x.ToString("0.#####e0", CultureInfo.InvariantCulture)));
        foreach (var (path, s) in states.Skip(1))
        {
            if (s.BlockCount != first.BlockCount)
                throw Mismatch(path, $"'{Name(path)}' is block {s.BlockIndex} of {s.BlockCount}, but '{Name(firstPath)}' is block {first.BlockIndex} of {first.BlockCount}: merge the blocks of one split (the same n in -PairBlock i/n).");
            if (!s.FarTargets.SequenceEqual(first.FarTargets))
                throw Mismatch(path, $"'{Name(path)}' was counted for target FARs {Targets(s.FarTargets)}, '{Name(firstPath)}' for {Targets(first.FarTargets)}: give every block the same -FarTarget.");
            if (s.Convention != first.Convention)
                throw Mismatch(path, $"'{Name(path)}' was counted with -Convention {s.Convention}, '{Name(firstPath)}' with {first.Convention}: give every block the same -Convention.");
            if (s.FailureToEnrol != first.FailureToEnrol)
                throw Mismatch(path, $"'{Name(path)}' was counted with -FailureToEnrol {s.FailureToEnrol}, '{Name(firstPath)}' with {first.FailureToEnrol}: give every block the same -FailureToEnrol.");
        }
        var byBlock = states.GroupBy(s => s.State.BlockIndex).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (index, list) in byBlock)
            if (list.Count > 1)
                throw Mismatch(list[1].Path, $"Block {index} of {first.BlockCount} is given twice ('{Name(list[0].Path)}' and '{Name(list[1].Path)}'): give each block once.");
        var missing = Enumerable.Range(1, first.BlockCount).Where(i => !byBlock.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            throw Mismatch(firstPath, $"Block(s) {string.Join(", ", missing)} of {first.BlockCount} are missing: every block of the split must be counted (Measure-FaceVerification -PairBlock i/{first.BlockCount} -SaveState) and merged.");

        var results = new List<VerificationResult>();
        var plans = new List<VerificationPlanEntry>();
        var models = first.Models.Select(m => m.Model).ToList();
        foreach (var (path, s) in states)
        {
            var these = s.Models.Select(m => m.Model).ToList();
            if (!these.Order(StringComparer.Ordinal).SequenceEqual(models.Order(StringComparer.Ordinal)))
                throw Mismatch(path, $"'{Name(path)}' holds model(s) {string.Join(", ", these.Select(m => $"'{m}'"))}, but '{Name(firstPath)}' holds {string.Join(", ", models.Select(m => $"'{m}'"))}: every block must measure the same models.");
        }
        foreach (var model in models.Order(StringComparer.Ordinal))
        {
            var parts = states.Select(s => (s.Path, Entry: s.State.Models.First(m => m.Model == model))).ToList();
            var reference = parts[0];
            foreach (var (path, entry) in parts.Skip(1))
            {
                if (entry.Fingerprint != reference.Entry.Fingerprint)
                    throw Mismatch(path, $"Model '{model}': '{Name(path)}' was counted on other embeddings than '{Name(reference.Path)}' (their fingerprints differ). Every block must read the same embeddings, in the same order.");
                if (entry.Counts.Plan?.Id != reference.Entry.Counts.Plan?.Id)
                    throw Mismatch(path, $"Model '{model}': '{Name(path)}' and '{Name(reference.Path)}' were refined for different plans{(entry.Counts.Plan is null || reference.Entry.Counts.Plan is null ? " (one for none)" : "")}. Run every block with the same -Plan file.");
            }
            var merged = PairCounts.Merge(parts.Select(p => p.Entry.Counts).ToList());
            var summary = CountedVerification.TryMeasure(merged, first.FarTargets, first.Convention, out var next);
            if (summary is null) plans.Add(new VerificationPlanEntry(model, reference.Entry.Fingerprint, next!));
            else results.Add(CountedVerificationEvaluator.Evaluate(model, summary, first.Convention, reference.Entry.FailureToEnrol, first.FailureToEnrol == FailureToEnrolHandling.Exclude));
        }
        return (results, plans);
    }

    private static FaceEvalException Mismatch(string path, string message) => new(FaceEvalError.StateMismatch, message, path);
}
