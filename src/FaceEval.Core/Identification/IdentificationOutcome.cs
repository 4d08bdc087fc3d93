using FaceEval.Core.Reporting;

namespace FaceEval.Core.Identification;

/// <summary>What an identification run produced: one result per model, and how it was measured.</summary>
/// <param name="Results">One per model, in ordinal order.</param>
/// <param name="Settings">The settings as the report shows them.</param>
public sealed record IdentificationOutcome(IReadOnlyList<IdentificationResult> Results, IReadOnlyList<ReportSetting> Settings);
