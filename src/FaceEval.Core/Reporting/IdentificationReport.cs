namespace FaceEval.Core.Reporting;

/// <summary>
/// Identification on a report page: alone, or after the verification sections on the same page when both were
/// measured (the verification sections from <see cref="VerificationReport.Sections"/>, then the "Identification" section).
/// </summary>
public static class IdentificationReport
{
    /// <summary>The page: the verification sections first when <paramref name="verification"/> is given, then the identification section.</summary>
    /// <param name="results">One identification result per model.</param>
    /// <param name="settings">How identification was measured.</param>
    /// <param name="verification">Verification results of the same models and their settings, or null.</param>
    /// <param name="generatedAt">Time stamp shown on the page; now when null.</param>
    public static string Html(IReadOnlyList<IdentificationResult> results, IEnumerable<ReportSetting> settings,
        (IReadOnlyList<VerificationResult> Results, IEnumerable<ReportSetting> Settings)? verification = null, DateTimeOffset? generatedAt = null)
    {
        if (results.Count == 0) throw new ArgumentException("There is nothing to report: no results.", nameof(results));
        var sections = new List<IReportSection>();
        if (verification is { Results.Count: > 0 } v) sections.AddRange(VerificationReport.Sections(v.Results, v.Settings));
        sections.Add(new IdentificationSection(results, settings));
        var models = results.Select(r => r.Model).Concat(verification?.Results.Select(r => r.Model) ?? Array.Empty<string>()).Distinct().Select(m => m.Length == 0 ? "(no model)" : m);
        string title = verification is { Results.Count: > 0 } ? "Face verification and identification report" : "Face identification report";
        return new Report(title, $"Models: {string.Join(", ", models)}.", sections, ShareableReport.ConfidentialNotice).ToHtml(generatedAt);
    }
}
