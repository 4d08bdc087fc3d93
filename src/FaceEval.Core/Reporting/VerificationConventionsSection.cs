namespace FaceEval.Core.Reporting;

/// <summary>The definitions behind the verification figures, with the TAR-at-FAR rule that was used.</summary>
public sealed class VerificationConventionsSection(FarConvention convention) : IReportSection
{
    public string Title => "Conventions";

    public void Render(HtmlBuilder html) => html.Raw("<ul>\n")
        .Raw("<li>Score: cosine similarity of the embeddings as the service returned them (their dot product, not re-normalised). A pair is accepted when its score is at least the threshold.</li>\n")
        .Raw("<li>FAR: share of impostor pairs accepted. TAR: share of genuine pairs accepted. FRR = 1 − TAR.</li>\n")
        .Raw(convention == FarConvention.Strict
            ? "<li>TAR at FAR (strict): the lowest threshold whose FAR is at most the target.</li>\n"
            : "<li>TAR at FAR (InsightFace): the scikit-learn ROC point with the FPR nearest the target, as in InsightFace's IJB 1:1 script; its achieved FAR may exceed the target.</li>\n")
        .Raw("<li>EER: at the midpoint between distinct scores where |FAR − FRR| is smallest, (FAR + FRR) / 2. AUC: exact (Mann–Whitney, ties count one half).</li>\n")
        .Raw("<li>Failures to enrol: inputs without an embedding (no face found). By default their pairs are rejections at every threshold.</li>\n")
        .Raw("</ul>\n");
}
