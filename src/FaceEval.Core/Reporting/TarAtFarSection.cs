namespace FaceEval.Core.Reporting;

/// <summary>TAR at each target FAR, one column per model: TAR (with its interval), the threshold, the FAR it achieves and its false accepts; n/e where the data cannot measure that FAR.</summary>
public sealed class TarAtFarSection(IReadOnlyList<VerificationResult> results) : IReportSection
{
    public string Title => "TAR at FAR";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<p>Each cell: TAR").Raw(results.Any(r => r.BootstrapReplicates > 0) ? " [bootstrap interval]" : "")
            .Raw(", then the threshold, the FAR it achieves and its false accepts. <span class=\"ne\">n/e</span>: fewer impostor pairs than 1/FAR, so that FAR cannot be measured on this data.</p>\n<table>\n<tr><th>Target FAR</th>");
        foreach (var r in results) html.Raw("<th>").Text(ModelTableSection.Name(r)).Raw("</th>");
        html.Raw("</tr>\n");
        foreach (var far in results[0].OperatingPoints.Select(p => p.TargetFar))
        {
            html.Raw("<tr><th>").Raw(HtmlBuilder.Number(far, "0.#####e0")).Raw("</th>");
            foreach (var r in results)
            {
                var p = r.OperatingPoints.FirstOrDefault(o => o.TargetFar == far);
                html.Raw(p is null ? "<td></td>" : p.Estimable
                    ? $"<td><b>{HtmlBuilder.Percent(p.Tar)}</b>{HtmlBuilder.Interval(p.TarLow, p.TarHigh)}<br><small>t = {HtmlBuilder.Number(p.Threshold, "0.0000")}, FAR {HtmlBuilder.Number(p.AchievedFar, "0.###e0")}, {HtmlBuilder.Number(p.FalseAccepts, "N0")} FA</small></td>"
                    : $"<td class=\"ne\">n/e<br><small>{HtmlBuilder.Percent(p.Tar)} at t = {HtmlBuilder.Number(p.Threshold, "0.0000")}</small></td>");
            }
            html.Raw("</tr>\n");
        }
        html.Raw("</table>\n");
    }
}
