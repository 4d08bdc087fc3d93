using System.Globalization;

namespace FaceEval.Core.Reporting;

/// <summary>
/// A self-contained HTML page made of sections: one file that opens offline, with its plots embedded and
/// nothing loaded from elsewhere. It shows only what its sections write: never an endpoint address.
/// </summary>
/// <param name="Title">The page's heading.</param>
/// <param name="Subtitle">A line under the heading (which models, for example).</param>
/// <param name="Sections">The sections, in order.</param>
/// <param name="Notice">The page's first line, above the heading, in a box: who may read it.</param>
public sealed record Report(string Title, string Subtitle, IReadOnlyList<IReportSection> Sections, string? Notice = null)
{
    private const string Style =
        "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}\n" +
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}th,td{border:1px solid #bbb;padding:0.3em 0.6em;text-align:right}\n" +
        "th{background:#eee}td.l,th.l{text-align:left}.ne{color:#a00}figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}\n" +
        "figcaption{font-size:0.9em;color:#555}small{color:#555}.notice{border:2px solid #a00;color:#a00;padding:0.4em 0.8em;font-weight:bold}\n";

    /// <summary>The page.</summary>
    /// <param name="generatedAt">Time stamp shown on the page; now when null.</param>
    public string ToHtml(DateTimeOffset? generatedAt = null)
    {
        var h = new HtmlBuilder();
        h.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Text($"FaceEval: {Title}").Raw("</title>\n<style>\n")
         .Raw(Style).Raw("</style>\n</head>\n<body>\n");
        if (Notice is not null) h.Raw("<p class=\"notice\">").Text(Notice).Raw("</p>\n");
        h.Raw("<h1>").Text(Title).Raw("</h1>\n")
         .Raw("<p><small>")
         .Text(string.Create(CultureInfo.InvariantCulture, $"Generated {(generatedAt ?? DateTimeOffset.UtcNow).ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC by FaceEval {typeof(Report).Assembly.GetName().Version?.ToString(3) ?? ""}. {Subtitle}"))
         .Raw("</small></p>\n");
        foreach (var section in Sections)
        {
            h.Raw("<h2>").Text(section.Title).Raw("</h2>\n");
            section.Render(h);
        }
        return h.Raw("</body>\n</html>\n").ToString();
    }
}
