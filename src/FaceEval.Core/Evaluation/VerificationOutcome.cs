
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Evaluation;

/// <summary>What a verification run produced: one result per model (same pairs), and how it was measured.</summary>
/// <param name="Results">One per model, scored-pair models first, then embedding models, each in ordinal order.</param>
/// <param name="Settings">The settings as the report shows them (never an endpoint).</param>
/// <param name="Comparisons">With <see cref="VerificationOptions.CompareModels"/> and two or more models: the paired comparisons (<see cref="ComparisonRun"/>); otherwise empty.</param>
public sealed record VerificationOutcome(IReadOnlyList<VerificationResult> Results, IReadOnlyList<ReportSetting> Settings, IReadOnlyList<ModelComparison> Comparisons)
{
    public VerificationOutcome(IReadOnlyList<VerificationResult> results, IReadOnlyList<ReportSetting> settings) : this(results, settings, Array.Empty<ModelComparison>()) { }
}
