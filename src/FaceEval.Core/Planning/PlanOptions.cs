namespace FaceEval.Core.Planning;

/// <summary>What <see cref="EvaluationPlanner"/> plans with: the models, the account's limits, the window.</summary>
public sealed record PlanOptions
{
    public required IReadOnlyList<string> Models { get; init; }
    public required double RequestsPerSecond { get; init; }
    public int ThrottleLimit { get; init; } = 4;
    public double ExpectedLatencyMs { get; init; }
    public double RetryShare { get; init; } = 0.05;
    public string RetryShareSource { get; init; } = "assumed";
    public int Canary { get; init; }
    public int CanaryInterval { get; init; }
    public required DateTimeOffset WindowStart { get; init; }
    public double WindowDays { get; init; } = 14;
    public double Margin { get; init; } = 0.5;
    public IReadOnlyList<double> FarTargets { get; init; } = new[] { 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };
    /// <summary>The share of identities never enrolled in the 1:N split (Measure-FaceIdentification's default).</summary>
    public double NonMatedShare { get; init; } = 0.5;
}
