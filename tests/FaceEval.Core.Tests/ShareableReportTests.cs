using FaceEval.Core.Evaluation;
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Tests;

/// <summary>The shareable report: aliases, what it leaves out, and the last check for names of the input.</summary>
public class ShareableReportTests
{
    [Fact]
    public void AliasesRunFromATo_ZThenTwoLetters()
    {
        Assert.Equal(new[] { "Model A", "Model B", "Model Z", "Model AA", "Model AZ", "Model BA" }, new[] { 0, 1, 25, 26, 51, 52 }.Select(ShareableReport.Alias));
        var aliases = ShareableReport.Aliases(new[] { "eagle", "dingo", "eagle" });
        Assert.Equal(("Model A", "Model B", 2), (aliases["eagle"], aliases["dingo"], aliases.Count));
    }

    [Fact]
    public void LeaksAreWholeWordsInAnyCaseAndEncodingButNotInImagesOrNumbers()
    {
        string html = "<p>Model A beat the b&amp;w model. Alice&#39;s face was seen.</p><img src=\"data:image/png;base64,QWxpY2Uvc2VjcmV0K2VhZ2xl+eagle/\"><p>10 folds</p>";
        Assert.Equal(new[] { "alice", "b&w" }, ShareableReport.Leaks(html, new[] { "alice", "b&w", "eagle", "Model", "A", "10", "mod" }).Where(l => l != "Model"));
        Assert.Contains("Model", ShareableReport.Leaks(html, new[] { "Model" })); // a secret that is a word of the page is found, not guessed away
        Assert.Empty(ShareableReport.Leaks(html, new[] { "alic", "eagles", "10", "0042" }));
    }

    [Fact]
    public void SecretsAreModelsIdentitiesAndFileNamesWithAndWithoutExtension()
    {
        var items = new[]
        {
            new EvaluationItem { Model = "eagle", Vector = new[] { 1f }, Identity = "ann", Label = "/data/crops/ann/IMG_0042.png" },
            new EvaluationItem { Model = "eagle", Vector = new[] { 1f }, Label = "/data/crops/x.png" },
        };
        var secrets = ShareableReport.Secrets(new[] { "eagle" }, items, "/lists/pairs-v2.txt");
        Assert.Equal(new[] { "IMG_0042", "IMG_0042.png", "ann", "eagle", "pairs-v2", "pairs-v2.txt", "x", "x.png" }, secrets.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheShareablePageShowsAliasesRatesAndNoScoresOrNames()
    {
        var results = new[] { ReportingTests.Result("dingo", 0.2, 1), ReportingTests.Result("eagle", 0.45, 2) };
        var settings = new[] { new ReportSetting("Pairs", "pair list my-pairs.txt"), new ReportSetting("Inputs per model", "DIFFERENT: eagle lacks ann/1.png"), new ReportSetting("Seedless", "x") };
        string shared = VerificationReport.Shareable(results, settings).ToHtml();
        Assert.Contains(ShareableReport.ShareableNotice, shared);
        Assert.Empty(ShareableReport.Leaks(shared, new[] { "dingo", "eagle", "my-pairs.txt", "ann" }));
        Assert.Contains("Model A", shared);
        Assert.Contains("the pairs of a pair list", shared);
        Assert.DoesNotContain("t = ", shared);            // no thresholds in the TAR table
        Assert.DoesNotContain("EER threshold", shared);
        Assert.DoesNotContain("Score distributions", shared);
        Assert.Contains(HtmlBuilder.Percent(results[1].OperatingPoints[0].Tar), shared);

        string full = VerificationReport.Html(results, settings);
        Assert.StartsWith("<p class=\"notice\">" + HtmlBuilder.Encode(ShareableReport.ConfidentialNotice), full[(full.IndexOf("<body>\n", StringComparison.Ordinal) + 7)..]);
        Assert.Contains("t = ", full);
    }
}
