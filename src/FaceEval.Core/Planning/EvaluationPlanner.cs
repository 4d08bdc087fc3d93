using System.Globalization;
using System.Text;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Planning;

/// <summary>
/// The arithmetic of an evaluation plan (Get-FaceEvalPlan): requests and time at the rate limit, whether they
/// fit the window with its margin and what to cut when not, the pairs the set gives and which FAR targets they
/// can measure, and the 1:N counts of the default split. Every number is a closed formula written on
/// <see cref="EvaluationPlan"/>; nothing is sent anywhere.
/// </summary>
public static class EvaluationPlanner
{
    /// <summary>Expected false accepts at the target for an interval worth reporting (Doddington's Rule of 30).</summary>
    public const int UsefulFalseAccepts = 30;

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static EvaluationPlan Plan(IReadOnlyList<PlanItem> items, PlanOptions o)
    {
        if (o.Models.Count == 0) throw new ArgumentException("Give at least one model to plan for.", nameof(o));
        if (!(o.RequestsPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(o), "The rate limit must be above 0 requests per second.");
        var counts = items.GroupBy(i => i.Identity ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        long n = items.Count;
        long genuine = counts.Values.Sum(c => (long)c * (c - 1) / 2);
        long impostor = (n * n - counts.Values.Sum(c => (long)c * c)) / 2;
        double rate = o.ExpectedLatencyMs > 0 ? Math.Min(o.RequestsPerSecond, o.ThrottleLimit * 1000.0 / o.ExpectedLatencyMs) : o.RequestsPerSecond;

        long canaryRequests = CanaryRequests(o, items.Count);
        long perModel = Requests(items.Count, canaryRequests, o.RetryShare);
        var timePerModel = TimeSpan.FromSeconds(perModel / rate);
        var total = TimeSpan.FromSeconds(perModel * o.Models.Count / rate);
        var window = TimeSpan.FromDays(o.WindowDays);
        var budget = window * (1 - o.Margin);
        bool fits = total <= budget;
        int modelsThatFit = timePerModel <= TimeSpan.Zero ? o.Models.Count : (int)Math.Min(o.Models.Count, Math.Floor(budget / timePerModel));
        int perIdentity = ImagesPerIdentityThatFit(counts.Values.ToList(), o, rate, budget);

        var targets = o.FarTargets.Select(far => new PlanFarTarget
        {
            TargetFar = far, ImpostorPairs = impostor,
            PairsNeeded = (long)Math.Ceiling(1 / far - 1e-9), Estimable = VerificationMetrics.IsEstimable(impostor, far),
            ExpectedFalseAccepts = far * impostor,
            PairsForUsefulInterval = (long)Math.Ceiling(UsefulFalseAccepts / far - 1e-9),
            UsefulInterval = far * impostor >= UsefulFalseAccepts - 1e-9,
        }).ToList();

        // 1:N, Measure-FaceIdentification's default split: a seeded NonMatedShare of the identities is never enrolled; every other
        // identity enrols its first image and searches with the rest. The counts are the expectation over the draw.
        int identities = counts.Count;
        int nonMatedIds = (int)Math.Round(identities * o.NonMatedShare, MidpointRounding.AwayFromZero);
        int enrolled = identities - nonMatedIds;
        double enrolledShare = identities == 0 ? 0 : (double)enrolled / identities;
        int mated = (int)Math.Round(counts.Values.Sum(c => c - 1) * enrolledShare);
        int nonMated = (int)Math.Round(n * (1 - enrolledShare));

        var oneImage = counts.Where(c => c.Value < 2).Select(c => c.Key.Length == 0 ? "(no identity)" : c.Key).OrderBy(x => x, StringComparer.Ordinal).ToList();
        string advice = fits ? "" : Advice(o, modelsThatFit, perIdentity, counts.Values.Max());
        var plan = new EvaluationPlan
        {
            Models = o.Models, Images = items.Count, Identities = identities, IdentitiesWithOneImage = oneImage,
            ImagesWithConsent = items.Count(i => !string.IsNullOrWhiteSpace(i.ConsentRef)), ImagesWithoutConsent = items.Count(i => string.IsNullOrWhiteSpace(i.ConsentRef)),
            GenuinePairs = genuine, ImpostorPairs = impostor,
            RequestsPerSecond = o.RequestsPerSecond, ThrottleLimit = o.ThrottleLimit, ExpectedLatencyMs = o.ExpectedLatencyMs, EffectiveRate = rate,
            RetryShare = o.RetryShare, RetryShareSource = o.RetryShareSource,
            Canary = o.Canary, CanaryInterval = o.CanaryInterval, CanaryRequestsPerModel = canaryRequests,
            RequestsPerModel = perModel, TotalRequests = perModel * o.Models.Count,
            TimePerModel = timePerModel, TotalTime = total,
            WindowStart = o.WindowStart, WindowEnd = o.WindowStart + window, Margin = o.Margin, Budget = budget,
            Fits = fits, ModelsThatFit = modelsThatFit, ImagesPerIdentityThatFit = perIdentity, Advice = advice,
            FarTargets = targets,
            GalleryTemplates = enrolled, MatedSearches = mated, NonMatedSearches = nonMated,
        };
        return plan with { Summary = Summary(plan) };
    }

    /// <summary>Canary × (2 + ⌊items / interval⌋), or Canary × 2 without an interval: a reference embedding at the start, a check every interval, and one at the end.</summary>
    public static long CanaryRequests(PlanOptions o, int items) =>
        o.Canary <= 0 ? 0 : (long)o.Canary * (2 + (o.CanaryInterval > 0 ? items / o.CanaryInterval : 0));

    /// <summary>⌈(items + canary requests) × (1 + retry share)⌉.</summary>
    public static long Requests(int items, long canaryRequests, double retryShare) =>
        (long)Math.Ceiling((items + canaryRequests) * (1 + retryShare) - 1e-9);

    /// <summary>The most images per identity (each identity keeps at most that many) with which every model fits; 0 when none does.</summary>
    private static int ImagesPerIdentityThatFit(IReadOnlyList<int> counts, PlanOptions o, double rate, TimeSpan budget)
    {
        if (counts.Count == 0) return 0;
        for (int m = counts.Max(); m >= 1; m--)
        {
            int images = counts.Sum(c => Math.Min(c, m));
            long requests = Requests(images, CanaryRequests(o, images), o.RetryShare) * o.Models.Count;
            if (TimeSpan.FromSeconds(requests / rate) <= budget) return m;
        }
        return 0;
    }

    private static string Advice(PlanOptions o, int modelsThatFit, int perIdentity, int mostPerIdentity)
    {
        var ways = new List<string>();
        if (modelsThatFit >= 1 && modelsThatFit < o.Models.Count)
            ways.Add($"test {modelsThatFit} of the {o.Models.Count} models (drop {string.Join(", ", o.Models.Skip(modelsThatFit))})");
        if (perIdentity >= 1 && perIdentity < mostPerIdentity)
            ways.Add($"keep at most {perIdentity} image(s) per identity");
        if (ways.Count == 0)
            return "Not even one model with one image per identity fits: ask for a higher rate limit or a longer window, or test on fewer identities.";
        return "It does not fit: " + string.Join(", or ", ways) + "; or ask for a higher rate limit, or accept a smaller margin (-Margin).";
    }

    private static string Summary(EvaluationPlan p)
    {
        string T(TimeSpan t) => t.TotalHours >= 48 ? $"{t.TotalDays.ToString("0.0", s_inv)} days" : t.TotalMinutes >= 90 ? $"{t.TotalHours.ToString("0.0", s_inv)} h" : $"{t.TotalMinutes.ToString("0.0", s_inv)} min";
        string N(double x) => x.ToString("N0", s_inv);
        var s = new StringBuilder();
        s.AppendLine($"Evaluation plan: models {string.Join(", ", p.Models)}; rate limit {p.RequestsPerSecond.ToString("0.###", s_inv)} requests/s; window of {(p.WindowEnd - p.WindowStart).TotalDays.ToString("0.##", s_inv)} days from {p.WindowStart.ToString("yyyy-MM-dd", s_inv)}.");
        s.AppendLine($"Test set: {N(p.Images)} images of {N(p.Identities)} identities; {N(p.GenuinePairs)} genuine and {N(p.ImpostorPairs)} impostor pairs.");
        if (p.IdentitiesWithOneImage.Count > 0)
            s.AppendLine($"{p.IdentitiesWithOneImage.Count} identit{(p.IdentitiesWithOneImage.Count == 1 ? "y has" : "ies have")} fewer than two images (no genuine pair): {string.Join(", ", p.IdentitiesWithOneImage.Take(10))}{(p.IdentitiesWithOneImage.Count > 10 ? ", ..." : "")}.");
        s.AppendLine($"Consent: {N(p.ImagesWithConsent)} of {N(p.Images)} images carry a consent reference (the same images go to every model)" +
            (p.ImagesWithoutConsent > 0 ? $"; {N(p.ImagesWithoutConsent)} do not, and Invoke-FaceEmbedding -RequireConsent would not send them." : "."));
        s.AppendLine($"Models: {string.Join(", ", p.Models)}. Each needs {N(p.RequestsPerModel)} requests ({N(p.Images)} images" +
            (p.CanaryRequestsPerModel > 0 ? $", {N(p.CanaryRequestsPerModel)} canary requests" : "") +
            $", {(p.RetryShare * 100).ToString("0.#", s_inv)} % retries, {p.RetryShareSource}); {N(p.TotalRequests)} in all.");
        s.AppendLine($"At {p.EffectiveRate.ToString("0.##", s_inv)} requests/s" + (p.EffectiveRate < p.RequestsPerSecond ? $" ({p.ThrottleLimit} at once at {p.ExpectedLatencyMs.ToString("0", s_inv)} ms each; the limit is {p.RequestsPerSecond.ToString("0.##", s_inv)}/s)" : " (the rate limit)") +
            $": {T(p.TimePerModel)} per model, {T(p.TotalTime)} for all.");
        s.AppendLine($"Window ends {p.WindowEnd.ToString("yyyy-MM-dd", s_inv)}; keeping {(p.Margin * 100).ToString("0", s_inv)} % free: {T(p.Budget)} to spend. " +
            (p.Fits ? "The plan fits." : p.Advice));
        var estimable = p.FarTargets.Where(t => t.Estimable).Select(t => t.TargetFar.ToString("0.#####e0", s_inv)).ToList();
        var useful = p.FarTargets.Where(t => t.UsefulInterval).Select(t => t.TargetFar.ToString("0.#####e0", s_inv)).ToList();
        s.AppendLine($"FAR targets estimable (impostor pairs >= 1/FAR): {(estimable.Count == 0 ? "none" : string.Join(", ", estimable))}; " +
            $"with a useful interval (>= {UsefulFalseAccepts} false accepts expected, Doddington's Rule of 30): {(useful.Count == 0 ? "none" : string.Join(", ", useful))}.");
        s.Append($"1:N (default split, half the identities never enrolled, one enrolment image each): about {N(p.GalleryTemplates)} gallery templates, {N(p.MatedSearches)} mated and {N(p.NonMatedSearches)} non-mated searches.");
        return s.ToString();
    }
}
