using System.Globalization;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The verification report: settings, data counts, failures to enrol, the summary and TAR-at-FAR tables with
/// one column per model, the plots, and the conventions. Other analyses add their sections to the same page
/// through <see cref="Sections"/> and <see cref="Report"/>.
/// </summary>
public static class VerificationReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>The verification sections, in page order.</summary>
    /// <param name="results">One result per model, all measured on the same pairs.</param>
    /// <param name="settings">How the measurement was made, shown as given.</param>
    /// <param name="plots">Figures to embed; rendered from <paramref name="results"/> when null.</param>
    public static IReadOnlyList<IReportSection> Sections(IReadOnlyList<VerificationResult> results, IEnumerable<ReportSetting> settings, IReadOnlyList<RenderedPlot>? plots = null)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to report: no results.", nameof(results));
        return new IReportSection[]
        {
            new SettingsSection(settings),
            new ModelTableSection("Data", results, new (string, Func<VerificationResult, string>)[]
            {
                ("Genuine pairs", r => r.GenuinePairs.ToString("N0", s_inv)),
                ("Impostor pairs", r => r.ImpostorPairs.ToString("N0", s_inv)),
                ("Failures to enrol", r => r.FailureToEnrol.ToString("N0", s_inv)),
                ("Their pairs", r => r.FailureToEnrolHandling == "Exclude" ? "excluded" : "scored as rejections"),
            }),
            new ModelTableSection("Summary", results, new (string, Func<VerificationResult, string>)[]
            {
                ("AUC", r => r.Auc.ToString("0.000000", s_inv)),
                ("EER", r => HtmlBuilder.Percent(r.Eer) + HtmlBuilder.Interval(r.EerLow, r.EerHigh)),
                ("EER threshold", r => r.EerThreshold.ToString("0.0000", s_inv)),
                ("k-fold accuracy", r => r.Folds == 0 ? "not measured" : $"{HtmlBuilder.Percent(r.KFoldAccuracy)} ± {HtmlBuilder.Percent(r.KFoldStd)} ({r.Folds} folds)"),
                ("d′", r => r.DPrime.ToString("0.000", s_inv)),
                ("Genuine score mean ± std", r => $"{r.GenuineMean.ToString("0.0000", s_inv)} ± {r.GenuineStd.ToString("0.0000", s_inv)}"),
                ("Impostor score mean ± std", r => $"{r.ImpostorMean.ToString("0.0000", s_inv)} ± {r.ImpostorStd.ToString("0.0000", s_inv)}"),
            }),
            new TarAtFarSection(results),
            new PlotsSection(plots ?? VerificationPlots.Render(results)),
            new VerificationConventionsSection(results[0].Convention),
        }.Concat(SubgroupsSection.For(results)).ToArray(); // -GroupBy: one section per attribute
    }

    /// <summary>The page with the verification sections alone.</summary>
    public static string Html(IReadOnlyList<VerificationResult> results, IEnumerable<ReportSetting> settings,
        IReadOnlyList<RenderedPlot>? plots = null, DateTimeOffset? generatedAt = null) =>
        Page(Sections(results, settings, plots), results).ToHtml(generatedAt);

    /// <summary>A verification report page from any sections (the verification ones and those other analyses add).</summary>
    public static Report Page(IReadOnlyList<IReportSection> sections, IReadOnlyList<VerificationResult> results) =>
        new("Face verification report", $"Models: {string.Join(", ", results.Select(ModelTableSection.Name))}.", sections);
}
