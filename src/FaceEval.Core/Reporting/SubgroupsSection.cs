using System.Globalization;

namespace FaceEval.Core.Reporting;

/// <summary>
/// "Subgroups" for one attribute (-GroupBy): per model the table of group rates at the global threshold,
/// the heat map of cross-group FMR, the DET curves of the groups, and the summary indices with their
/// definitions (NIST FRVT demographic differentials; Pereira and Marcel's FDR).
/// </summary>
public sealed class SubgroupsSection : IReportSection
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private readonly IReadOnlyList<VerificationResult> _results;
    private readonly string _attribute;
    private readonly IReadOnlyList<(VerificationResult Result, RenderedPlot Heat, RenderedPlot Det)> _plots;
    private readonly bool _shareable;

    /// <param name="results">The results; those not grouped by <paramref name="attribute"/> are left out.</param>
    /// <param name="attribute">The attribute of this section.</param>
    /// <param name="plots">Whether to draw the heat maps and DET curves.</param>
    /// <param name="shareable">For the shareable report: no threshold values (they tell the vendor's score scale), only rates and counts.</param>
    public SubgroupsSection(IReadOnlyList<VerificationResult> results, string attribute, bool plots = true, bool shareable = false)
    {
        _shareable = shareable;
        _results = results.Where(r => r.Groups.Any(g => g.Attribute == attribute)).ToArray();
        _attribute = attribute;
        _plots = plots ? _results.Select(r => (r, SubgroupPlots.HeatMap(r, attribute), SubgroupPlots.Det(r, attribute))).ToArray() : Array.Empty<(VerificationResult, RenderedPlot, RenderedPlot)>();
    }

    /// <summary>One section per attribute the results were grouped by, in the order asked.</summary>
    public static IEnumerable<IReportSection> For(IReadOnlyList<VerificationResult> results, bool shareable = false) =>
        results.SelectMany(r => r.GroupIndices.Select(i => i.Attribute)).Distinct(StringComparer.Ordinal).Select(a => new SubgroupsSection(results, a, shareable: shareable));

    /// <summary>The rendered figures, for -PlotPath.</summary>
    public IEnumerable<RenderedPlot> Plots => _plots.SelectMany(p => new[] { p.Heat, p.Det });

    public string Title => $"Subgroups: {_attribute}";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<p>Who pays for the errors. One threshold for everyone, as a deployment configures it: T*, the strict threshold ")
            .Raw("(the lowest threshold whose FMR over <em>all</em> impostor pairs is at most the target; a score equal to it is a match) at the target FMR below. ")
            .Raw("Per group: FMR over the impostor pairs with both images in the group, FNMR over its genuine pairs, at T*; ")
            .Raw(_shareable ? "" : "the group threshold is the strict threshold the group alone would need for the target, and its shift from T* (above 0: the group needs a stricter threshold). ")
            .Raw("<span class=\"ne\">n/e</span>: fewer impostor pairs than 1/target (FMR) or no genuine pair (FNMR), never shown as 0.")
            .Raw(_results.Any(r => r.Groups.Any(g => g.FmrLow is not null)) ? GroupIntervals(_results.Select(r => r.IntervalMethod).FirstOrDefault(m => m is not null)) : "")
            .Raw("</p>\n");
        foreach (var r in _results)
        {
            var rows = r.Groups.Where(g => g.Attribute == _attribute).ToArray();
            var index = r.GroupIndices.First(i => i.Attribute == _attribute);
            html.Raw("<h3>").Text(ModelTableSection.Name(r)).Raw("</h3>\n<p>")
                .Text(_shareable ? string.Create(s_inv, $"T* set for FMR {r.GroupFar:0.#####e0} over all {r.ImpostorPairs:N0} impostor pairs (its value is not shown here).")
                    : string.Create(s_inv, $"T* = {r.GroupFarThreshold:0.0000} at FMR {r.GroupFar:0.#####e0} over all {r.ImpostorPairs:N0} impostor pairs."))
                .Raw("</p>\n<table>\n<tr><th class=\"l\">").Text(_attribute)
                .Raw("</th><th>Identities</th><th>Images</th><th>Failures to enrol</th><th>Genuine pairs</th><th>Impostor pairs</th><th>FMR</th><th>FNMR</th>")
                .Raw(_shareable ? "</tr>\n" : "<th>Group threshold</th><th>Shift</th></tr>\n");
            foreach (var g in rows)
            {
                html.Raw("<tr><th class=\"l\">").Text(g.Group).Raw("</th>")
                    .Raw(Cell(g.Identities.ToString("N0", s_inv))).Raw(Cell(g.Images.ToString("N0", s_inv))).Raw(Cell(g.FailureToEnrol.ToString("N0", s_inv)))
                    .Raw(Cell(g.GenuinePairs.ToString("N0", s_inv))).Raw(Cell(g.ImpostorPairs.ToString("N0", s_inv)))
                    .Raw(Rate(g.Fmr, g.FmrLow, g.FmrHigh, g.FalseMatches, g.FmrRuleOfThree, "FM"))
                    .Raw(Rate(g.Fnmr, g.FnmrLow, g.FnmrHigh, g.FalseNonMatches, g.FnmrRuleOfThree, "FNM"))
                    .Raw(_shareable ? "" : double.IsNaN(g.GroupThreshold) ? "<td class=\"ne\">n/e</td><td class=\"ne\">n/e</td>"
                        : Cell(g.GroupThreshold.ToString("0.0000", s_inv)) + Cell(g.ThresholdShift.ToString("+0.0000;−0.0000;0", s_inv)))
                    .Raw("</tr>\n");
            }
            html.Raw("</table>\n");
            html.Raw("<table>\n<tr><th class=\"l\">Index</th><th>Value</th><th class=\"l\">Definition</th></tr>\n")
                .Raw("<tr><th class=\"l\">FMR inequity</th>").Raw(Index(index.FmrInequity, index.FmrInequityLow, index.FmrInequityHigh, "0.00"))
                .Raw("<td class=\"l\">max<sub>d</sub> FMR<sub>d</sub> / geometric mean<sub>d</sub> FMR<sub>d</sub> over the groups with an estimable FMR (NIST FRVT Part 8, NISTIR 8429); 1 is parity. Not estimable when a rate is 0.</td></tr>\n")
                .Raw("<tr><th class=\"l\">FNMR inequity</th>").Raw(Index(index.FnmrInequity, index.FnmrInequityLow, index.FnmrInequityHigh, "0.00"))
                .Raw("<td class=\"l\">max<sub>d</sub> FNMR<sub>d</sub> / geometric mean<sub>d</sub> FNMR<sub>d</sub>, likewise.</td></tr>\n")
                .Raw("<tr><th class=\"l\">FDR</th>").Raw(Index(index.Fdr, index.FdrLow, index.FdrHigh, "0.0000"))
                .Raw("<td class=\"l\">Fairness discrepancy rate 1 − (α·max|FMR<sub>i</sub> − FMR<sub>j</sub>| + (1 − α)·max|FNMR<sub>i</sub> − FNMR<sub>j</sub>|), α = 0.5, at T* (Pereira and Marcel, IEEE T-BIOM 2022); 1 is parity.</td></tr>\n")
                .Raw("</table>\n");
            if (index.Note.Length > 0) html.Raw("<p><small>").Text(index.Note + ".").Raw("</small></p>\n");
            var cross = r.CrossGroupFmr.Where(c => c.Attribute == _attribute && c.GroupA != c.GroupB).ToArray();
            if (cross.Length > 0)
            {
                html.Raw("<p>Cross-group FMR at T* (impostor pairs with one image in each group): ");
                html.Text(string.Join("; ", cross.Select(c => string.Create(s_inv, $"{c.GroupA}–{c.GroupB} {(c.Estimable ? c.Fmr.ToString("0.###e0", s_inv) : "n/e")} ({c.FalseMatches:N0} of {c.ImpostorPairs:N0})"))));
                html.Raw(".</p>\n");
            }
            foreach (var (_, heat, det) in _plots.Where(p => ReferenceEquals(p.Result, r)))
            {
                html.Figure(heat.Png, heat.Title);
                html.Figure(det.Png, det.Title);
            }
        }
    }

    private static string Cell(string text) => "<td>" + HtmlBuilder.Encode(text) + "</td>";

    private static string Rate(double rate, double? low, double? high, long errors, double ruleOfThree, string what)
    {
        if (double.IsNaN(rate)) return $"<td class=\"ne\">n/e<br><small>{errors.ToString("N0", s_inv)} {what}</small></td>";
        string bound = double.IsNaN(ruleOfThree) ? "" : $", &lt; {ruleOfThree.ToString("0.##e0", s_inv)} (rule of three)";
        return $"<td><b>{Scientific(rate)}</b>{(low is null || high is null ? "" : $" [{Scientific(low.Value)}, {Scientific(high.Value)}]")}<br><small>{errors.ToString("N0", s_inv)} {what}{bound}</small></td>";
    }

    private static string Index(double value, double? low, double? high, string format) =>
        double.IsNaN(value) ? "<td class=\"ne\">n/e</td>"
            : $"<td><b>{value.ToString(format, s_inv)}</b>{(low is null || high is null ? "" : $" [{low.Value.ToString(format, s_inv)}, {high.Value.ToString(format, s_inv)}]")}</td>";

    /// <summary>A rate as 1.23e-3 (0 as 0).</summary>
    private static string Scientific(double rate) => rate == 0 ? "0" : rate.ToString("0.00e0", s_inv);

    /// <summary>How the group intervals were made (T* held in every one).</summary>
    private static string GroupIntervals(IntervalMethod? method) => method switch
    {
        IntervalMethod.Wilson or IntervalMethod.ClopperPearson =>
            $" Intervals: {method} on each group's effective number of pairs (from the leave-one-identity-out variance within the group; [0, clustered rule of three] with no error), T* held; inequity indices: bootstrap percentile.",
        IntervalMethod.Bca => " Intervals: BCa of the bootstrap, identities resampled within each group, T* held; inequity indices: bootstrap percentile.",
        _ => " Intervals: bootstrap percentile, identities resampled within each group, T* held.",
    };
}
