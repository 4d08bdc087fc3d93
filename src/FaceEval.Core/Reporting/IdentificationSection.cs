using System.Globalization;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The report's "Identification" section: how the searches were set up, the counts, rank-1 and the CMC, the
/// operating points at each target FPIR (one column per model), the gallery-size curve, the plots and the
/// definitions. It stands on its own or after the verification sections on one page (<see cref="IdentificationReport"/>).
/// </summary>
public sealed class IdentificationSection(IReadOnlyList<IdentificationResult> results, IEnumerable<ReportSetting> settings, IReadOnlyList<RenderedPlot>? plots = null) : IReportSection
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public string Title => "Identification";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<h3>Settings</h3>\n");
        new SettingsSection(settings).Render(html);
        var header = new[] { "" }.Concat(results.Select(Name)).ToArray();
        IReadOnlyList<string> Row(string label, Func<IdentificationResult, string> cell) => new[] { label }.Concat(results.Select(cell)).ToArray();
        html.Raw("<h3>Searches</h3>\n").Table(header, new[]
        {
            Row("Gallery templates (identities)", r => r.GalleryTemplates.ToString("N0", s_inv)),
            Row("Gallery images", r => r.GalleryImages.ToString("N0", s_inv)),
            Row("Gallery identities without an embedding (left out)", r => r.GalleryFailureToEnrol.ToString("N0", s_inv)),
            Row("Mated searches", r => r.MatedSearches.ToString("N0", s_inv)),
            Row("Non-mated searches", r => r.NonMatedSearches.ToString("N0", s_inv)),
            Row("Probes without an embedding (misses / non-alarms)", r => r.FailureToEnrol.ToString("N0", s_inv)),
        });
        var ranks = new[] { 1, 5, 10, 20 }.Where(k => results.Any(r => r.Cmc.Length >= k)).ToArray();
        html.Raw("<h3>Rank</h3>\n").Table(header,
            ranks.Select(k => Row($"Rank-{k} identification rate", r => r.Cmc.Length < k ? "–" : HtmlBuilder.Percent(r.Cmc[k - 1]) + (k == 1 ? HtmlBuilder.Interval(r.RankOneLow, r.RankOneHigh) : ""))));
        var targets = results.SelectMany(r => r.OperatingPoints.Select(p => p.TargetFpir)).Distinct().ToArray();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var t in targets)
        {
            string label = $"FPIR {t.ToString("0.#####e0", s_inv)}";
            rows.Add(Row($"{label}: FNIR", r => r.At(t) is not { } p ? "" : !p.Estimable ? "n/e" : HtmlBuilder.Percent(p.Fnir) + HtmlBuilder.Interval(p.FnirLow, p.FnirHigh)));
            rows.Add(Row($"{label}: threshold", r => r.At(t) is not { } p || double.IsNaN(p.Threshold) ? "–" : p.Threshold.ToString("0.0000", s_inv) + (double.IsNaN(p.ThresholdG2) ? "" : $" / G2 {p.ThresholdG2.ToString("0.0000", s_inv)}")));
            rows.Add(Row($"{label}: achieved FPIR (false alarms)", r => r.At(t) is not { } p || double.IsNaN(p.AchievedFpir) ? "–" : $"{HtmlBuilder.Percent(p.AchievedFpir)} ({p.FalseAlarms:N0})"));
            rows.Add(Row($"{label}: selectivity", r => r.At(t) is not { } p || double.IsNaN(p.Selectivity) ? "–" : p.Selectivity.ToString("0.000", s_inv)));
        }
        html.Raw("<h3>Operating points</h3>\n").Table(header, rows);
        if (results.Any(r => r.GallerySizeCurve.Length > 0))
        {
            html.Raw("<h3>Gallery size</h3>\n");
            foreach (var r in results.Where(r => r.GallerySizeCurve.Length > 0))
            {
                var curve = r.GallerySizeCurve;
                var head = new List<string> { $"{Name(r)}: gallery identities", "Draws", "Rank-1 (5–95 %)" };
                for (int k = 0; k < curve[0].TargetFpir.Length; k++)
                {
                    string t = curve[0].TargetFpir[k].ToString("0.#####e0", s_inv);
                    head.Add($"FNIR at FPIR {t}");
                    head.Add($"FPIR at full threshold / predicted");
                }
                html.Table(head, curve.Select(p =>
                {
                    var cells = new List<string> { p.GallerySize.ToString("N0", s_inv), p.Draws.ToString(s_inv), $"{HtmlBuilder.Percent(p.RankOneRate)} [{HtmlBuilder.Percent(p.RankOneLow)}, {HtmlBuilder.Percent(p.RankOneHigh)}]" };
                    for (int k = 0; k < p.TargetFpir.Length; k++)
                    {
                        cells.Add($"{HtmlBuilder.Percent(p.Fnir[k])} [{HtmlBuilder.Percent(p.FnirLow[k])}, {HtmlBuilder.Percent(p.FnirHigh[k])}]");
                        cells.Add($"{HtmlBuilder.Percent(p.FpirAtFullThreshold[k])} / {HtmlBuilder.Percent(p.PredictedFpir[k])}");
                    }
                    return (IReadOnlyList<string>)cells;
                }));
            }
        }
        foreach (var plot in plots ?? IdentificationPlots.Render(results)) html.Figure(plot.Png, plot.Title);
        html.Raw("<h3>Definitions</h3>\n<ul>\n")
            .Raw("<li>").Text("Rank of the mate: 1 + the number of other gallery entries scoring at or above it (ties count against the mate). CMC(R): share of mated searches with rank ≤ R (NIST FRVT Part 2, ISO/IEC 19795-1).").Raw("</li>\n")
            .Raw("<li>").Text("FPIR(T): share of non-mated searches whose best score is ≥ T. FNIR(R, T): share of mated searches whose mate ranks beyond R or scores below T. SEL(T): mean number of gallery entries ≥ T per non-mated search.").Raw("</li>\n")
            .Raw("<li>").Text("Strict rule: the threshold is the lowest with FPIR at most the target. InsightFace rule (recognition/_evaluation_/ijb/ijb_evals.py, evaluation_1N): the ⌊n·far⌋-th largest non-mated maximum, and a hit needs the mate strictly above every other entry and the threshold. n/e: fewer than 1/target non-mated searches.").Raw("</li>\n")
            .Raw("<li>").Text("A probe without an embedding is a missed mated search or a non-alarming non-mated search; a gallery identity without any embedding is left out of the gallery.").Raw("</li>\n")
            .Raw("</ul>\n");
    }

    private static string Name(IdentificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;
}
