
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Evaluation;

/// <summary>What a verification run produced: one result per model (same pairs), and how it was measured.</summary>
/// <param name="Results">One per model, scored-pair models first, then embedding models, each in ordinal order.</param>
/// <param name="Settings">The settings as the report shows them (never an endpoint).</param>
public sealed record VerificationOutcome(IReadOnlyList<VerificationResult> Results, IReadOnlyList<ReportSetting> Settings);
