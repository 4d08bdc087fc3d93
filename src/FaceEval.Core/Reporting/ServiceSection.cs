using System.Globalization;
using ScottPlot;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The account of the service (from Measure-FaceEmbeddingRun's engine): per model, what was sent and how it
/// ended, requests and 429s, latency percentiles (nearest rank), throughput, rate-limit waits and the
/// canaries' findings; and a histogram of the successful requests' latency, one line per model.
/// </summary>
public sealed class ServiceSection(IReadOnlyList<EmbeddingRunAccount> accounts) : IReportSection
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public string Title => "Service";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<p>").Text("The service as the runs saw it, from their manifests. Latency is the last attempt's time on the wire of each successful request; " +
            "percentiles are nearest-rank (the value of rank ⌈P/100 · n⌉). The failure-to-enrol rate is no face / (ok + no face).").Raw("</p>\n");
        string Ms(double x) => double.IsNaN(x) ? "n/a" : x.ToString("0", s_inv);
        html.Table(new[] { "Model", "Items", "Ok", "No face (rate)", "Failed (by error)", "Requests", "429", "p50 / p90 / p95 / p99 / max ms", "Items/s", "Rate-limit wait", "Run", "Canaries" },
            accounts.Select(a => (IReadOnlyList<string>)new[]
            {
                a.Model, a.Items.ToString("N0", s_inv), a.Ok.ToString("N0", s_inv),
                $"{a.NoFace.ToString("N0", s_inv)} ({HtmlBuilder.Percent(a.FailureToEnrolRate)})",
                a.Failed == 0 ? "0" : $"{a.Failed.ToString("N0", s_inv)} ({string.Join(", ", a.FailedBy.Select(f => $"{f.Key} {f.Value.ToString("N0", s_inv)}"))})",
                a.Requests.ToString("N0", s_inv), a.Throttled.ToString("N0", s_inv),
                $"{Ms(a.LatencyP50Ms)} / {Ms(a.LatencyP90Ms)} / {Ms(a.LatencyP95Ms)} / {Ms(a.LatencyP99Ms)} / {Ms(a.LatencyMaxMs)}",
                double.IsNaN(a.ItemsPerSecond) ? "n/a" : a.ItemsPerSecond.ToString("0.0", s_inv),
                $"{a.RateLimitWait.TotalSeconds.ToString("0.0", s_inv)} s",
                a.Start is { } s && a.End is { } e ? $"{s.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", s_inv)} – {e.ToUniversalTime().ToString("HH:mm", s_inv)} UTC ({Span(a.Span)})" : "",
                a.CanaryRequests == 0 ? "none" : $"{a.CanaryRequests.ToString("N0", s_inv)} requests, lowest cosine {(double.IsNaN(a.CanaryMinCosine) ? "n/a" : a.CanaryMinCosine.ToString("0.000000", s_inv))}",
            }));
        var findings = accounts.SelectMany(a => a.Findings.Select(f => (a.Model, f))).ToList();
        if (findings.Count > 0)
        {
            html.Raw("<p class=\"ne\"><b>Findings</b></p>\n<ul>\n");
            foreach (var (model, f) in findings) html.Raw("<li class=\"ne\">").Text($"{model}: {f}").Raw("</li>\n");
            html.Raw("</ul>\n");
        }
        if (accounts.Any(a => a.Latencies.Count > 0))
            html.Figure(Histogram(accounts), "Latency of the successful requests (ms), per model");
    }

    private static string Span(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours.ToString("0.0", s_inv)} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes.ToString("0.0", s_inv)} min" : $"{t.TotalSeconds.ToString("0.0", s_inv)} s";

    /// <summary>Counts of latencies in 40 equal bins from 0 to the largest latency, one line per model.</summary>
    public static byte[] Histogram(IReadOnlyList<EmbeddingRunAccount> accounts)
    {
        var plot = new Plot();
        plot.Title("Latency of successful requests");
        plot.XLabel("Latency (ms)");
        plot.YLabel("Requests");
        double max = accounts.SelectMany(a => a.Latencies).DefaultIfEmpty(1).Max();
        const int bins = 40;
        double width = Math.Max(max, 1) / bins;
        var palette = new ScottPlot.Palettes.Category10();
        for (int m = 0; m < accounts.Count; m++)
        {
            var counts = new double[bins];
            foreach (var x in accounts[m].Latencies) counts[Math.Min(bins - 1, (int)(x / width))]++;
            var line = plot.Add.ScatterLine(Enumerable.Range(0, bins).Select(b => (b + 0.5) * width).ToArray(), counts, palette.GetColor(m));
            line.LegendText = accounts[m].Model;
            line.LineWidth = 2;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(VerificationPlots.Width, 400, ImageFormat.Png);
    }
}
