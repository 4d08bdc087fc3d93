using FaceEval.Core.Concurrency;
using FaceEval.Core.IO;
using FaceEval.Core.Service;
using System.Collections;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FaceEval.PowerShell;

/// <summary>Sends face images to the feature-extraction endpoint and returns their embeddings.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "FaceEmbedding", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FaceEmbedding))]
public sealed class InvokeFaceEmbeddingCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string EndpointVariable = ModuleEnvironment.ServerUrlVariable;

    /// <summary>Labels of piped objects (crops carry theirs) to copy onto the embeddings.</summary>
    private static readonly CarriedProperties s_carried = new(typeof(FaceEmbedding), "Path", "LiteralPath", "FullName");

    /// <summary>Face crops from Get-FaceCrop (or path strings).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    // Not ValueFromPipeline, for the reason given on Get-FaceCrop's -Path; and no validation, because a
    // piped FaceCrop kept in memory binds its null Path here.
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [AllowNull]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = "";

    [Parameter]
    [Alias("Uri")]
    [ValidateNotNullOrEmpty]
    public string? ServerUrl { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public SwitchParameter PreserveStructure { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManifestPath { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int ThrottleLimit { get; set; } = 4;

    [Parameter]
    [ValidateRange(0.0, 100000.0)]
    public double RequestsPerSecond { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public int MaximumRetryCount { get; set; } = 5;

    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 120;

    [Parameter]
    public SwitchParameter SendAsIs { get; set; }

    /// <summary>Also emits a FaceEmbedding with an empty Vector for each item the server found no face in.</summary>
    [Parameter]
    public SwitchParameter IncludeFailureToEnrol { get; set; }

    private readonly CancellationTokenSource _stop = new();
    private EmbeddingClient? _client;
    private EmbeddingRunner? _runner;
    private RunManifest? _manifest;
    private OutputNaming? _naming;
    private OrderedWorkQueue<EmbeddingOutcome>? _queue;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ProgressThrottle _progress = new();
    private int _submitted, _done, _failed, _resumed, _reencoded;
    private int? _total;

    protected override void BeginProcessing()
    {
        string? url = ModuleEnvironment.Fallback(ServerUrl, EndpointVariable);
        if (url is null)
            ThrowTerminatingError(ErrorRecords.Argument("ServerUrlRequired", $"Give the endpoint with -ServerUrl or ${EndpointVariable}.", null));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            ThrowTerminatingError(ErrorRecords.Argument("InvalidServerUrl", "The endpoint is not an absolute http:// or https:// URL (it is not shown here: it is confidential).", null));
        if (Root is not null && !PreserveStructure)
            ThrowTerminatingError(ErrorRecords.Argument("RootWithoutPreserveStructure", "-Root only makes sense with -PreserveStructure.", Root));
        if ((PreserveStructure || ManifestPath is not null) && OutputDirectory is null)
            ThrowTerminatingError(ErrorRecords.Argument("OutputDirectoryRequired", "-PreserveStructure and -ManifestPath need -OutputDirectory.", null));

        _client = new EmbeddingClient(new EmbeddingClientOptions
        {
            Endpoint = endpoint!,
            MaxConcurrency = ThrottleLimit,
            RequestsPerSecond = RequestsPerSecond,
            MaxRetries = MaximumRetryCount,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
        });
        if (OutputDirectory is not null)
        {
            string output = PathInput.ResolveOne(this, OutputDirectory);
            _naming = new OutputNaming(output, PreserveStructure ? PathInput.ResolveOne(this, Root ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath) : null);
            string manifest = ManifestPath is null ? System.IO.Path.Combine(output, "manifest.jsonl") : PathInput.ResolveOne(this, ManifestPath);
            try
            {
                _manifest = RunManifest.Open(manifest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.Create(e, "ManifestUnavailable", ErrorCategory.WriteError, manifest));
            }
            WriteVerbose($"Manifest: {_manifest!.Path} ({_manifest.Rows.Count} earlier row(s)).");
            int stale = AtomicFile.RemoveStale(output);
            if (stale > 0) WriteVerbose($"Removed {stale} temporary file(s) that an interrupted run left behind.");
        }
        _runner = new EmbeddingRunner(_client, Model, _manifest, Force, SendAsIs);
        // A deep queue: an item waiting out a few retries at the head (seconds, under faults and 429s) must not
        // stall the requests behind it. 640 items at -ThrottleLimit 8 are 16 s of work at 40 requests/s; what
        // the queue holds is a path or crop and, once done, one vector, so its memory stays small.
        _queue = new OrderedWorkQueue<EmbeddingOutcome>(1, _stop.Token, capacity: 16 * ThrottleLimit + 512);
        WriteVerbose($"Embedding with model '{Model}' at {_client.Redactor.Redacted}, {ThrottleLimit} request(s) at once" +
            (RequestsPerSecond > 0 ? $", at most {RequestsPerSecond}/s." : "."));
    }

    protected override void ProcessRecord()
    {
        foreach (var item in ItemsOfThisRecord())
        {
            _submitted++;
            var runner = _runner!;
            var token = _stop.Token;
            _queue!.Enqueue(Task.Run(() => runner.RunAsync(item, token), token));
            while (_queue.IsFull) Emit(_queue.TakeNext());
        }
        foreach (var outcome in _queue!.TakeReady()) Emit(outcome);
    }

    protected override void EndProcessing()
    {
        while (_queue!.Count > 0) Emit(_queue.TakeNext());
        WriteProgress(new ProgressRecord(1, Activity, Status()) { RecordType = ProgressRecordType.Completed });
        if (_reencoded > 0)
            WriteWarning(SendAsIs
                ? $"{_reencoded} input(s) were not PNG and were sent as they are; lossy inputs (JPEG) lower embedding quality."
                : $"{_reencoded} input(s) were not PNG: they were re-encoded as PNG from their decoded pixels, but lossy inputs (JPEG) have already lost detail and lower embedding quality. Crop from the original images with Get-FaceCrop.");
        WriteVerbose($"{_done} embedded ({_resumed} resumed from an earlier run), {_failed} failed, {_client!.ThrottledCount} rate-limit answer(s), in {_clock.Elapsed.TotalSeconds:F1} s.");
    }

    protected override void StopProcessing() => _stop.Cancel();

    private string Activity => $"Embedding with model '{Model}'";

    private IEnumerable<EmbeddingItem> ItemsOfThisRecord()
    {
        var carried = Carried(out string? identity);
        if (InputObject?.BaseObject is FaceCrop crop)
        {
            string fileName = crop.Path is not null ? System.IO.Path.GetFileName(crop.Path) : $"{System.IO.Path.GetFileNameWithoutExtension(crop.SourcePath)}_{crop.FaceIndex}.png";
            if (crop.PngData is null && crop.Path is null)
            {
                WriteError(ErrorRecords.Create(new ArgumentException($"The crop of '{crop.SourcePath}' has neither PNG data nor a file."), "CropHasNoImage", ErrorCategory.InvalidData, crop));
                yield break;
            }
            if (NpyTarget(crop.Path ?? crop.SourcePath, fileName, crop, out var npy))
                yield return new EmbeddingItem(crop.SourcePath, fileName, crop.PngData, crop.PngData is null ? crop.Path : null, npy, crop.FaceIndex, (identity, carried));
            yield break;
        }

        bool literal = ParameterSetName == LiteralPathSet;
        string[]? paths = PathInput.OfRecord(this, literal ? LiteralPath : Path, InputObject, "face crops from Get-FaceCrop or path strings");
        if (paths is null) yield break;
        var resolved = PathInput.Resolve(this, paths, literal).ToList();
        if (!MyInvocation.ExpectingInput) _total = (_total ?? 0) + resolved.Count;
        foreach (var file in resolved)
        {
            string fileName = System.IO.Path.GetFileName(file);
            if (NpyTarget(file, fileName, file, out var npy))
                yield return new EmbeddingItem(file, fileName, null, file, npy, null, (identity, carried));
        }
    }

    /// <summary>
    /// Works out the .npy path (none without -OutputDirectory) and asks ShouldProcess; false when the item
    /// is not to be sent (an error is written when its name collides with another item's).
    /// </summary>
    private bool NpyTarget(string placeBy, string fileName, object target, out string? npy)
    {
        npy = null;
        if (_naming is null) return ShouldProcess(fileName, $"Send to the endpoint for model '{Model}'");
        try
        {
            npy = _naming.GetPath(placeBy, System.IO.Path.GetFileNameWithoutExtension(fileName) + ".npy");
            _naming.Claim(npy, placeBy);
            return ShouldProcess(npy, $"Send '{fileName}' to the endpoint for model '{Model}' and save the embedding");
        }
        catch (FaceEvalException e)
        {
            _failed++;
            WriteError(ErrorRecords.From(e, target));
            return false;
        }
    }

    private IReadOnlyList<KeyValuePair<string, object?>>? Carried(out string? identity)
    {
        identity = InputObject?.BaseObject is string or FileSystemInfo ? null : InputObject?.Properties["Identity"]?.Value?.ToString();
        return s_carried.From(InputObject);
    }

    private void Emit(EmbeddingOutcome outcome)
    {
        if (outcome.Reencoded) _reencoded++;
        if (outcome.Error is { } error)
        {
            _failed++;
            if (error.Error == FaceEvalError.ModelRejected)
            {
                _stop.Cancel();
                ThrowTerminatingError(ErrorRecords.From(error, Model));
            }
            WriteError(ErrorRecords.From(error, outcome.Item.FilePath ?? outcome.Item.SourcePath));
            // A failure to enrol that Measure-FaceVerification counts: same identity and carried properties, no vector.
            if (IncludeFailureToEnrol && error.Error == FaceEvalError.NoFaceDetected)
                WriteLabelled(new FaceEmbedding
                {
                    SourcePath = outcome.Item.SourcePath, Model = Model, Vector = Array.Empty<float>(),
                    ImagePath = outcome.Item.FilePath, FaceIndex = outcome.Item.FaceIndex,
                }, outcome.Item);
        }
        else
        {
            _done++;
            if (outcome.Embedding!.Resumed) _resumed++;
            WriteLabelled(outcome.Embedding, outcome.Item);
        }
        ReportProgress();
    }

    /// <summary>Writes an embedding with the identity and carried properties its input item was tagged with.</summary>
    private void WriteLabelled(FaceEmbedding embedding, EmbeddingItem item)
    {
        var (identity, carried) = ((string?, IReadOnlyList<KeyValuePair<string, object?>>?))item.Tag!;
        embedding.Identity = identity;
        WriteObject(CarriedProperties.Attach(embedding, carried));
    }

    private string Status()
    {
        double rate = (_done + _failed) / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        string eta = _total is int total && rate > 0 ? $", about {TimeSpan.FromSeconds(Math.Max(0, total - _done - _failed) / rate):hh\\:mm\\:ss} left" : "";
        return $"{_done} embedded ({_resumed} resumed), {_failed} failed, {rate:F1}/s{eta}";
    }

    private void ReportProgress()
    {
        if (!_progress.IsDue()) return;
        int percent = _total is int total && total > 0 ? Math.Min(100, 100 * (_done + _failed) / total) : -1;
        WriteProgress(new ProgressRecord(1, Activity, Status()) { PercentComplete = percent });
    }

    public void Dispose()
    {
        _stop.Cancel();
        if (_queue is not null)
        {
            while (_queue.Count > 0)
            {
                try { _queue.TakeNext(); } catch (OperationCanceledException) { } catch (FaceEvalException) { }
            }
            _queue.Dispose();
        }
        _manifest?.Dispose();
        _client?.Dispose();
        _stop.Dispose();
    }
}
