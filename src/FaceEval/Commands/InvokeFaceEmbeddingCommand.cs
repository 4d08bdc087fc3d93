using System.Management.Automation;
using FaceEval.Core.Concurrency;
using FaceEval.Core.IO;
using FaceEval.Core.Service;

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

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The model name the service knows (for example eagle); Get-FaceEvalServer lists the models of local servers.")]
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

    /// <summary>Where each embedding's identity comes from: the input's Identity property, the image's folder, or (Auto) the first of those.</summary>
    [Parameter]
    public IdentitySource IdentityFrom { get; set; } = IdentitySource.Auto;

    /// <summary>Also emits a FaceEmbedding with an empty Vector for each item the server found no face in.</summary>
    [Parameter]
    public SwitchParameter IncludeFailureToEnrol { get; set; }

    /// <summary>Drift canaries: the first N items of the run (or -CanaryPath) are embedded again at its start, every -CanaryInterval items and at its end.</summary>
    [Parameter]
    [ValidateRange(0, 10000)]
    public int Canary { get; set; }

    /// <summary>Fixed canary images instead of the run's first items.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CanaryPath { get; set; }

    /// <summary>Items between canary checks (0: at the start and the end only).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int CanaryInterval { get; set; }

    /// <summary>
    /// Send only images that carry a consent reference (ConsentRef, or the property -ConsentProperty names); one
    /// without is a ConsentMissing error naming it, and the run goes on. $FaceEvalRequireConsent = $true makes it
    /// the default for the session (-RequireConsent:$false overrides it).
    /// </summary>
    [Parameter]
    public SwitchParameter RequireConsent { get; set; }

    /// <summary>The input property that holds the consent reference; default ConsentRef.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ConsentProperty { get; set; } = "ConsentRef";

    /// <summary>The end of the evaluation window (Get-FaceEvalPlan's WindowEnd); a run that starts after it is warned. Default: $FaceEvalWindowEnd.</summary>
    [Parameter]
    public DateTimeOffset? WindowEnd { get; set; }

    /// <summary>The session preference that makes -RequireConsent the default.</summary>
    public const string RequireConsentPreference = "FaceEvalRequireConsent";
    /// <summary>The session preference holding the window's end.</summary>
    public const string WindowEndPreference = "FaceEvalWindowEnd";

    private bool _requireConsent;
    private readonly CancellationTokenSource _stop = new();
    private CanaryMonitor? _canary;
    private int _emitted;
    private EmbeddingClient? _client;
    private EmbeddingRunner? _runner;
    private EmbeddingOutput? _output;
    private OutputNaming? _naming;
    private OrderedWorkQueue<EmbeddingOutcome>? _queue;
    private RunTally? _tally;
    private int _reencoded;
    // Retry-After waits the client shortened to its bound: counted on the requests' threads, reported on the pipeline's.
    private int _retryAfterCapped, _retryAfterReported;
    private long _longestRetryAfterTicks;

    protected override void BeginProcessing()
    {
        string? url = ModuleEnvironment.Fallback(ServerUrl, EndpointVariable);
        // -WhatIf sends nothing, so it needs no endpoint: a placeholder stands in that is never contacted.
        if (url is null && IsWhatIf()) url = "http://127.0.0.1/whatif";
        if (url is null)
            ThrowTerminatingError(ErrorRecords.Argument("ServerUrlRequired", $"Give the endpoint with -ServerUrl, or set $env:{EndpointVariable} (it keeps the confidential URL out of your scripts and history).", null));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            ThrowTerminatingError(ErrorRecords.Argument("InvalidServerUrl", "The endpoint is not an absolute http:// or https:// URL (it is not shown here: it is confidential).", null));
        PreservedStructure.Check(this, PreserveStructure, Root);
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
        _client.Retrying += NoteRetry;
        if (OutputDirectory is not null)
        {
            string folder = PathInput.ResolveOne(this, OutputDirectory);
            string? root = PreservedStructure.Root(this, PreserveStructure, Root);
            _naming = new OutputNaming(folder, root);
            // -WhatIf writes nothing: no folder, no manifest, no clean-up; the items still say where they would go.
            if (ShouldProcess(folder, "Create the output folder and its manifest.jsonl (and remove an interrupted run's temporary files)"))
            {
                try
                {
                    _output = EmbeddingOutput.Open(folder, root, ManifestPath is null ? null : PathInput.ResolveOne(this, ManifestPath), Model);
                }
                catch (FaceEvalException e)
                {
                    ThrowTerminatingError(ErrorRecords.From(e));
                }
                _naming = _output!.Naming;
                WriteVerbose($"Manifest: {_output.Manifest.Path} ({_output.Manifest.Rows.Count} earlier row(s)).");
                if (_output.StaleRemoved > 0) WriteVerbose($"Removed {_output.StaleRemoved} temporary file(s) that an interrupted run left behind.");
            }
        }
        _requireConsent = MyInvocation.BoundParameters.ContainsKey(nameof(RequireConsent)) ? RequireConsent.IsPresent : LanguagePrimitives.IsTrue(GetVariableValue(RequireConsentPreference));
        if (_requireConsent && CanaryPath is not null)
            ThrowTerminatingError(ErrorRecords.Argument("ConsentMissing", "-RequireConsent sends only images with a consent reference, and -CanaryPath images carry none: leave out -CanaryPath, so the run's first items (with their references) are the canaries.", CanaryPath));
        WarnAfterWindow();
        _tally = new RunTally(1, $"Embedding with model '{Model}'", "embedded");
        _runner = new EmbeddingRunner(_client, Model, _output?.Manifest, Force, SendAsIs);
        if ((Canary > 0 || CanaryPath is not null) && !IsWhatIf())
        {
            _canary = new CanaryMonitor(_client, Model, _output?.Manifest);
            if (CanaryPath is not null)
            {
                foreach (var file in PathInput.Resolve(this, CanaryPath, literal: false))
                    AddCanary(new EmbeddingItem(file, System.IO.Path.GetFileName(file), null, file, null));
                if (_canary.Count == 0) ThrowTerminatingError(ErrorRecords.Argument("CanaryNotFound", "None of the -CanaryPath images could be read: give image files (crops like the run's) to use as drift canaries.", CanaryPath));
                RunCanaryCheck("start");
            }
        }
        // A deep queue: an item waiting out a few retries at the head (seconds, under faults and 429s) must not
        // stall the requests behind it. 640 items at -ThrottleLimit 8 are 16 s of work at 40 requests/s; what
        // the queue holds is a path or crop and, once done, one vector, so its memory stays small.
        _queue = new OrderedWorkQueue<EmbeddingOutcome>(1, _stop.Token, capacity: 16 * ThrottleLimit + 512);
        WriteVerbose($"Embedding with model '{Model}' at {_client.Redactor.Redacted}, {ThrottleLimit} request(s) at once" +
            (RequestsPerSecond > 0 ? $", at most {RequestsPerSecond}/s." : "."));
    }

    private bool IsWhatIf() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    protected override void ProcessRecord()
    {
        foreach (var item in ItemsOfThisRecord())
        {
            // The run's first items are its canaries (unless -CanaryPath gave them): their reference embeddings are taken once N are in.
            if (_canary is { Started: false } && CanaryPath is null)
            {
                AddCanary(item);
                if (_canary.Count >= Canary) RunCanaryCheck("start");
            }
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
        if (_canary is { Count: > 0 })
        {
            if (!_canary.Started) RunCanaryCheck("start"); // fewer items than -Canary: those there are
            RunCanaryCheck("end");
            WriteVerbose($"Drift canaries: {_canary.Count} image(s), {_canary.Checks} check(s) after the first embedding, lowest cosine to it {(double.IsNaN(_canary.LowestCosine) ? "n/a" : _canary.LowestCosine.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture))}.");
        }
        ReportRetryAfter();
        _tally!.Complete(this);
        if (_reencoded > 0)
            WriteWarning(SendAsIs
                ? $"{_reencoded} input(s) were not PNG and were sent as they are; lossy inputs (JPEG) lower embedding quality."
                : $"{_reencoded} input(s) were not PNG: they were re-encoded as PNG from their decoded pixels, but lossy inputs (JPEG) have already lost detail and lower embedding quality. Crop from the original images with Get-FaceCrop.");
        WriteVerbose($"{_tally.Done} embedded ({_tally.Resumed} resumed from an earlier run), {_tally.Failed} failed, {_client!.ThrottledCount} rate-limit answer(s)" +
            (_retryAfterCapped > 0 ? $", {_retryAfterCapped} Retry-After wait(s) shortened to {EmbeddingClientOptions.DefaultMaxRetryAfter.TotalSeconds:F0} s" : "") +
            $", in {_tally.Elapsed.TotalSeconds:F1} s.");
    }

    /// <summary>On a request's thread: counts the Retry-After waits the client cut to its bound (the warning is written later, on the pipeline's thread).</summary>
    private void NoteRetry(RetryScheduled retry)
    {
        if (!retry.DelayCapped) return;
        Interlocked.Increment(ref _retryAfterCapped);
        long asked = retry.RetryAfter?.Ticks ?? 0, seen;
        while ((seen = Interlocked.Read(ref _longestRetryAfterTicks)) < asked && Interlocked.CompareExchange(ref _longestRetryAfterTicks, asked, seen) != seen) { }
    }

    /// <summary>Warns, once per run, that the server asked for a longer wait than the client gives it.</summary>
    private void ReportRetryAfter()
    {
        if (Volatile.Read(ref _retryAfterCapped) == 0 || Interlocked.Exchange(ref _retryAfterReported, 1) == 1) return;
        var asked = TimeSpan.FromTicks(Interlocked.Read(ref _longestRetryAfterTicks));
        WriteWarning($"The server answered 429 with a Retry-After of {(asked.TotalHours >= 1 ? $"{asked.TotalHours:F1} h" : $"{asked.TotalSeconds:F0} s")}; each retry waits at most " +
            $"{EmbeddingClientOptions.DefaultMaxRetryAfter.TotalSeconds:F0} s instead. If the account's quota is spent, stop the run (Ctrl+C) and run the same command again later: finished items are not sent again.");
    }

    /// <summary>
    /// Ctrl+C: cancels the requests in flight and, when the run saves its embeddings, tells the console how to go
    /// on (written to the host directly: the pipeline's streams are closed once it stops).
    /// </summary>
    protected override void StopProcessing()
    {
        _stop.Cancel();
        if (_output is not null && _tally is not null)
            Host.UI.WriteWarningLine($"Stopped. {_tally.Done} embedding(s) of this run are saved in '{_output.Naming.OutputDirectory}'; run the same command again to resume: finished items are not sent again.");
    }

    private IEnumerable<EmbeddingItem> ItemsOfThisRecord()
    {
        var carried = Carried(out string? labelled);
        string? consent = ConsentOf(carried);
        if (InputObject?.BaseObject is FaceCrop crop)
        {
            if (!Consented(consent, crop.Path ?? crop.SourcePath, crop)) yield break;
            string fileName = crop.Path is not null ? System.IO.Path.GetFileName(crop.Path) : $"{System.IO.Path.GetFileNameWithoutExtension(crop.SourcePath)}_{crop.FaceIndex}.png";
            if (crop.PngData is null && crop.Path is null)
            {
                WriteError(ErrorRecords.Create(new ArgumentException($"The crop of '{crop.SourcePath}' has neither PNG data nor a file."), "CropHasNoImage", ErrorCategory.InvalidData, crop));
                yield break;
            }
            if (NpyTarget(crop.Path ?? crop.SourcePath, fileName, crop, out var npy))
                yield return new EmbeddingItem(crop.SourcePath, fileName, crop.PngData, crop.PngData is null ? crop.Path : null, npy, crop.FaceIndex, (Identity(labelled, crop.Path ?? crop.SourcePath), carried), Labels(carried), consent);
            yield break;
        }

        bool literal = ParameterSetName == LiteralPathSet;
        string[]? paths = PathInput.OfRecord(this, literal ? LiteralPath : Path, InputObject, "face crops from Get-FaceCrop or path strings");
        if (paths is null) yield break;
        var resolved = PathInput.Resolve(this, paths, literal).ToList();
        if (!MyInvocation.ExpectingInput) _tally!.Total = (_tally.Total ?? 0) + resolved.Count;
        foreach (var file in resolved)
        {
            if (!Consented(consent, file, file)) continue;
            string fileName = System.IO.Path.GetFileName(file);
            if (NpyTarget(file, fileName, file, out var npy))
                yield return new EmbeddingItem(file, fileName, null, file, npy, null, (Identity(labelled, file), carried), Labels(carried), consent);
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
            _tally!.Failed++;
            WriteError(ErrorRecords.From(e, target));
            return false;
        }
    }

    /// <summary>The consent reference the input carries in -ConsentProperty (text, trimmed); null when it has none.</summary>
    private string? ConsentOf(IReadOnlyList<KeyValuePair<string, object?>>? carried)
    {
        var value = carried?.FirstOrDefault(p => string.Equals(p.Key, ConsentProperty, StringComparison.OrdinalIgnoreCase)).Value;
        string? text = (value is PSObject p ? p.BaseObject : value)?.ToString()?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>With -RequireConsent, an image without a consent reference is one ConsentMissing error naming it, and is not sent.</summary>
    private bool Consented(string? consent, string image, object target)
    {
        if (!_requireConsent || consent is not null) return true;
        _tally!.Failed++;
        WriteError(ErrorRecords.From(new FaceEvalException(FaceEvalError.ConsentMissing,
            $"'{image}' was not sent: it carries no consent reference in '{ConsentProperty}', and -RequireConsent sends only images that do. Add the reference to its row of the detections CSV (the {ConsentProperty} column), or leave the image out.", image), target));
        return false;
    }

    /// <summary>Warns once when the run starts after the end of the evaluation window (-WindowEnd, else $FaceEvalWindowEnd).</summary>
    private void WarnAfterWindow()
    {
        DateTimeOffset? end = WindowEnd;
        if (end is null)
        {
            object? value = GetVariableValue(WindowEndPreference);
            value = value is PSObject p ? p.BaseObject : value;
            end = value switch
            {
                DateTimeOffset d => d,
                DateTime d => new DateTimeOffset(d),
                string text when DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) => d,
                _ => null,
            };
        }
        if (end is { } e && DateTimeOffset.UtcNow > e)
            WriteWarning($"The evaluation window ended on {e.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: the agreement may not allow sending images to the endpoint now. Stop the run (Ctrl+C) unless the window was extended.");
    }

    /// <summary>The identity by -IdentityFrom: the input's label, or the name of the folder <paramref name="image"/> is in.</summary>
    private string? Identity(string? labelled, string image) => IdentityFrom switch
    {
        IdentitySource.Property => labelled,
        IdentitySource.Folder => FolderName(image),
        IdentitySource.None => null,
        _ => labelled ?? FolderName(image),
    };

    private static string? FolderName(string image) => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(image)) is { Length: > 0 } name ? name : null;

    /// <summary>The carried labels that are plain values, as text, for the run manifest (a nested object or array is not a label).</summary>
    private static IReadOnlyDictionary<string, string>? Labels(IReadOnlyList<KeyValuePair<string, object?>>? carried)
    {
        if (carried is null) return null;
        var labels = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in carried)
        {
            object? v = value is PSObject p ? p.BaseObject : value;
            string? text = v switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable f when f is not System.Collections.IEnumerable => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null) labels[name] = text;
        }
        return labels.Count == 0 ? null : labels;
    }

    private IReadOnlyList<KeyValuePair<string, object?>>? Carried(out string? identity)
    {
        identity = InputObject?.BaseObject is string or FileSystemInfo ? null : InputObject?.Properties["Identity"]?.Value?.ToString();
        return s_carried.From(InputObject);
    }

    private void Emit(EmbeddingOutcome outcome)
    {
        ReportRetryAfter();
        if (outcome.Reencoded) _reencoded++;
        if (outcome.Error is { } error)
        {
            _tally!.Failed++;
            if (error.Error is FaceEvalError.WriteFailed or FaceEvalError.DimensionMismatch && _output is not null)
            {
                // Every later item would fail the same way, after spending a request of the account's quota.
                _stop.Cancel();
                ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(error.Error,
                    $"{error.Message} The run stops: {_runner!.Saved} embedding(s) of this run are saved in '{_output.Naming.OutputDirectory}'" +
                    (error.Error == FaceEvalError.WriteFailed ? "; free some space and run the same command again to resume." : "."), error.Target, error), Model));
            }
            if (error.Error is FaceEvalError.ModelRejected or FaceEvalError.EndpointUnreachable or FaceEvalError.EndpointRejected or FaceEvalError.EndpointRedirected)
            {
                _stop.Cancel();
                ThrowTerminatingError(ErrorRecords.From(error.Error == FaceEvalError.EndpointUnreachable ? WithServerHint(error) : error, Model));
            }
            WriteError(ErrorRecords.From(error, outcome.Item.FilePath ?? outcome.Item.SourcePath));
            // A failure to enrol that Measure-FaceVerification counts: same identity and carried properties, no vector.
            if (IncludeFailureToEnrol && error.Error == FaceEvalError.NoFaceDetected)
                WriteLabelled(outcome.FailureToEnrol(Model), outcome.Item);
        }
        else
        {
            _tally!.Done++;
            if (outcome.Embedding!.Resumed) _tally.Resumed++;
            WriteLabelled(outcome.Embedding, outcome.Item);
        }
        _tally!.Report(this);
        _emitted++;
        if (CanaryInterval > 0 && _canary is { Started: true } && _emitted % CanaryInterval == 0) RunCanaryCheck("interval");
    }

    /// <summary>Adds an item's image as a canary; one that cannot be read is an error of its own and is not a canary.</summary>
    private void AddCanary(EmbeddingItem item)
    {
        try
        {
            _canary!.Add(item.FilePath ?? item.SourcePath, item.FileName, _runner!.Prepare(item).Bytes);
        }
        catch (FaceEvalException e)
        {
            WriteError(ErrorRecords.From(e, item.FilePath ?? item.SourcePath));
        }
    }

    /// <summary>Embeds the canaries again (or for the first time) and warns, then and there, when they have drifted.</summary>
    private void RunCanaryCheck(string phase)
    {
        IReadOnlyList<string> drift;
        try
        {
            drift = _canary!.CheckAsync(phase, _stop.Token).GetAwaiter().GetResult();
        }
        catch (FaceEvalException e)
        {
            _stop.Cancel();
            ThrowTerminatingError(ErrorRecords.From(e, Model));
            return;
        }
        if (drift.Count > 0)
            WriteWarning($"Drift canaries ({phase} check, after {_emitted} item(s)): {drift.Count} of {_canary.Count} canaries differ from their first embedding ({drift[0]}). " +
                $"The model behind '{Model}' has changed, or its answers are not deterministic: vectors from before and after cannot be compared. Measure-FaceEmbeddingRun reports it from the manifest.");
    }

    /// <summary>When the endpoint is a reference server of this session that has stopped, says so.</summary>
    private FaceEvalException WithServerHint(FaceEvalException e)
    {
        string? url = ModuleEnvironment.Fallback(ServerUrl, EndpointVariable);
        var server = ServerRegistry.All().FirstOrDefault(s => s.Url == url);
        return server is { HasExited: true }
            ? new FaceEvalException(e.Error, $"The local reference server at {_client!.Redactor.Redacted} (process {server.ProcessId}) has exited; start it again with Start-FaceEvalServer. Its last lines: {_client.Redactor.Scrub(string.Join(" | ", server.RecentOutput.TakeLast(3)))}", e.Target, e)
            : e;
    }

    /// <summary>Writes an embedding with the identity and carried properties its input item was tagged with.</summary>
    private void WriteLabelled(FaceEmbedding embedding, EmbeddingItem item)
    {
        var (identity, carried) = ((string?, IReadOnlyList<KeyValuePair<string, object?>>?))item.Tag!;
        embedding.Identity = identity;
        WriteObject(CarriedProperties.Attach(embedding, carried));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _queue?.Drain();
        _queue?.Dispose();
        _output?.Dispose();
        _client?.Dispose();
        _stop.Dispose();
    }
}
