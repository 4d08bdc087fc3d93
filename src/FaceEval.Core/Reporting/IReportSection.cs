namespace FaceEval.Core.Reporting;

/// <summary>
/// One section of a report. Each analysis contributes its own sections, so a new analysis adds a section
/// without touching the others; <see cref="Report"/> puts them on one page in the order given.
/// </summary>
public interface IReportSection
{
    /// <summary>The section's heading.</summary>
    string Title { get; }

    /// <summary>Writes the section's body (below its heading).</summary>
    void Render(HtmlBuilder html);
}
