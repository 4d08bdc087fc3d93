using System.Management.Automation;
using FaceEval.Core.Evaluation;
using FaceEval.Core.Reporting;
using FaceEval.Core.Service;

namespace FaceEval.PowerShell;

// The report sections of #16: the service account (-RunManifest) and the failure gallery (-FailureGallery).
public sealed partial class MeasureFaceVerificationCommand
{
    /// <summary>Run manifests of the embedding runs: the report gets a "Service" section with their account and a latency histogram.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RunManifest { get; set; }

    /// <summary>
    /// Puts faces in the report: per model, the K lowest-scoring genuine and K highest-scoring impostor pairs with
    /// thumbnails of both images, and the images the service found no face in. Off by default (0).
    /// </summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int FailureGallery { get; set; }

    private void CheckReportSections()
    {
        if ((FailureGallery > 0 || RunManifest is not null) && ReportPath is null)
            ThrowTerminatingError(ErrorRecords.Argument("ReportPathRequired", "-FailureGallery and -RunManifest add sections to the HTML report: give the report's file with -ReportPath.", null));
    }

    /// <summary>The report's sections: the verification ones (the Decision section first with two or more models), then the service account and the failure gallery when asked for (with the biometric-data banner first), then the alias key of -ShareablePath.</summary>
    private IReadOnlyList<IReportSection> ReportSections(VerificationOutcome outcome, IReadOnlyList<RenderedPlot> plots)
    {
        var sections = new List<IReportSection>();
        IReadOnlyList<ModelGallery>? galleries = null;
        if (FailureGallery > 0)
        {
            galleries = FaceEval.Core.Evaluation.FailureGallery.Build(_input.Embeddings, outcome.Results, FailureGallery);
            if (galleries.Count == 0) WriteWarning("-FailureGallery shows pairs of embeddings: scored pairs have no images to show, so the report has no gallery.");
            else sections.Add(new BiometricDataNoticeSection());
        }
        sections.AddRange(VerificationReport.Sections(outcome.Results, outcome.Settings, plots, outcome.Comparisons));
        if (RunManifest is not null)
        {
            var rows = new List<ManifestRow>();
            foreach (var manifest in ManifestFiles.Resolve(this, RunManifest))
            {
                try { rows.AddRange(FaceEval.Core.Service.RunManifest.Read(manifest)); }
                catch (FaceEvalException e) { WriteError(ErrorRecords.From(e, manifest)); }
            }
            var accounts = ServiceAccount.Of(rows);
            if (accounts.Count == 0) WriteWarning("The run manifests given with -RunManifest hold no rows: the report has no Service section.");
            else sections.Add(new ServiceSection(accounts));
        }
        if (galleries is { Count: > 0 }) sections.Add(new FailureGallerySection(galleries, new Thumbnails()));
        // The key to the shareable report's aliases: in the private report only.
        if (ShareablePath is not null) sections.Add(new AliasSection(ShareableReport.Aliases(outcome.Results.Select(r => r.Model))));
        return sections;
    }
}
