using System.Management.Automation;
using System.Text;
using FaceEval.Core.Evaluation;
using FaceEval.Core.Identification;
using FaceEval.Core.IO;
using FaceEval.Core.Reporting;

namespace FaceEval.PowerShell;

/// <summary>
/// Measures 1:N identification per model: searches of probes in a gallery of enrolled identities, with rank,
/// CMC, FNIR at target FPIRs, selectivity and (optionally) bootstrap intervals and the gallery-size curve.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "FaceIdentification", SupportsShouldProcess = true)]
[OutputType(typeof(IdentificationResult))]
public sealed class MeasureFaceIdentificationCommand : PSCmdlet, IDisposable
{
    /// <summary>Embeddings (FaceEmbedding objects): the probes when -Gallery is given, else everything (split by Role or by the seeded split).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>The gallery's embeddings; the piped ones are then the probes.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public PSObject[]? Gallery { get; set; }

    [Parameter]
    [Alias("FpirTargets")]
    [ValidateNotNullOrEmpty]
    public double[] FpirTarget { get; set; } = IdentificationOptions.DefaultFpirTargets.ToArray();

    /// <summary>R of FNIR(R, T): how far down the candidate list a mate may be.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Rank { get; set; } = 1;

    /// <summary>The CMC's last rank.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int MaxRank { get; set; } = 20;

    [Parameter]
    public IdentificationConvention Convention { get; set; } = IdentificationConvention.Strict;

    [Parameter]
    public IdentificationProtocol Protocol { get; set; } = IdentificationProtocol.OneGallery;

    [Parameter]
    public TemplatePooling TemplatePooling { get; set; } = TemplatePooling.Media;

    /// <summary>Seeded split: the share of identities never enrolled (default 0.5; 0 with -Protocol SplitGallery).</summary>
    [Parameter]
    [ValidateRange(0.0, 0.99)]
    public double NonMatedShare { get; set; } = 0.5;

    /// <summary>Seeded split: gallery images per enrolled identity, the first by path.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int EnrolCount { get; set; } = 1;

    [Parameter]
    public int Seed { get; set; }

    /// <summary>Bootstrap replicates over the searching identities; 0 for none.</summary>
    [Parameter]
    [Alias("Bootstrap")]
    [ValidateRange(0, 100000)]
    public int BootstrapCount { get; set; }

    [Parameter]
    [ValidateRange(0.5, 0.999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Measure rank-1 and FNIR over gallery sizes on a geometric grid (seeded draws), with the independence prediction.</summary>
    [Parameter]
    public SwitchParameter GallerySizeCurve { get; set; }

    /// <summary>Draws per gallery size of the curve.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int GallerySizeDraws { get; set; } = 20;

    /// <summary>Self-contained HTML report with the "Identification" section.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary>Results of Measure-FaceVerification on the same embeddings: the report then holds both, on one page.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public VerificationResult[]? VerificationResult { get; set; }

    private readonly EvaluationSetBinder _input = new();
    private readonly CancellationTokenSource _stop = new();

    protected override void BeginProcessing()
    {
        if (BootstrapCount == 1)
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(BootstrapCount), BootstrapCount, "-BootstrapCount is 0 (no intervals) or at least 2 replicates."), "InvalidBootstrap", ErrorCategory.InvalidArgument, BootstrapCount));
        foreach (var t in FpirTarget)
            if (!(t > 0 && t <= 1))
                ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(FpirTarget), t, "FPIR targets are in (0, 1]."), "InvalidFpirTarget", ErrorCategory.InvalidArgument, t));
        if (Protocol == IdentificationProtocol.SplitGallery && (BootstrapCount > 0 || GallerySizeCurve.IsPresent))
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentException("-Protocol SplitGallery averages two galleries as the IJB protocol does; -BootstrapCount and -GallerySizeCurve measure one gallery. Leave out -Protocol SplitGallery for them."), "InvalidProtocol", ErrorCategory.InvalidArgument, Protocol));
        if (Gallery is not null && MyInvocation.BoundParameters.ContainsKey(nameof(NonMatedShare)))
            WriteWarning("-NonMatedShare and -EnrolCount shape the seeded split; with -Gallery the gallery is given, so they are ignored.");
        if (ReportPath is not null && System.IO.Path.GetExtension(ReportPath).ToLowerInvariant() is not (".html" or ".htm"))
            WriteWarning($"The report is an HTML page; '{ReportPath}' will hold HTML whatever its extension. Name it .html to open it in a browser.");
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        if (!Embedding(InputObject)) return;
        try
        {
            _input.Add(InputObject);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or PSInvalidCastException)
        {
            WriteError(ErrorRecords.Create(e, "UnsupportedInput", ErrorCategory.InvalidArgument, InputObject));
        }
    }

    /// <summary>Only embeddings can search or be enrolled: a .npy file stops the run with the fix, anything else is an error about it.</summary>
    private bool Embedding(PSObject input)
    {
        if (input.BaseObject is FaceEmbedding) return true;
        string? file = (input.BaseObject as FileInfo)?.FullName ?? input.BaseObject as string;
        if (file is not null && file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            ThrowTerminatingError(ErrorRecords.Create(new NotSupportedException(
                $"'{System.IO.Path.GetFileName(file)}' is an embedding file: read the files with Import-FaceEmbedding first (it takes each file's identity from its folder), for example: Get-ChildItem ./embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Measure-FaceIdentification"),
                "EmbeddingFileInput", ErrorCategory.InvalidArgument, input));
        WriteError(ErrorRecords.Argument("UnsupportedInput", "Measure-FaceIdentification takes FaceEmbedding objects (from Import-FaceEmbedding or Invoke-FaceEmbedding), each with an Identity and a Model.", input));
        return false;
    }

    protected override void EndProcessing()
    {
        EvaluationSetBinder? gallery = null;
        if (Gallery is not null)
        {
            gallery = new EvaluationSetBinder();
            foreach (var g in Gallery)
            {
                if (g is null || !Embedding(g)) continue;
                try
                {
                    gallery.Add(g);
                }
                catch (Exception e) when (e is ArgumentException or FormatException or PSInvalidCastException)
                {
                    WriteError(ErrorRecords.Create(e, "UnsupportedInput", ErrorCategory.InvalidArgument, g));
                }
            }
        }
        var options = new IdentificationOptions
        {
            FpirTargets = FpirTarget, Rank = Rank, MaxRank = MaxRank, Convention = Convention, Protocol = Protocol, TemplatePooling = TemplatePooling,
            NonMatedShare = MyInvocation.BoundParameters.ContainsKey(nameof(NonMatedShare)) ? NonMatedShare : null,
            EnrolCount = EnrolCount, Seed = Seed, BootstrapCount = BootstrapCount, ConfidenceLevel = ConfidenceLevel,
            GallerySizeCurve = GallerySizeCurve.IsPresent, GallerySizeDraws = GallerySizeDraws,
        };
        IdentificationOutcome outcome;
        try
        {
            outcome = new IdentificationRun(options, new CmdletObserver(this)).Run(_input.Embeddings, gallery?.Embeddings, _stop.Token);
        }
        catch (FaceEvalException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
            return;
        }
        catch (OperationCanceledException)
        {
            return; // Ctrl+C: PowerShell stops the pipeline
        }
        if (ReportPath is not null) WriteReport(outcome);
        foreach (var r in outcome.Results) WriteObject(r);
    }

    /// <summary>Writes the report; a failure is one error about the file and never costs the results.</summary>
    private void WriteReport(IdentificationOutcome outcome)
    {
        try
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ReportPath!, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                throw new NotSupportedException($"'{ReportPath}' is a {provider.Name} path, not a file-system path: give a file such as ./out/report.html");
            if (!ShouldProcess(path, "Write the HTML report")) return;
            WriteProgress(new ProgressRecord(3, "Measure-FaceIdentification", "Drawing plots"));
            var verification = VerificationResult is { Length: > 0 } v
                ? ((IReadOnlyList<VerificationResult>)v, (IEnumerable<ReportSetting>)new[] { new ReportSetting("Verification", "measured by Measure-FaceVerification; results given with -VerificationResult") })
                : ((IReadOnlyList<VerificationResult>, IEnumerable<ReportSetting>)?)null;
            string html = IdentificationReport.Html(outcome.Results, outcome.Settings, verification);
            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html), overwrite: true);
            OutputLedger.RecordInFolderOf(path, "report"); // for Remove-FaceEvalData
            WriteProgress(new ProgressRecord(3, "Measure-FaceIdentification", "Done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose($"Wrote {path}.");
        }
        catch (Exception e) when (e is not (PipelineStoppedException or ActionPreferenceStopException or OperationCanceledException))
        {
            string why = e is FaceEvalException { InnerException: IOException io } ? io.Message : e.Message.TrimEnd('.');
            WriteError(ErrorRecords.Create(new IOException($"Could not write '{ReportPath}': {why}.", e is FaceEvalException ? null : e), "ReportFailed", ErrorCategory.WriteError, ReportPath));
        }
    }

    /// <summary>Ctrl+C: the search and the bootstrap stop at their next step.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
