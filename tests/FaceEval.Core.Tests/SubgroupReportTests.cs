using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Tests;

/// <summary>The -AttributePath file and the report's Subgroups section.</summary>
public class SubgroupReportTests
{
    [Fact]
    public void TheAttributeFileJoinsOnIdentityAndSaysWhatIsWrongWithIt()
    {
        using var dir = new TempDir();
        string path = dir.File("attributes.csv");
        File.WriteAllText(path, "\uFEFFIdentity, Sex ,\"Age, band\"\r\nann,F,\"30-39\"\r\n\"bo\"\"b\",M,40-49\r\nann,F,30-39\r\n");
        var table = AttributeTable.Read(path);
        Assert.Equal(new[] { "Sex", "Age, band" }, table.Columns);
        Assert.Equal(2, table.Count);
        Assert.Equal("F", table.Value("ann", "sex"));
        Assert.Equal("40-49", table.Value("bo\"b", "Age, band"));
        Assert.Null(table.Value("cy", "Sex"));
        Assert.Null(table.Value("ann", "Region"));

        void Bad(string text, string says)
        {
            File.WriteAllText(path, text);
            var e = Assert.Throws<FaceEvalException>(() => AttributeTable.Read(path));
            Assert.Equal(FaceEvalError.AttributeFileInvalid, e.Error);
            Assert.Contains(says, e.Message);
        }
        Bad("Name,Sex\nann,F\n", "has no Identity column");
        Bad("Identity\nann\n", "no attribute column");
        Bad("Identity,Sex\nann,F\nann,M\n", "line 3 gives identity 'ann' values that differ");
        Bad("Identity,Sex\nann,\"F\n", "line 2: a quoted field is not closed");
        Bad("Identity,Sex\n,F\n", "line 2 has no Identity");
    }

    [Fact]
    public void TheSectionShowsNotEstimableRatesAsNeverZeroAndCitesTheDefinitions()
    {
        // 3 groups: two of 6 identities x 3 images, one of a single identity with 2 images (1 genuine pair, no impostor pair).
        var r = new Random(4);
        var vectors = new List<float[]>();
        var ids = new List<string>();
        var groups = new List<string?>();
        for (int id = 0; id < 13; id++)
        {
            var centre = Enumerable.Range(0, 6).Select(_ => r.NextDouble() - 0.5).ToArray();
            int images = id == 12 ? 2 : 3;
            for (int k = 0; k < images; k++)
            {
                vectors.Add(centre.Select(c => (float)(c + 0.3 * (r.NextDouble() - 0.5))).ToArray());
                ids.Add($"id{id}");
                groups.Add(id == 12 ? "tiny" : id % 2 == 0 ? "a" : "b");
            }
        }
        var breakdown = SubgroupAnalysis.Measure("m", vectors, ids, new[] { new GroupAttribute("Site", groups) }, groupFar: 0.05);
        var set = ScoreSet.Create(new[] { 0.9f, 0.8f }, new[] { 0.1f, 0.2f, 0.3f });
        var result = VerificationEvaluator.Evaluate("m", set, folds: 0).WithGroups(breakdown.Groups, breakdown.Cross, breakdown.Indices, breakdown.GroupFar, breakdown.Threshold);
        var tiny = breakdown.Groups.Single(g => g.Group == "tiny");
        Assert.False(tiny.FmrEstimable);
        Assert.True(tiny.FnmrEstimable);

        var sections = VerificationReport.Sections(new[] { result }, Array.Empty<ReportSetting>());
        var section = Assert.IsType<SubgroupsSection>(sections[^1]);
        Assert.Equal("Subgroups: Site", section.Title);
        var html = new HtmlBuilder();
        section.Render(html);
        string text = html.ToString();
        int row = text.IndexOf("<th class=\"l\">tiny</th>", StringComparison.Ordinal);
        Assert.True(row > 0);
        string tinyRow = text[row..text.IndexOf("</tr>", row, StringComparison.Ordinal)];
        Assert.Contains("<td class=\"ne\">n/e", tinyRow); // its FMR, and its group threshold
        Assert.DoesNotContain("<td><b>0</b>", tinyRow[..tinyRow.IndexOf("FM<", StringComparison.Ordinal)]);
        Assert.Contains("NISTIR 8429", text);
        Assert.Contains("Pereira and Marcel", text);
        Assert.Contains("left out of the FMR indices: tiny", text);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(text, "<figure>").Count); // the heat map and the DET curves
        // Without -GroupBy there is no such section.
        Assert.DoesNotContain(VerificationReport.Sections(new[] { VerificationEvaluator.Evaluate("m", set, folds: 0) }, Array.Empty<ReportSetting>()), s => s is SubgroupsSection);
    }
}
