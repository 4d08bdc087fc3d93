namespace FaceEval;

/// <summary>
/// The plan of an evaluation before the endpoint arrives (Get-FaceEvalPlan): what the test set gives (pairs,
/// which FAR targets it can measure, the 1:N counts), what it costs at the account's rate limit, and whether
/// it fits the window with its margin, with what to cut when not. <see cref="Summary"/> is the same as text
/// for the evaluation protocol document.
/// </summary>
public sealed record EvaluationPlan
{
    public IReadOnlyList<string> Models { get; init; } = Array.Empty<string>();
    /// <summary>Images (crops) in the test set.</summary>
    public int Images { get; init; }
    /// <summary>Images that carry a consent reference (ConsentRef): the same for every model, since every model is sent every image.</summary>
    public int ImagesWithConsent { get; init; }
    /// <summary>Images without one: -RequireConsent would not send them.</summary>
    public int ImagesWithoutConsent { get; init; }
    public int Identities { get; init; }
    /// <summary>Identities with fewer than two images: they give no genuine pair (only impostor pairs and non-mated searches).</summary>
    public IReadOnlyList<string> IdentitiesWithOneImage { get; init; } = Array.Empty<string>();
    /// <summary>Σ nᵢ(nᵢ − 1)/2 over identities: every pair of images of one person.</summary>
    public long GenuinePairs { get; init; }
    /// <summary>(N² − Σ nᵢ²)/2: every pair of images of two different people.</summary>
    public long ImpostorPairs { get; init; }
    /// <summary>The account's rate limit, requests per second.</summary>
    public double RequestsPerSecond { get; init; }
    public int ThrottleLimit { get; init; }
    /// <summary>The latency assumed per request in ms (0: none, the rate limit alone decides).</summary>
    public double ExpectedLatencyMs { get; init; }
    /// <summary>The rate the run can keep: the rate limit, or ThrottleLimit requests per latency when that is lower.</summary>
    public double EffectiveRate { get; init; }
    /// <summary>Extra requests per item for retries (0.05: 5 % more requests than items).</summary>
    public double RetryShare { get; init; }
    /// <summary>Where <see cref="RetryShare"/> comes from: "assumed" (-RetryShare) or "observed" (-RunManifest).</summary>
    public string RetryShareSource { get; init; } = "assumed";
    /// <summary>Drift canaries per model run (Invoke-FaceEmbedding -Canary) and the items between their checks (0: at start and end only).</summary>
    public int Canary { get; init; }
    public int CanaryInterval { get; init; }
    /// <summary>Canary requests per model: Canary × (2 + ⌊Images / CanaryInterval⌋), or Canary × 2 without an interval (before retries).</summary>
    public long CanaryRequestsPerModel { get; init; }
    /// <summary>⌈(Images + CanaryRequestsPerModel) × (1 + RetryShare)⌉.</summary>
    public long RequestsPerModel { get; init; }
    public long TotalRequests { get; init; }
    /// <summary>RequestsPerModel / EffectiveRate.</summary>
    public TimeSpan TimePerModel { get; init; }
    public TimeSpan TotalTime { get; init; }
    public DateTimeOffset WindowStart { get; init; }
    public DateTimeOffset WindowEnd { get; init; }
    /// <summary>The share of the window kept free (re-runs, a slow day, the analysis): 0.5 leaves room to run everything twice.</summary>
    public double Margin { get; init; }
    /// <summary>(WindowEnd − WindowStart) × (1 − Margin): the time the plan may take.</summary>
    public TimeSpan Budget { get; init; }
    /// <summary>True when TotalTime ≤ Budget.</summary>
    public bool Fits { get; init; }
    /// <summary>How many of the models fit in the budget with all images.</summary>
    public int ModelsThatFit { get; init; }
    /// <summary>The most images per identity that fit with every model (0 when even one does not).</summary>
    public int ImagesPerIdentityThatFit { get; init; }
    /// <summary>What to cut when the plan does not fit; empty when it does.</summary>
    public string Advice { get; init; } = "";
    public IReadOnlyList<PlanFarTarget> FarTargets { get; init; } = Array.Empty<PlanFarTarget>();
    /// <summary>1:N with Measure-FaceIdentification's default seeded split (half the identities never enrolled, one enrolment image each): expected gallery templates, mated and non-mated searches.</summary>
    public int GalleryTemplates { get; init; }
    public int MatedSearches { get; init; }
    public int NonMatedSearches { get; init; }
    /// <summary>The plan as text for the evaluation protocol document.</summary>
    public string Summary { get; init; } = "";

    public override string ToString() => Summary;
}
