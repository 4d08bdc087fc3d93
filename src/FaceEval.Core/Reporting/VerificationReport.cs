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
    /// <param name="comparisons">Paired comparisons of the models (<see cref="Evaluation.ComparisonRun"/>): when there are any, a <see cref="DecisionSection"/> comes first.</param>
    public static IReadOnlyList<IReportSection> Sections(IReadOnlyList<VerificationResult> results, IEnumerable<ReportSetting> settings, IReadOnlyList<RenderedPlot>? plots = null,
        IReadOnlyList<ModelComparison>? comparisons = null)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to report: no results.", nameof(results));
        var sections = new List<IReportSection>();
        if (comparisons is { Count: > 0 }) sections.Add(new DecisionSection(results, comparisons));
        sections.AddRange(new IReportSection[]
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
        });
        sections.AddRange(SubgroupsSection.For(results)); // -GroupBy: one section per attribute
        return sections;
    }

    /// <summary>The page with the verification sections alone.</summary>
    public static string Html(IReadOnlyList<VerificationResult> results, IEnumerable<ReportSetting> settings,
        IReadOnlyList<RenderedPlot>? plots = null, DateTimeOffset? generatedAt = null, IReadOnlyList<ModelComparison>? comparisons = null) =>
        Page(Sections(results, settings, plots, comparisons), results).ToHtml(generatedAt);

    /// <summary>A verification report page from any sections (the verification ones and those other analyses add), marked confidential on its first line.</summary>
    public static Report Page(IReadOnlyList<IReportSection> sections, IReadOnlyList<VerificationResult> results) =>
        new("Face verification report", $"Models: {string.Join(", ", results.Select(ModelTableSection.Name))}.", sections, ShareableReport.ConfidentialNotice);

    /// <summary>
    /// The shareable page (<see cref="ShareableReport"/>): every model under its alias (Model A, Model B, … in
    /// the order of <paramref name="results"/>), no thresholds, slopes or score distributions (the vendor's score
    /// scale), no file names in the settings, the same figures otherwise.
    /// </summary>
    /// <param name="results">One result per model, under its real name.</param>
    /// <param name="settings">Only the settings that name no file are shown.</param>
    /// <param name="comparisons">The paired comparisons, when the Decision section is wanted.</param>
    public static Report Shareable(IReadOnlyList<VerificationResult> results, IEnumerable<ReportSetting> settings, IReadOnlyList<ModelComparison>? comparisons = null)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to report: no results.", nameof(results));
        var aliases = ShareableReport.Aliases(results.Select(r => r.Model));
        var aliased = results.Select(r => r.Renamed(aliases[r.Model])).ToList();
        var sections = new List<IReportSection>();
        if (comparisons is { Count: > 0 })
            sections.Add(new DecisionSection(aliased, comparisons.Select(c => c with { ModelA = aliases[c.ModelA], ModelB = aliases[c.ModelB] }).ToList(), shareable: true));
        sections.Add(new SettingsSection(settings.Where(s => s_shareableSettings.Contains(s.Name)).Select(s => s.Name == "Pairs" && s.Value.StartsWith("pair list ", StringComparison.Ordinal) ? s with { Value = "the pairs of a pair list" } : s)));
        sections.Add(new ModelTableSection("Data", aliased, new (string, Func<VerificationResult, string>)[]
        {
            ("Genuine pairs", r => r.GenuinePairs.ToString("N0", s_inv)),
            ("Impostor pairs", r => r.ImpostorPairs.ToString("N0", s_inv)),
            ("Failures to enrol", r => r.FailureToEnrol.ToString("N0", s_inv)),
            ("Their pairs", r => r.FailureToEnrolHandling == "Exclude" ? "excluded" : "scored as rejections"),
        }));
        sections.Add(new ModelTableSection("Summary", aliased, new (string, Func<VerificationResult, string>)[]
        {
            ("AUC", r => r.Auc.ToString("0.0000", s_inv)),
            ("EER", r => HtmlBuilder.Percent(r.Eer) + HtmlBuilder.Interval(r.EerLow, r.EerHigh)),
            ("k-fold accuracy", r => r.Folds == 0 ? "not measured" : $"{HtmlBuilder.Percent(r.KFoldAccuracy)} ± {HtmlBuilder.Percent(r.KFoldStd)} ({r.Folds} folds)"),
            ("d′", r => r.DPrime.ToString("0.00", s_inv)),
        }));
        sections.Add(new TarAtFarSection(aliased, showThresholds: false));
        sections.Add(new PlotsSection(VerificationPlots.Render(aliased).Where(p => p.Name != "scores").ToList()));
        sections.Add(new VerificationConventionsSection(results[0].Convention));
        sections.AddRange(SubgroupsSection.For(aliased, shareable: true)); // -GroupBy: rates and counts, no thresholds
        return new Report("Face verification report", $"Models: {string.Join(", ", aliased.Select(r => r.Model))}.", sections, ShareableReport.ShareableNotice);
    }

    /// <summary>Settings a shareable report shows: none of them names a file or a model.</summary>
    private static readonly HashSet<string> s_shareableSettings = new(StringComparer.Ordinal)
    {
        "Pairs", "TAR at FAR rule", "Target FARs", "Failures to enrol", "k-fold", "Bootstrap", "Calibration", "Threshold transfer", "Model comparison",
    };
}
