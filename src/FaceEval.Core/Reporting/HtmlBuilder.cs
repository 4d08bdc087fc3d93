using System.Globalization;
using System.Net;
using System.Text;

namespace FaceEval.Core.Reporting;

/// <summary>
/// Writes the HTML of a report. Every text that goes through <see cref="Text"/>, <see cref="Table"/> or
/// <see cref="Figure"/> is HTML-encoded; <see cref="Raw"/> is for markup the section itself writes.
/// </summary>
public sealed class HtmlBuilder
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder _html = new();

    /// <summary>Appends markup as it is.</summary>
    public HtmlBuilder Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>Appends encoded text.</summary>
    public HtmlBuilder Text(string text) => Raw(Encode(text));

    /// <summary>A table: a header row, then rows whose first cell is a row heading (left-aligned); cells are encoded.</summary>
    public HtmlBuilder Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Raw("<table>\n<tr>");
        for (int i = 0; i < header.Count; i++) Raw(i == 0 ? "<th class=\"l\">" : "<th>").Text(header[i]).Raw("</th>");
        Raw("</tr>\n");
        foreach (var row in rows)
        {
            Raw("<tr>");
            for (int i = 0; i < row.Count; i++) Raw(i == 0 ? "<th class=\"l\">" : "<td>").Text(row[i]).Raw(i == 0 ? "</th>" : "</td>");
            Raw("</tr>\n");
        }
        return Raw("</table>\n");
    }

    /// <summary>A PNG embedded as data, with its caption.</summary>
    public HtmlBuilder Figure(byte[] png, string caption) =>
        Raw("<figure><img alt=\"").Text(caption).Raw("\" src=\"data:image/png;base64,").Raw(Convert.ToBase64String(png))
            .Raw("\"><figcaption>").Text(caption).Raw("</figcaption></figure>\n");

    /// <summary>HTML-encodes a text.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A rate as a percentage with two decimals; "–" for NaN.</summary>
    public static string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("0.00%", s_inv);

    /// <summary>" [low, high]" as percentages, or nothing when there is no interval.</summary>
    public static string Interval(double? low, double? high) => low is null || high is null ? "" : $" [{Percent(low.Value)}, {Percent(high.Value)}]";

    /// <summary>A number in the invariant culture with the given format.</summary>
    public static string Number(double value, string format) => value.ToString(format, s_inv);

    public override string ToString() => _html.ToString();
}
