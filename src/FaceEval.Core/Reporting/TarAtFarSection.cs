namespace FaceEval.Core.Reporting;

/// <summary>TAR at each target FAR, one column per model: TAR (with its interval), the threshold, the FAR it achieves and its false accepts; n/e where the data cannot measure that FAR.</summary>
/// <param name="results">One result per model.</param>
/// <param name="showThresholds">False for a shareable report: thresholds are the vendor's scores and stay within the agreement.</param>
public sealed class TarAtFarSection(IReadOnlyList<VerificationResult> results, bool showThresholds = true) : IReportSection
{
    public string Title => "TAR at FAR";

    public void Render(HtmlBuilder html)
    {
        var method = results.Select(r => r.IntervalMethod).FirstOrDefault(m => m is not null);
        html.Raw("<p>Each cell: TAR").Raw(method is null ? "" : $" [{results.First(r => r.IntervalMethod is not null).ConfidenceLevel:0.#%} {method} interval; ≈: approximate, see the settings], the one-sided upper bound of FNMR at the same level")
            .Raw(showThresholds ? ", then the threshold" + (results.Any(r => r.OperatingPoints.Any(p => !double.IsNaN(p.ThresholdLower))) ? " [bootstrap interval]" : "") + "," : ", then").Raw(" the FAR it achieves and its false accepts")
            .Raw(results.Any(r => r.TransferSplits > 0) ? "; with the transfer check, the median FAR on identities the threshold was not chosen on, as a multiple of the target (and the largest), and the TAR there" : "").Raw(". <span class=\"ne\">n/e</span>: fewer impostor pairs than 1/FAR, so that FAR cannot be measured on this data.</p>\n<table>\n<tr><th>Target FAR</th>");
        foreach (var r in results) html.Raw("<th>").Text(ModelTableSection.Name(r)).Raw("</th>");
        html.Raw("</tr>\n");
        foreach (var far in results[0].OperatingPoints.Select(p => p.TargetFar))
        {
            html.Raw("<tr><th>").Raw(HtmlBuilder.Number(far, "0.#####e0")).Raw("</th>");
            foreach (var r in results)
            {
                var p = r.OperatingPoints.FirstOrDefault(o => o.TargetFar == far);
                html.Raw(p is null ? "<td></td>" : p.Estimable
                    ? $"<td><b>{HtmlBuilder.Percent(p.Tar)}</b>{HtmlBuilder.Interval(p.TarLow, p.TarHigh)}{Claim(p)}<br><small>{Threshold(p, ", ")}FAR {HtmlBuilder.Number(p.AchievedFar, "0.###e0")}, {HtmlBuilder.Number(p.FalseAccepts, "N0")} FA{Transfer(p)}</small></td>"
                    : $"<td class=\"ne\">n/e<br><small>{HtmlBuilder.Percent(p.Tar)}{(showThresholds ? " at " + Threshold(p, "") : "")}{Transfer(p)}</small></td>");
            }
            html.Raw("</tr>\n");
        }
        html.Raw("</table>\n");
    }

    /// <summary>"t = 0.1234 [interval]" and <paramref name="then"/>, or nothing when thresholds are not shown.</summary>
    private string Threshold(OperatingPoint p, string then) =>
        showThresholds ? $"t = {HtmlBuilder.Number(p.Threshold, "0.0000")}{ThresholdInterval(p)}{then}" : "";

    /// <summary>The one-sided claim "FNMR ≤ x" (≈ when the interval is approximate there), when intervals were computed.</summary>
    private static string Claim(OperatingPoint p) =>
        p.FnmrUpper is not double upper ? "" : $"{(p.IntervalApproximate ? " ≈" : "")}<br><small>FNMR ≤ {HtmlBuilder.Percent(upper)}</small>";

    /// <summary>The bootstrap interval of the threshold, when there is one.</summary>
    private static string ThresholdInterval(OperatingPoint p) =>
        double.IsNaN(p.ThresholdLower) ? "" : $" [{HtmlBuilder.Number(p.ThresholdLower, "0.0000")}, {HtmlBuilder.Number(p.ThresholdUpper, "0.0000")}]";

    /// <summary>The threshold transfer check (-TransferCheck), when measured: FAR on unseen identities over the target, and TAR there.</summary>
    private static string Transfer(OperatingPoint p) =>
        double.IsNaN(p.TransferFarRatio) ? ""
            : $"<br>on new people: FAR ×{HtmlBuilder.Number(p.TransferFarRatio, "0.00")} the target (max ×{HtmlBuilder.Number(p.TransferFarRatioMax, "0.00")}), TAR {HtmlBuilder.Percent(p.TransferTar)}";
}
