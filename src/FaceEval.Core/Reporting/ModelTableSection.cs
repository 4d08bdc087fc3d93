namespace FaceEval.Core.Reporting;

/// <summary>A table with one column per model and one row per measure: how the verification sections show their figures.</summary>
/// <param name="Title">The section's heading.</param>
/// <param name="Results">One result per model.</param>
/// <param name="Rows">Each row's label and how to show a model's value.</param>
public sealed record ModelTableSection(string Title, IReadOnlyList<VerificationResult> Results, IReadOnlyList<(string Label, Func<VerificationResult, string> Cell)> Rows) : IReportSection
{
    /// <summary>How a model is named in a column header.</summary>
    public static string Name(VerificationResult r) => r.Model.Length == 0 ? "(no model)" : r.Model;

    public void Render(HtmlBuilder html) =>
        html.Table(new[] { "" }.Concat(Results.Select(Name)).ToArray(),
            Rows.Select(row => (IReadOnlyList<string>)new[] { row.Label }.Concat(Results.Select(row.Cell)).ToArray()));
}
