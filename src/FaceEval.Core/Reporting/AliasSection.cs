namespace FaceEval.Core.Reporting;

/// <summary>The private report's key to the shareable one: which alias stands for which model.</summary>
/// <param name="aliases">Model name → alias (<see cref="ShareableReport.Aliases"/>).</param>
public sealed class AliasSection(IReadOnlyDictionary<string, string> aliases) : IReportSection
{
    public string Title => "Aliases in the shareable report";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<p>").Text("The shareable report written with this one shows the models under these aliases. Keep this key within the agreement.").Raw("</p>\n");
        html.Table(new[] { "Alias", "Model" }, aliases.OrderBy(a => a.Value.Length).ThenBy(a => a.Value, StringComparer.Ordinal).Select(a => (IReadOnlyList<string>)new[] { a.Value, a.Key }));
    }
}
