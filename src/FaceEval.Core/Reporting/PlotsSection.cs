namespace FaceEval.Core.Reporting;

/// <summary>Rendered plots, embedded as PNG data with their captions.</summary>
public sealed class PlotsSection(IReadOnlyList<RenderedPlot> plots) : IReportSection
{
    public string Title => "Plots";

    public void Render(HtmlBuilder html)
    {
        foreach (var plot in plots) html.Figure(plot.Png, plot.Title);
    }
}
