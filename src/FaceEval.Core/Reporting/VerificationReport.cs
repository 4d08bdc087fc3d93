using System.Globalization;
using System.Net;
using System.Text;

namespace FaceEval.Core.Reporting;

/// <summary>
/// A self-contained HTML page of verification results: settings, data counts, failures to enrol, the
/// summary and TAR-at-FAR tables with one column per model, and the plots embedded as PNG data, so a
/// reviewer can open it offline and nothing else has to travel with it. It never contains an endpoint
/// address: the settings shown are exactly those the caller passes in.
/// </summary>
public static class VerificationReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Builds the page.</summary>
    /// <param name="results">One result per model, all measured on the same pairs.</param>
    /// <param name="settings">How the measurement was made (name, value), shown as given.</param>
    /// <param name="plots">Figures to embed; rendered from <paramref name="results"/> when null.</param>
    /// <param name="generatedAt">Time stamp shown on the page.</param>
    public static string Html(IReadOnlyList<VerificationResult> results, IEnumerable<KeyValuePair<string, string>> settings,
        IReadOnlyList<RenderedPlot>? plots = null, DateTimeOffset? generatedAt = null)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to report: no results.", nameof(results));
        plots ??= VerificationPlots.Render(results);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>FaceEval verification report</title>\n<style>\n")
         .Append("body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}\n")
         .Append("table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #bbb;padding:0.3em 0.6em;text-align:right}\n")
         .Append("th{background:#eee}td.l,th.l{text-align:left}.ne{color:#a00}figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}\n")
         .Append("figcaption{font-size:0.9em;color:#555}small{color:#555}\n</style>\n</head>\n<body>\n")
         .Append("<h1>Face verification report</h1>\n")
         .Append(Inv, $"<p><small>Generated {(generatedAt ?? DateTimeOffset.UtcNow).ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC by FaceEval {Enc(typeof(VerificationReport).Assembly.GetName().Version?.ToString(3) ?? "")}. Models: {Enc(string.Join(", ", results.Select(Name)))}.</small></p>\n");

        h.Append("<h2>Settings</h2>\n<table>\n");
        foreach (var (key, value) in settings) h.Append("<tr><th class=\"l\">").Append(Enc(key)).Append("</th><td class=\"l\">").Append(Enc(value)).Append("</td></tr>\n");
        h.Append("</table>\n");

        Table(h, "Data", results, new (string, Func<VerificationResult, string>)[]
        {
            ("Genuine pairs", r => r.GenuinePairs.ToString("N0", Inv)),
            ("Impostor pairs", r => r.ImpostorPairs.ToString("N0", Inv)),
            ("Failures to enrol", r => r.FailureToEnrol.ToString("N0", Inv)),
            ("Their pairs", r => r.FailureToEnrolHandling == "Exclude" ? "excluded" : "scored as rejections"),
        });
        Table(h, "Summary", results, new (string, Func<VerificationResult, string>)[]
        {
            ("AUC", r => r.Auc.ToString("0.000000", Inv)),
            ("EER", r => Pct(r.Eer) + Interval(r.EerLow, r.EerHigh)),
            ("EER threshold", r => r.EerThreshold.ToString("0.0000", Inv)),
            ("k-fold accuracy", r => r.Folds == 0 ? "not measured" : $"{Pct(r.KFoldAccuracy)} ± {Pct(r.KFoldStd)} ({r.Folds} folds)"),
            ("d′", r => r.DPrime.ToString("0.000", Inv)),
            ("Genuine score mean ± std", r => $"{r.GenuineMean.ToString("0.0000", Inv)} ± {r.GenuineStd.ToString("0.0000", Inv)}"),
            ("Impostor score mean ± std", r => $"{r.ImpostorMean.ToString("0.0000", Inv)} ± {r.ImpostorStd.ToString("0.0000", Inv)}"),
        });

        h.Append("<h2>TAR at FAR</h2>\n<p>Each cell: TAR").Append(results.Any(r => r.BootstrapReplicates > 0) ? " [bootstrap interval]" : "")
         .Append(", then the threshold, the FAR it achieves and its false accepts. <span class=\"ne\">n/e</span>: fewer impostor pairs than 1/FAR, so that FAR cannot be measured on this data.</p>\n<table>\n<tr><th>Target FAR</th>");
        foreach (var r in results) h.Append("<th>").Append(Enc(Name(r))).Append("</th>");
        h.Append("</tr>\n");
        foreach (var far in results[0].OperatingPoints.Select(p => p.TargetFar))
        {
            h.Append("<tr><th>").Append(far.ToString("0.#####e0", Inv)).Append("</th>");
            foreach (var r in results)
            {
                var p = r.OperatingPoints.FirstOrDefault(o => o.TargetFar == far);
                h.Append(p is null ? "<td></td>" : p.Estimable
                    ? $"<td><b>{Pct(p.Tar)}</b>{Interval(p.TarLow, p.TarHigh)}<br><small>t = {p.Threshold.ToString("0.0000", Inv)}, FAR {p.AchievedFar.ToString("0.###e0", Inv)}, {p.FalseAccepts.ToString("N0", Inv)} FA</small></td>"
                    : $"<td class=\"ne\">n/e<br><small>{Pct(p.Tar)} at t = {p.Threshold.ToString("0.0000", Inv)}</small></td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");

        h.Append("<h2>Plots</h2>\n");
        foreach (var plot in plots)
            h.Append("<figure><img alt=\"").Append(Enc(plot.Title)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(plot.Png))
             .Append("\"><figcaption>").Append(Enc(plot.Title)).Append("</figcaption></figure>\n");

        h.Append("<h2>Conventions</h2>\n<ul>\n")
         .Append("<li>Score: cosine similarity of the embeddings as the service returned them (their dot product, not re-normalised). A pair is accepted when its score is at least the threshold.</li>\n")
         .Append("<li>FAR: share of impostor pairs accepted. TAR: share of genuine pairs accepted. FRR = 1 − TAR.</li>\n")
         .Append(results[0].Convention == FarConvention.Strict
            ? "<li>TAR at FAR (strict): the lowest threshold whose FAR is at most the target.</li>\n"
            : "<li>TAR at FAR (InsightFace): the scikit-learn ROC point with the FPR nearest the target, as in InsightFace's IJB 1:1 script; its achieved FAR may exceed the target.</li>\n")
         .Append("<li>EER: at the midpoint between distinct scores where |FAR − FRR| is smallest, (FAR + FRR) / 2. AUC: exact (Mann–Whitney, ties count one half).</li>\n")
         .Append("<li>Failures to enrol: inputs without an embedding (no face found). By default their pairs are rejections at every threshold.</li>\n")
         .Append("</ul>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Table(StringBuilder h, string title, IReadOnlyList<VerificationResult> results, (string Label, Func<VerificationResult, string> Cell)[] rows)
    {
        h.Append("<h2>").Append(Enc(title)).Append("</h2>\n<table>\n<tr><th class=\"l\"></th>");
        foreach (var r in results) h.Append("<th>").Append(Enc(Name(r))).Append("</th>");
        h.Append("</tr>\n");
        foreach (var (label, cell) in rows)
        {
            h.Append("<tr><th class=\"l\">").Append(Enc(label)).Append("</th>");
            foreach (var r in results) h.Append("<td>").Append(Enc(cell(r))).Append("</td>");
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");
    }

    private static string Name(VerificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;

    private static string Pct(double v) => double.IsNaN(v) ? "–" : v.ToString("0.00%", Inv);

    private static string Interval(double? low, double? high) => low is null || high is null ? "" : $" [{Pct(low.Value)}, {Pct(high.Value)}]";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
