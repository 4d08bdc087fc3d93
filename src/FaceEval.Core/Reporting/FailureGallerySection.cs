using System.Globalization;
using FaceEval.Core.Evaluation;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The failure gallery: per model, the lowest-scoring genuine pairs and the highest-scoring impostor pairs
/// with both images as small embedded thumbnails, identities, file names (as the user gave them, without
/// folders), the score and the threshold; the other models' scores on the same pairs side by side; and the
/// images the service found no face in.
/// </summary>
public sealed class FailureGallerySection(IReadOnlyList<ModelGallery> galleries, Thumbnails thumbnails) : IReportSection
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public string Title => "Failure gallery";

    public void Render(HtmlBuilder html)
    {
        html.Raw("<p>").Text("Why a model fails: for each model, the genuine pairs it scores lowest and the impostor pairs it scores highest (ties in input order), " +
            "at the strict threshold of the first FAR target the data can measure; a pair is accepted when its score is at least the threshold. " +
            "Where several models are measured, each pair also shows the other models' scores on the same two images, and whether they fail on it too.").Raw("</p>\n");
        foreach (var g in galleries)
        {
            html.Raw("<h3>").Text(g.Model).Raw("</h3>\n<p>")
                .Text(double.IsNaN(g.TargetFar)
                    ? $"Threshold {g.Threshold.ToString("0.0000", s_inv)} (the EER threshold: no FAR target is estimable on these pairs)."
                    : $"Threshold {g.Threshold.ToString("0.0000", s_inv)}: the strict threshold at FAR {g.TargetFar.ToString("0.#####e0", s_inv)}.")
                .Raw("</p>\n");
            Pairs(html, g, g.Genuine, "genuine", $"The {g.Genuine.Count} lowest-scoring genuine pairs (same person)");
            Pairs(html, g, g.Impostor, "impostor", $"The {g.Impostor.Count} highest-scoring impostor pairs (different people)");
            html.Raw("<h4>").Text($"No face found ({g.NoFace.Count})").Raw("</h4>\n");
            if (g.NoFace.Count == 0) html.Raw("<p>").Text("The service found a face in every image.").Raw("</p>\n");
            else
            {
                html.Raw("<div>");
                foreach (var item in g.NoFace) html.Raw("<div style=\"display:inline-block;margin:0.3em;text-align:center\" data-noface=\"").Text(Name(item)).Raw("\">").Raw(Cell(item)).Raw("</div>");
                html.Raw("</div>\n");
            }
        }
    }

    private void Pairs(HtmlBuilder html, ModelGallery g, IReadOnlyList<GalleryPair> pairs, string kind, string heading)
    {
        html.Raw("<h4>").Text(heading).Raw("</h4>\n");
        if (pairs.Count == 0)
        {
            html.Raw("<p>").Text($"There are no {kind} pairs.").Raw("</p>\n");
            return;
        }
        html.Raw("<table class=\"gallery\">\n<tr><th>#</th><th class=\"l\">Image A</th><th class=\"l\">Image B</th><th>Score</th><th>At the threshold</th>");
        foreach (var (other, _, _) in pairs[0].Others) html.Raw("<th>").Text(other).Raw("</th>");
        html.Raw("</tr>\n");
        int n = 0;
        foreach (var p in pairs)
        {
            bool accepted = p.Score >= g.Threshold;
            bool fails = p.Genuine ? !accepted : accepted;
            html.Raw($"<tr data-model=\"").Text(g.Model).Raw($"\" data-kind=\"{kind}\" data-a=\"").Text(Name(p.A)).Raw("\" data-b=\"").Text(Name(p.B))
                .Raw($"\" data-score=\"{p.Score.ToString("R", s_inv)}\"><td>{++n}</td><td class=\"l\">").Raw(Cell(p.A)).Raw("</td><td class=\"l\">").Raw(Cell(p.B))
                .Raw($"</td><td>{p.Score.ToString("0.0000", s_inv)}</td><td{(fails ? " class=\"ne\"" : "")}>{(accepted ? "accepted" : "rejected")}{(fails ? " (an error)" : "")}</td>");
            foreach (var (_, score, threshold) in p.Others)
            {
                if (score is not double s) { html.Raw("<td>n/a</td>"); continue; }
                bool otherFails = p.Genuine ? s < threshold : s >= threshold;
                html.Raw($"<td{(otherFails ? " class=\"ne\"" : "")}>{s.ToString("0.0000", s_inv)}<br><small>{(otherFails ? "fails too" : "right")}</small></td>");
            }
            html.Raw("</tr>\n");
        }
        html.Raw("</table>\n");
    }

    /// <summary>The name shown for an item: its identity and its file name as the user gave it, without folders.</summary>
    private static string Name(EvaluationItem item) => $"{item.Identity}/{Path.GetFileName(item.Label)}";

    private string Cell(EvaluationItem item)
    {
        var h = new HtmlBuilder();
        var png = thumbnails.Of(item.Label);
        if (png is null) h.Raw("<small>(no image)</small><br>");
        else h.Raw($"<img style=\"max-width:{Thumbnails.Side}px;border:0\" alt=\"").Text(Name(item)).Raw("\" src=\"data:image/png;base64,").Raw(Convert.ToBase64String(png)).Raw("\"><br>");
        h.Raw("<small>").Text(item.Identity ?? "").Raw("<br>").Text(Path.GetFileName(item.Label)).Raw("</small>");
        return h.ToString();
    }
}
