using System.Management.Automation;
using FaceEval.Core.Planning;
using FaceEval.Core.Service;

namespace FaceEval.PowerShell;

/// <summary>
/// Plans an evaluation before the endpoint arrives: requests and time at the rate limit per model and in all,
/// whether that fits the window with a margin (and what to cut if not), the pairs the test set gives, which
/// FAR targets they can measure, and the 1:N counts of the default split. Sends nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FaceEvalPlan", DefaultParameterSetName = AssumedSet)]
[OutputType(typeof(EvaluationPlan))]
public sealed class GetFaceEvalPlanCommand : PSCmdlet
{
    private const string AssumedSet = "AssumedRetries";
    private const string ObservedSet = "ObservedRetries";
    private static readonly HashSet<string> s_imageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".pgm", ".bmp", ".tif", ".tiff", ".webp", ".ppm" };

    /// <summary>Crops (Get-FaceCrop), files, or rows with a Path (or FullName) and an Identity (Import-Csv of a crop list).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Folders of images, one sub-folder per identity (like ORL's s1 ... s40), or image files.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true)]
    [ValidateRange(0.001, 100000.0)]
    public double RequestsPerSecond { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 4;

    [Parameter]
    [ValidateRange(0.0, 600000.0)]
    public double ExpectedLatencyMs { get; set; }

    [Parameter(ParameterSetName = AssumedSet)]
    [ValidateRange(0.0, 100.0)]
    public double RetryShare { get; set; } = 0.05;

    /// <summary>Manifests of an earlier run (a rehearsal, or the first model): the retry share they show replaces -RetryShare.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ObservedSet)]
    [ValidateNotNullOrEmpty]
    public string[]? RunManifest { get; set; }

    [Parameter]
    [ValidateRange(0, 10000)]
    public int Canary { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int CanaryInterval { get; set; }

    [Parameter]
    public DateTime WindowStart { get; set; } = DateTime.Today;

    [Parameter]
    [ValidateRange(0.01, 3650.0)]
    public double WindowDays { get; set; } = 14;

    [Parameter]
    [ValidateRange(0.0, 0.99)]
    public double Margin { get; set; } = 0.5;

    [Parameter]
    [Alias("FarTargets")]
    [ValidateNotNullOrEmpty]
    public double[] FarTarget { get; set; } = { 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };

    private readonly List<PlanItem> _items = new();

    protected override void BeginProcessing()
    {
        foreach (var t in FarTarget)
            if (!(t > 0 && t <= 1))
                ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(FarTarget), t, "FAR targets are in (0, 1]."), "InvalidFarTarget", ErrorCategory.InvalidArgument, t));
        if (Path is not null)
            foreach (var p in Path) AddPath(p);
    }

    protected override void ProcessRecord()
    {
        if (InputObject?.BaseObject is null) return;
        object o = InputObject.BaseObject;
        string? identity = o is string or FileSystemInfo ? null : InputObject.Properties["Identity"]?.Value?.ToString();
        string? path = o switch
        {
            FaceCrop crop => crop.Path ?? crop.SourcePath,
            FileInfo file => file.FullName,
            DirectoryInfo folder => folder.FullName,
            string s => s,
            _ => (InputObject.Properties["Path"]?.Value ?? InputObject.Properties["FullName"]?.Value ?? InputObject.Properties["SourcePath"]?.Value)?.ToString(),
        };
        if (path is null)
        {
            WriteError(ErrorRecords.Argument("NoPathOnInput", $"The piped object has no Path, FullName or SourcePath: pipe crops, files, or rows with a Path and an Identity. ({InputObject})", InputObject));
            return;
        }
        if (o is DirectoryInfo || (o is string && Directory.Exists(PathInput.ResolveOne(this, path)))) AddPath(path);
        else _items.Add(new PlanItem(identity ?? FolderName(path), path, o is string or FileSystemInfo ? null : InputObject.Properties["ConsentRef"]?.Value?.ToString()));
    }

    protected override void EndProcessing()
    {
        if (_items.Count == 0)
            ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.NoInput, "There are no images to plan for: give folders of images with -Path (one sub-folder per identity), or pipe crops or rows with a Path and an Identity.")));
        double retryShare = RetryShare;
        string source = "assumed";
        if (RunManifest is not null)
        {
            var rows = new List<ManifestRow>();
            foreach (var manifest in ManifestFiles.Resolve(this, RunManifest))
            {
                try { rows.AddRange(FaceEval.Core.Service.RunManifest.Read(manifest)); }
                catch (FaceEvalException e) { WriteError(ErrorRecords.From(e, manifest)); }
            }
            var accounts = ServiceAccount.Of(rows);
            long items = accounts.Sum(a => (long)a.Items), requests = accounts.Sum(a => a.Requests);
            if (items == 0)
                ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.NoInput, "The run manifests given with -RunManifest hold no items: run a rehearsal first, or give the retry share with -RetryShare.")));
            retryShare = Math.Max(0, (double)(requests - items) / items);
            source = $"observed on {items:N0} items";
        }
        var plan = EvaluationPlanner.Plan(_items, new PlanOptions
        {
            Models = Model, RequestsPerSecond = RequestsPerSecond, ThrottleLimit = ThrottleLimit, ExpectedLatencyMs = ExpectedLatencyMs,
            RetryShare = retryShare, RetryShareSource = source, Canary = Canary, CanaryInterval = CanaryInterval,
            WindowStart = new DateTimeOffset(WindowStart), WindowDays = WindowDays, Margin = Margin, FarTargets = FarTarget,
        });
        if (plan.IdentitiesWithOneImage.Count > 0)
            WriteWarning($"{plan.IdentitiesWithOneImage.Count} identit{(plan.IdentitiesWithOneImage.Count == 1 ? "y has" : "ies have")} fewer than two images and give no genuine pair (see IdentitiesWithOneImage).");
        if (!plan.Fits) WriteWarning(plan.Advice);
        foreach (var t in plan.FarTargets.Where(t => !t.Estimable))
            WriteVerbose($"FAR {t.TargetFar:0.#####e0} is not estimable: it needs {t.PairsNeeded:N0} impostor pairs, the set gives {t.ImpostorPairs:N0}.");
        WriteObject(plan);
    }

    private void AddPath(string path)
    {
        IList<string> resolved;
        try
        {
            resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (Exception e) when (e is ItemNotFoundException or ArgumentException or NotSupportedException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException)
        {
            WriteError(ErrorRecords.Create(new ItemNotFoundException($"Cannot find '{path}': give folders of images (one sub-folder per identity) or image files.", e), "FileNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }
        foreach (var r in resolved)
        {
            if (Directory.Exists(r))
            {
                foreach (var file in Directory.EnumerateFiles(r, "*", SearchOption.AllDirectories).Where(f => s_imageExtensions.Contains(System.IO.Path.GetExtension(f))).Order(StringComparer.Ordinal))
                    _items.Add(new PlanItem(FolderName(file), file));
            }
            else _items.Add(new PlanItem(FolderName(r), r));
        }
    }

    private static string? FolderName(string image) => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(image)) is { Length: > 0 } name ? name : null;
}
