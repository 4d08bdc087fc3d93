using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>One model's refinement plan in a plan file: what every block must resolve next.</summary>
public sealed record VerificationPlanEntry(string Model, string Fingerprint, CountPlan Plan);
