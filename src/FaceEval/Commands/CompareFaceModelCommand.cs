using System.Management.Automation;
using FaceEval.Core.Evaluation;

namespace FaceEval.PowerShell;

/// <summary>Compares models pair for pair on the same pairs: differences in TAR and EER with paired bootstrap intervals, Holm-adjusted p and a verdict.</summary>
[Cmdlet(VerbsData.Compare, "FaceModel", DefaultParameterSetName = AllPairsSet)]
[OutputType(typeof(ModelComparison))]
public sealed class CompareFaceModelCommand : PSCmdlet, IDisposable
{
    private const string AllPairsSet = "AllPairs";
    private const string SampledSet = "ImpostorSample";
    private const string PairListSet = "PairList";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [Alias("FarTargets")]
    [ValidateNotNullOrEmpty]
    public double[] FarTarget { get; set; } = { 1e-2, 1e-3, 1e-4 };

    /// <summary>Replicates of the paired bootstrap over identities. 100 is the least: fewer cannot reach p below 0.02 and give ragged interval ends.</summary>
    [Parameter]
    [Alias("Bootstrap")]
    [ValidateRange(100, 100000)]
    public int BootstrapCount { get; set; } = 1000;

    [Parameter]
    [ValidateRange(0.5, 0.999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>How the intervals and p are made: Wilson (default) or ClopperPearson per model with the MOVER for the difference, or the paired bootstrap's Bca or Percentile.</summary>
    [Parameter]
    public IntervalMethod IntervalMethod { get; set; } = IntervalMethod.Wilson;

    [Parameter]
    public int Seed { get; set; }

    [Parameter]
    public FailureToEnrolHandling FailureToEnrol { get; set; } = FailureToEnrolHandling.Reject;

    /// <summary>Compare on the pairs of this pair list only (LFW pairs.txt or CSV Reference,Difference,IsMatch[,Fold]).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PairListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PairListFileCompleter))]
    public string? PairList { get; set; }

    /// <summary>Every genuine pair and this many impostor pairs, drawn once (with -Seed) and used for every model.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SampledSet)]
    [ValidateRange(1, long.MaxValue)]
    public long ImpostorSample { get; set; }

    private readonly EvaluationSetBinder _input = new();
    private readonly CancellationTokenSource _stop = new();

    protected override void BeginProcessing()
    {
        foreach (var t in FarTarget)
            if (!(t > 0 && t <= 1))
                ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(FarTarget), t, "FAR targets are in (0, 1]."), "InvalidFarTarget", ErrorCategory.InvalidArgument, t));
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        if (InputObject.BaseObject is not FaceEmbedding)
        {
            string? file = (InputObject.BaseObject as FileInfo)?.FullName ?? InputObject.BaseObject as string;
            if (file is not null && file.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                ThrowTerminatingError(ErrorRecords.Create(new NotSupportedException(
                    $"'{Path.GetFileName(file)}' is an embedding file: read the files with Import-FaceEmbedding first (it takes each file's identity from its folder and its model from the run's manifest), for example: Get-ChildItem ./embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Compare-FaceModel"),
                    "EmbeddingFileInput", ErrorCategory.InvalidArgument, InputObject));
            WriteError(ErrorRecords.Argument("UnsupportedInput", "Compare-FaceModel takes FaceEmbedding objects (from Import-FaceEmbedding or Invoke-FaceEmbedding), each with an Identity and a Model.", InputObject));
            return;
        }
        try
        {
            _input.Add(InputObject);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or PSInvalidCastException)
        {
            WriteError(ErrorRecords.Create(e, "UnsupportedInput", ErrorCategory.InvalidArgument, InputObject));
        }
    }

    protected override void EndProcessing()
    {
        string? pairList = null;
        if (PairList is not null)
        {
            pairList = PathInput.ResolveOne(this, PairList);
            if (!File.Exists(pairList))
                ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.FileNotFound, $"The pair list '{PairList}' cannot be found.", PairList)));
        }
        var run = new ComparisonRun(new CmdletObserver(this))
        {
            FarTargets = FarTarget, BootstrapCount = BootstrapCount, Seed = Seed, ConfidenceLevel = ConfidenceLevel, FailureToEnrol = FailureToEnrol, IntervalMethod = IntervalMethod,
            PairListPath = pairList, ImpostorSample = ImpostorSample,
        };
        IReadOnlyList<ModelComparison> comparisons;
        try
        {
            comparisons = run.Run(_input.Embeddings, _stop.Token);
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
        foreach (var c in comparisons) WriteObject(c);
    }

    /// <summary>Ctrl+C: the bootstrap stops at its next batch of replicates.</summary>
    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();
}
