namespace FaceEval.Core.Reporting;

/// <summary>The banner at the top of a report that shows faces: it holds biometric data and must be handled as such.</summary>
public sealed class BiometricDataNoticeSection : IReportSection
{
    public string Title => "This report contains biometric data";

    public void Render(HtmlBuilder html) =>
        html.Raw("<div class=\"biometric\" style=\"border:3px solid #b00020;background:#fde7ea;padding:0.6em 1em;margin:0 0 1.5em\"><b>")
            .Text("It shows photographs of people's faces (the failure gallery), which are biometric data (GDPR Art. 9). ")
            .Raw("</b>").Text("Share it only with those allowed to see the test set, keep it where the test set is kept, and delete it with the test set. A report without faces is written when -FailureGallery is left out.")
            .Raw("</div>\n");
}
