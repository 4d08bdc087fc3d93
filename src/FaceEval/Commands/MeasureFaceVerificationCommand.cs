using System.Management.Automation;
using System.Text;
using FaceEval.Core.Evaluation;
using FaceEval.Core.IO;
using FaceEval.Core.Reporting;

namespace FaceEval.PowerShell;

/// <summary>Measures verification accuracy per model from embeddings or from scored pairs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "FaceVerification", DefaultParameterSetName = AllPairsSet, SupportsShouldProcess = true)]
[OutputType(typeof(VerificationResult))]
public sealed partial class MeasureFaceVerificationCommand : PSCmdlet, IDisposable
{
    // Which pairs: all of them (and then a bootstrap may resample their identities), a sample of the impostor
    // pairs, or a pair list. The three exclude each other.
    private const string AllPairsSet = "AllPairs";
    private const string SampledSet = "ImpostorSample";
    private const string PairListSet = "PairList";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [Alias("FarTargets")]
    [ValidateNotNullOrEmpty]
    public double[] FarTarget { get; set; } = VerificationOptions.DefaultFarTargets.ToArray();

    [Parameter]
    public FarConvention Convention { get; set; } = FarConvention.Strict;

    [Parameter]
    public FailureToEnrolHandling FailureToEnrol { get; set; } = FailureToEnrolHandling.Reject;

    [Parameter(Mandatory = true, ParameterSetName = PairListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PairListFileCompleter))]
    public string? PairList { get; set; }

    [Parameter]
    [Alias("Folds")]
    [ValidateRange(0, 1000)]
    public int FoldCount { get; set; } = 10;

    [Parameter]
    public int Seed { get; set; }

    /// <summary>Bootstrap replicates (identities resampled with replacement) for intervals on TAR and EER; 0 for none.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [Alias("Bootstrap")]
    [ValidateRange(0, 100000)]
    public int BootstrapCount { get; set; }

    /// <summary>
    /// Seeded splits of the identities for the threshold transfer check (the a-priori threshold check of
    /// biometric practice: development/evaluation split by identity, ISO/IEC 19795-1 / bob.measure's dev/eval);
    /// 0 for none. 20 is a sensible number.
    /// </summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateRange(0, 100000)]
    public int TransferCheck { get; set; }

    /// <summary>Calibrate the scores into log-likelihood ratios (Cllr, MinCllr in bits; Brümmer and du Preez 2006): VerificationResult.Calibration.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    public SwitchParameter Calibrate { get; set; }

    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateRange(0.5, 0.999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>
    /// Attributes to break the results down by (Sex, AgeBand, ...): per group FMR and FNMR at one global
    /// threshold, cross-group FMR and the NIST inequity and FDR indices (VerificationResult.Groups and friends).
    /// Values come from the embeddings' own properties (columns of the detections CSV) or -AttributePath.
    /// </summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateNotNullOrEmpty]
    public string[]? GroupBy { get; set; }

    /// <summary>Target FMR of the global threshold of -GroupBy (the strict threshold over all impostor pairs); default 1e-3, NIST's report cards use 1e-4.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    public double GroupFar { get; set; } = 1e-3;

    /// <summary>A CSV with an Identity column and attribute columns, joined on identity for -GroupBy; an image's own value wins.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateNotNullOrEmpty]
    public string? AttributePath { get; set; }

    /// <summary>
    /// How the intervals of TAR and EER are computed (and asks for them): Wilson (the default, chosen by the
    /// coverage study in bench/coverage), ClopperPearson, Bca or Percentile. Without it, -BootstrapCount alone
    /// also gives intervals, by the default method.
    /// </summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    public IntervalMethod IntervalMethod { get; set; } = VerificationOptions.DefaultIntervalMethod;

    /// <summary>Score all genuine pairs but only this many impostor pairs, drawn uniformly (seeded by -Seed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SampledSet)]
    [ValidateRange(1, long.MaxValue)]
    public long ImpostorSample { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RocPath { get; set; }

    /// <summary>Folder for roc, det and scores plots, each as PNG and SVG.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlotPath { get; set; }

    /// <summary>Self-contained HTML report (tables, embedded plots, settings, counts).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    /// <summary>A second report for people outside the evaluation agreement: models under aliases, no identities, file names, thresholds or score distributions.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ShareablePath { get; set; }

    /// <summary>Count only block i of n of the pair space ("2/4"), for a run split over processes or machines; needs -SaveState.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidatePattern(@"^\s*\d+\s*/\s*\d+\s*$")]
    public string? PairBlock { get; set; }

    /// <summary>Write the counts of this run (or block) to this verification state file, for Merge-FaceVerificationState.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateNotNullOrEmpty]
    public string? SaveState { get; set; }

    /// <summary>A plan file of Merge-FaceVerificationState: refine this block's counts for it.</summary>
    [Parameter(ParameterSetName = AllPairsSet)]
    [ValidateNotNullOrEmpty]
    public string? Plan { get; set; }

    private readonly EvaluationSetBinder _input = new();
    private readonly CancellationTokenSource _stop = new();

    protected override void BeginProcessing()
    {
        if (BootstrapCount == 1)
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(BootstrapCount), BootstrapCount, "-BootstrapCount is 0 (no intervals) or at least 2 replicates."), "InvalidBootstrap", ErrorCategory.InvalidArgument, BootstrapCount));
        if (FoldCount == 1)
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(FoldCount), FoldCount, "-FoldCount is 0 (no k-fold accuracy) or at least 2."), "InvalidFolds", ErrorCategory.InvalidArgument, FoldCount));
        // Output paths that look like something else: say what will happen, before it does.
        if (PlotPath is not null && System.IO.Path.GetExtension(PlotPath).ToLowerInvariant() is ".png" or ".svg" or ".jpg" or ".jpeg" or ".pdf")
            WriteWarning($"-PlotPath names a folder (it gets roc, det and scores as PNG and SVG); '{PlotPath}' will be created as a folder of that name.");
        if (ReportPath is not null && System.IO.Path.GetExtension(ReportPath).ToLowerInvariant() is not (".html" or ".htm"))
            WriteWarning($"The report is an HTML page; '{ReportPath}' will hold HTML whatever its extension. Name it .html to open it in a browser.");
        if (!(GroupFar > 0 && GroupFar <= 1))
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(GroupFar), GroupFar, "-GroupFar is a target FMR in (0, 1], such as 1e-3 or 1e-4."), "InvalidGroupFar", ErrorCategory.InvalidArgument, GroupFar));
        if (GroupBy is null && (AttributePath is not null || MyInvocation.BoundParameters.ContainsKey(nameof(GroupFar))))
            ThrowTerminatingError(ErrorRecords.Argument("GroupByRequired", "-GroupFar and -AttributePath set up the subgroup breakdown: name the attributes to group by with -GroupBy (for example -GroupBy Sex).", AttributePath));
        if (GroupBy is not null && GroupBy.Any(string.IsNullOrWhiteSpace))
            ThrowTerminatingError(ErrorRecords.Argument("GroupByRequired", "-GroupBy names attributes (for example Sex, AgeBand); an empty name is not one.", null));
        if (PairBlock is not null && ParsePairBlock(PairBlock) is not (int index, int count) || _pairBlock is (int i, int n) && (i < 1 || i > n))
            ThrowTerminatingError(ErrorRecords.Argument("InvalidPairBlock", $"-PairBlock is i/n with 1 <= i <= n, such as 2/4 (block 2 of 4); '{PairBlock}' is not.", PairBlock));
        if ((PairBlock is not null || Plan is not null) && SaveState is null)
            ThrowTerminatingError(ErrorRecords.Argument("SaveStateRequired", "-PairBlock and -Plan count a block of the pairs for a later merge: give -SaveState with the file to write the counts to.", PairBlock ?? Plan));
        CheckReportSections();
        foreach (var t in FarTarget)
            if (!(t > 0 && t <= 1))
                ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(FarTarget), t, "FAR targets are in (0, 1]."), "InvalidFarTarget", ErrorCategory.InvalidArgument, t));
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        try
        {
            _input.Add(InputObject);
        }
        catch (FormatException e)
        {
            WriteError(ErrorRecords.Create(e, "InvalidScore", ErrorCategory.InvalidData, InputObject));
        }
        catch (NotSupportedException e)
        {
            ThrowTerminatingError(ErrorRecords.Create(e, "EmbeddingFileInput", ErrorCategory.InvalidArgument, InputObject));
        }
        catch (Exception e) when (e is ArgumentException or PSInvalidCastException)
        {
            WriteError(ErrorRecords.Create(e, "UnsupportedInput", ErrorCategory.InvalidArgument, InputObject));
        }
    }

    protected override void EndProcessing()
    {
        string? pairList = null;
        if (PairList is not null)
        {
            try
            {
                pairList = FileSystemPath(PairList);
            }
            catch (Exception e) when (e is RuntimeException or NotSupportedException or ArgumentException or IOException)
            {
                ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.FileNotFound, $"The pair list '{PairList}' cannot be found: {e.Message}", PairList)));
            }
        }
        string? statePath = null, planPath = null;
        try
        {
            statePath = SaveState is null ? null : FileSystemPath(SaveState);
            planPath = Plan is null ? null : FileSystemPath(Plan);
        }
        catch (Exception e) when (e is RuntimeException or NotSupportedException or ArgumentException or IOException)
        {
            ThrowTerminatingError(ErrorRecords.Argument("InvalidStatePath", e.Message, SaveState ?? Plan));
        }
        if (statePath is not null && !ShouldProcess(statePath, "Write the verification state (counts)")) statePath = null;
        string? attributes = null;
        if (AttributePath is not null)
        {
            try
            {
                attributes = FileSystemPath(AttributePath);
                if (!File.Exists(attributes)) throw new IOException($"there is no file '{attributes}'");
            }
            catch (Exception e) when (e is RuntimeException or NotSupportedException or ArgumentException or IOException)
            {
                ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.FileNotFound, $"The attribute file '{AttributePath}' cannot be found: {e.Message}", AttributePath)));
            }
        }
        var options = new VerificationOptions
        {
            GroupBy = GroupBy?.Select(g => g.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? Array.Empty<string>(), GroupFar = GroupFar, AttributePath = attributes,
            PairBlock = _pairBlock, StatePath = statePath, PlanPath = planPath,
            FarTargets = FarTarget, Convention = Convention, FailureToEnrol = FailureToEnrol,
            PairListPath = pairList,
            FoldCount = FoldCount, Seed = Seed, BootstrapCount = BootstrapCount, ConfidenceLevel = ConfidenceLevel, ImpostorSample = ImpostorSample,
            TransferCheck = TransferCheck, Calibrate = Calibrate.IsPresent,
            IntervalMethod = MyInvocation.BoundParameters.ContainsKey(nameof(IntervalMethod)) ? IntervalMethod : null,
            CompareModels = ReportPath is not null || ShareablePath is not null, // the report's Decision section
        };
        VerificationOutcome outcome;
        try
        {
            outcome = new VerificationRun(options, new CmdletObserver(this)).Run(_input.Embeddings, _input.ScoredPairs, _stop.Token);
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
        if (RocPath is not null) WriteFile(RocPath, RocPath, "RocFailed", "Write the ROC points", path => { RocCsv.Write(path, outcome.Results); OutputLedger.RecordInFolderOf(path, "roc"); });
        if (PlotPath is not null || ReportPath is not null || ShareablePath is not null) WritePlotsAndReport(outcome, pairList);
        if (outcome.Results.Count == 0 && statePath is not null)
            WriteVerbose($"Counted block {PairBlock} into {statePath}. When every block is counted, merge them: Merge-FaceVerificationState <the state files>.");
        foreach (var r in outcome.Results) WriteObject(TargetColumnsView.Tag(this, r, FarTarget, MyInvocation.BoundParameters.ContainsKey(nameof(FarTarget))));
    }

    private (int Index, int Count)? _pairBlock;

    /// <summary>"i/n" as numbers (null when it is not that).</summary>
    private (int Index, int Count)? ParsePairBlock(string text)
    {
        var parts = text.Split('/');
        _pairBlock = parts.Length == 2 && int.TryParse(parts[0].Trim(), out int i) && int.TryParse(parts[1].Trim(), out int n) ? (i, n) : null;
        return _pairBlock;
    }

    /// <summary>Ctrl+C: the bootstrap stops at its next replicate.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>Renders the plots once for both outputs. A failure here is reported per file and never costs the results.</summary>
    private void WritePlotsAndReport(VerificationOutcome outcome, string? pairList)
    {
        IReadOnlyList<RenderedPlot>? plots = null;
        WriteProgress(new ProgressRecord(3, "Measure-FaceVerification", "Drawing plots"));
        if (PlotPath is not null)
        {
            // The folder first (one error when it cannot be had), then each file on its own: a file whose name
            // is taken by a folder costs that file, not the other plots.
            string? folder = null;
            bool ready = WriteFile(PlotPath, PlotPath, "PlotFailed", "Write ROC, DET and score distribution plots (PNG and SVG)", path =>
            {
                plots = VerificationPlots.Render(outcome.Results);
                AtomicFile.CreateFolder(path);
                folder = path;
            }, verbose: false);
            if (ready && plots is not null && folder is string dir)
            {
                // -GroupBy: each attribute's heat map and per-group DET curves too, per model.
                var subgroupPlots = SubgroupsSection.For(outcome.Results).OfType<SubgroupsSection>().SelectMany(s => s.Plots).ToList();
                foreach (var (name, bytes) in VerificationPlots.Files(plots.Concat(subgroupPlots).ToList()))
                {
                    string file = System.IO.Path.Combine(dir, name);
                    WriteFile(PlotPath, System.IO.Path.Combine(PlotPath, name), "PlotFailed", null, _ => { AtomicFile.WriteAllBytes(file, bytes, overwrite: true); OutputLedger.RecordInFolderOf(file, "plot"); }, shown: file);
                }
            }
        }
        if (ReportPath is not null)
            WriteFile(ReportPath, ReportPath, "ReportFailed", "Write the HTML report", path =>
            {
                string html = VerificationReport.Page(ReportSections(outcome, plots ??= VerificationPlots.Render(outcome.Results)), outcome.Results).ToHtml();
                AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html), overwrite: true);
                OutputLedger.RecordInFolderOf(path, "report");
            });
        if (ShareablePath is not null) WriteShareable(outcome, pairList);
        WriteProgress(new ProgressRecord(3, "Measure-FaceVerification", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>
    /// The shareable report, checked before it is written: when any model name, identity or file name of the
    /// input would show in it, it is not written and one error says which (ShareableReportLeak).
    /// </summary>
    private void WriteShareable(VerificationOutcome outcome, string? pairList)
    {
        string html = VerificationReport.Shareable(outcome.Results, outcome.Settings, outcome.Comparisons).ToHtml();
        var secrets = ShareableReport.Secrets(outcome.Results.Select(r => r.Model), _input.Embeddings.Models.SelectMany(_input.Embeddings.Items), pairList);
        var leaks = ShareableReport.Leaks(html, secrets);
        if (leaks.Count > 0)
        {
            WriteError(ErrorRecords.Create(new InvalidOperationException(
                $"The shareable report was not written: it would show {leaks.Count:N0} name(s) of the input ({string.Join(", ", leaks.Take(5).Select(l => $"'{l}'"))}): a model name, identity or file name that is also a word of the report. " +
                "Rename what clashes, or share the figures by hand."), "ShareableReportLeak", ErrorCategory.SecurityError, ShareablePath));
            return;
        }
        WriteFile(ShareablePath!, ShareablePath!, "ReportFailed", "Write the shareable HTML report", path =>
        {
            AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html), overwrite: true);
            OutputLedger.RecordInFolderOf(path, "shareable-report");
        });
    }

    /// <summary>
    /// Writes one output after ShouldProcess (when <paramref name="action"/> is given). Whatever goes wrong (a
    /// path on no drive or on another provider, a folder or file in the way, no permission, the plot library
    /// missing) is one non-terminating error whose target is the path as the user gave it and whose message
    /// names <paramref name="named"/> as given, never a temporary file: the results are computed and are not lost.
    /// </summary>
    /// <returns>True when written.</returns>
    private bool WriteFile(string userPath, string named, string errorId, string? action, Action<string> write, string? shown = null, bool verbose = true)
    {
        try
        {
            string path = FileSystemPath(userPath);
            if (action is not null && !ShouldProcess(path, action)) return false;
            write(path);
            if (verbose) WriteVerbose($"Wrote {shown ?? path}.");
            return true;
        }
        catch (Exception e) when (e is not (PipelineStoppedException or ActionPreferenceStopException or OperationCanceledException))
        {
            // Deliberately broad: this runs after the measurement, and no failure to write a file may cost it.
            string why = e is FaceEvalException { InnerException: IOException io } ? io.Message : e.Message.TrimEnd('.');
            WriteError(ErrorRecords.Create(new IOException($"Could not write '{named}': {why}.", e is FaceEvalException ? null : e), errorId, ErrorCategory.WriteError, userPath));
            return false;
        }
    }

    /// <summary>The file-system path of an output parameter; one on another provider (Variable:, Env:) is refused, not written somewhere else.</summary>
    private string FileSystemPath(string userPath)
    {
        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(userPath, out var provider, out _);
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
            throw new NotSupportedException($"'{userPath}' is a {provider.Name} path, not a file-system path: give a file or folder such as ./out/roc.csv");
        return path;
    }

    public void Dispose() => _stop.Dispose();
}
