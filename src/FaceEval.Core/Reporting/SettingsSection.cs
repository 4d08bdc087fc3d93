namespace FaceEval.Core.Reporting;

/// <summary>How the measurement was made: the settings exactly as the caller passes them (never an endpoint).</summary>
public sealed class SettingsSection(IEnumerable<ReportSetting> settings) : IReportSection
{
    public string Title => "Settings";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<table>\n");
        foreach (var s in settings)
            html.Raw("<tr><th class=\"l\">").Text(s.Name).Raw("</th><td class=\"l\">").Text(s.Value).Raw("</td></tr>\n");
        html.Raw("</table>\n");
    }
}
