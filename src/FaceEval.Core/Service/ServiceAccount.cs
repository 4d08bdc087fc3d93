using System.Globalization;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Service;

/// <summary>
/// The account of the service from run manifests: per model, what was sent and how it ended, the requests and
/// 429s, latency percentiles (nearest rank, <see cref="NearestRank"/>), throughput, rate-limit waits, the
/// canaries' findings, and the same hour by hour for long runs. Reads only the manifests' rows.
/// </summary>
public static class ServiceAccount
{
    /// <summary>A canary whose cosine to its first embedding is below this has drifted.</summary>
    public const double CanaryTolerance = 1e-4;

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>One account per model, in the order the models first appear.</summary>
    public static IReadOnlyList<EmbeddingRunAccount> Of(IEnumerable<ManifestRow> rows) =>
        rows.GroupBy(r => r.Model, StringComparer.Ordinal).Select(g => Account(g.Key, g.ToList())).ToList();

    private static EmbeddingRunAccount Account(string model, IReadOnlyList<ManifestRow> all)
    {
        var items = all.Where(r => r.Kind != ManifestRow.CanaryKind).ToList();
        var canaries = all.Where(r => r.Kind == ManifestRow.CanaryKind).ToList();
        int ok = items.Count(r => r.Status == RunManifest.StatusOk);
        int noFace = items.Count(r => r.Status == RunManifest.StatusNoFace);
        var failed = items.Where(r => r.Status == RunManifest.StatusError).ToList();
        var latencies = Latencies(items);
        var sorted = latencies.OrderBy(x => x).ToArray();
        var start = all.Select(StartOf).Where(t => t is not null).Min();
        var end = all.Max(r => (DateTimeOffset?)r.Time);
        var span = start is { } s && end is { } e && e > s ? e - s : TimeSpan.Zero;
        long requests = items.Sum(r => (long)r.Attempts);
        long allRequests = requests + canaries.Sum(r => (long)Math.Max(1, r.Attempts));
        var findings = new List<string>();
        if (items.Count > 0 && items.All(r => r.LatencyMs is null))
            findings.Add("The manifest predates latency records (written by an older FaceEval): no latency percentiles, throughput from the row times only.");
        var dimensions = all.Where(r => r.Status == RunManifest.StatusOk && r.Dimension is not null).Select(r => r.Dimension!.Value).Distinct().ToList();
        if (dimensions.Count > 1 || failed.Any(r => r.ErrorId == nameof(FaceEvalError.DimensionMismatch)))
            findings.Add($"The model changed during the run: its vectors have {(dimensions.Count > 1 ? string.Join(" and ", dimensions.Select(d => d.ToString(s_inv))) + " numbers" : "changed their length")}.");
        findings.AddRange(CanaryFindings(canaries));
        return new EmbeddingRunAccount
        {
            Model = model,
            Items = items.Count, Ok = ok, NoFace = noFace,
            FailureToEnrolRate = ok + noFace == 0 ? double.NaN : (double)noFace / (ok + noFace),
            Failed = failed.Count,
            FailedBy = failed.GroupBy(r => r.ErrorId ?? "Unknown", StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Requests = requests,
            AttemptsDistribution = items.GroupBy(r => r.Attempts).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Answers = items.SelectMany(r => r.Statuses ?? Array.Empty<int>()).GroupBy(s => s).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            Throttled = items.Sum(r => (long)(r.Throttled ?? 0)) + canaries.Sum(r => (long)(r.Throttled ?? 0)),
            LatencySamples = sorted.Length,
            LatencyP50Ms = NearestRank.Percentile(sorted, 50),
            LatencyP90Ms = NearestRank.Percentile(sorted, 90),
            LatencyP95Ms = NearestRank.Percentile(sorted, 95),
            LatencyP99Ms = NearestRank.Percentile(sorted, 99),
            LatencyMaxMs = sorted.Length == 0 ? double.NaN : sorted[^1],
            Latencies = latencies,
            Start = start, End = end, Span = span,
            ItemsPerSecond = span > TimeSpan.Zero ? ok / span.TotalSeconds : double.NaN,
            RequestsPerSecond = span > TimeSpan.Zero ? allRequests / span.TotalSeconds : double.NaN,
            RateLimitWait = TimeSpan.FromMilliseconds(all.Sum(r => r.RateWaitMs ?? 0)),
            // Consent coverage (#19): the latest row of each item says under what it was sent.
            ConsentGiven = items.Count(r => r.Consent == "given"), ConsentNone = items.Count(r => r.Consent == "none"), ConsentUnknown = items.Count(r => r.Consent is null),
            CanaryRequests = (int)canaries.Sum(r => (long)Math.Max(1, r.Attempts)),
            CanaryMinCosine = canaries.Where(r => r.CanaryCosine is not null).Select(r => r.CanaryCosine!.Value).DefaultIfEmpty(double.NaN).Min(),
            Findings = findings,
            Hours = span > TimeSpan.FromHours(1) ? Hours(model, items) : Array.Empty<EmbeddingRunHour>(),
        };
    }

    /// <summary>The successful items' latencies in ms, in row order.</summary>
    private static double[] Latencies(IEnumerable<ManifestRow> items) =>
        items.Where(r => r.Status == RunManifest.StatusOk && r.LatencyMs is not null).Select(r => r.LatencyMs!.Value).ToArray();

    /// <summary>When the row's first request went out: recorded, or (older manifests) its time less its elapsed time.</summary>
    private static DateTimeOffset? StartOf(ManifestRow r) => r.Started ?? r.Time - TimeSpan.FromMilliseconds(r.ElapsedMs);

    private static IReadOnlyList<EmbeddingRunHour> Hours(string model, IReadOnlyList<ManifestRow> items) =>
        items.GroupBy(r => new DateTimeOffset(r.Time.UtcDateTime.Year, r.Time.UtcDateTime.Month, r.Time.UtcDateTime.Day, r.Time.UtcDateTime.Hour, 0, 0, TimeSpan.Zero))
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var sorted = Latencies(g).OrderBy(x => x).ToArray();
                return new EmbeddingRunHour
                {
                    Model = model, Hour = g.Key, Items = g.Count(),
                    Ok = g.Count(r => r.Status == RunManifest.StatusOk), NoFace = g.Count(r => r.Status == RunManifest.StatusNoFace),
                    Failed = g.Count(r => r.Status == RunManifest.StatusError),
                    Requests = g.Sum(r => (long)r.Attempts), Throttled = g.Sum(r => (long)(r.Throttled ?? 0)),
                    LatencyP50Ms = NearestRank.Percentile(sorted, 50), LatencyP95Ms = NearestRank.Percentile(sorted, 95),
                };
            }).ToList();

    /// <summary>
    /// What the canaries say. A check fails when its cosine to the canary's first embedding is below
    /// 1 − <see cref="CanaryTolerance"/>, its dimension differs, or it was refused as a protocol error (a changed
    /// model_name). When every canary fails its last check, the model changed during the run; when some check
    /// failed but the last ones did not all fail, the answers are not deterministic.
    /// </summary>
    public static IReadOnlyList<string> CanaryFindings(IReadOnlyList<ManifestRow> canaries)
    {
        var findings = new List<string>();
        var bySource = canaries.GroupBy(r => r.Source, StringComparer.Ordinal).ToList();
        if (bySource.Count == 0) return findings;
        var failedChecks = new List<ManifestRow>();
        int lastFailed = 0;
        foreach (var canary in bySource)
        {
            var rows = canary.OrderBy(r => r.Time).ToList();
            int? dimension = rows.FirstOrDefault(r => r.CanaryPhase == "start" && r.Status == RunManifest.StatusOk)?.Dimension;
            bool Fails(ManifestRow r) => r.CanaryPhase != "start" && (
                r.CanaryCosine is double c && c < 1 - CanaryTolerance ||
                r.Dimension is int d && dimension is int d0 && d != d0 ||
                r.ErrorId == nameof(FaceEvalError.ProtocolError) || r.ErrorId == nameof(FaceEvalError.DimensionMismatch));
            failedChecks.AddRange(rows.Where(Fails));
            var last = rows.LastOrDefault(r => r.CanaryPhase != "start");
            if (last is not null && Fails(last)) lastFailed++;
        }
        if (failedChecks.Count == 0) return findings;
        var first = failedChecks.MinBy(r => r.Time)!;
        string when = first.Time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", s_inv) + " UTC";
        double min = failedChecks.Where(r => r.CanaryCosine is not null).Select(r => r.CanaryCosine!.Value).DefaultIfEmpty(double.NaN).Min();
        string cosine = double.IsNaN(min) ? "" : $"; lowest cosine to the first embedding {min.ToString("0.000000", s_inv)}";
        findings.Add(lastFailed == bySource.Count
            ? $"The model changed during the run: every canary's embedding differs from its first one (first seen {when}{cosine}). Vectors from before and after cannot be compared; embed again after the change."
            : $"The answers are not deterministic: {failedChecks.Count} canary check(s) differ from the first embedding (first at {when}{cosine}), but not every canary at its last check.");
        return findings;
    }
}
