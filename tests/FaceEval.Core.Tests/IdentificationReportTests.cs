using FaceEval.Core.Evaluation;
using FaceEval.Core.Identification;
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Tests;

public class IdentificationReportTests
{
    private static IdentificationOutcome Outcome(int identities)
    {
        var set = new EvaluationSet();
        var rnd = new Random(1);
        foreach (var model in new[] { "owl", "emu" })
            for (int id = 0; id < identities; id++)
            {
                var centre = Enumerable.Range(0, 6).Select(_ => rnd.NextDouble() - 0.5).ToArray();
                for (int k = 0; k < 3; k++)
                    set.Add(new EvaluationItem { Model = model, Identity = $"id{id:00}", Label = $"{model}/id{id:00}/{k}", Vector = centre.Select(c => (float)(c + 0.3 * (rnd.NextDouble() - 0.5))).ToArray() });
            }
        return new IdentificationRun(new IdentificationOptions { FpirTargets = new[] { 0.1, 0.001 }, GallerySizeCurve = true, GallerySizeDraws = 3 }).Run(set);
    }

    [Fact]
    public void TheIdentificationSectionShowsEveryModelSideBySideWithNeForWhatCannotBeMeasured()
    {
        var outcome = Outcome(20);
        string html = IdentificationReport.Html(outcome.Results, outcome.Settings);
        Assert.Contains("<h2>Identification</h2>", html);
        Assert.Contains("<th>emu</th><th>owl</th>", html);
        Assert.Contains("n/e", html);             // FPIR 1e-3 with 30 non-mated searches
        Assert.DoesNotContain("NaN", html);
        Assert.Contains("Gallery size", html);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "data:image/png;base64").Count); // CMC, FNIR-FPIR, gallery size
        Assert.Contains("Face identification report", html);
    }

    [Fact]
    public void WithVerificationResultsBothAnalysesShareOnePage()
    {
        var outcome = Outcome(10);
        var set = new EvaluationSet();
        var rnd = new Random(2);
        for (int id = 0; id < 10; id++)
            for (int k = 0; k < 3; k++)
                set.Add(new EvaluationItem { Model = "owl", Identity = $"id{id}", Label = $"id{id}/{k}", Vector = Enumerable.Range(0, 4).Select(_ => (float)rnd.NextDouble()).ToArray() });
        var verification = new VerificationRun(new VerificationOptions { FoldCount = 0 }).Run(set, Array.Empty<ScoredPair>());
        string html = IdentificationReport.Html(outcome.Results, outcome.Settings, (verification.Results, verification.Settings));
        Assert.Contains("Face verification and identification report", html);
        int summary = html.IndexOf("<h2>Summary</h2>", StringComparison.Ordinal), identification = html.IndexOf("<h2>Identification</h2>", StringComparison.Ordinal);
        Assert.True(summary > 0 && identification > summary, "the verification sections come first, then identification");
    }
}
