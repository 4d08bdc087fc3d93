using FaceEval.Core.Hosting;
using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>The reference servers this session started, so they can be listed, stopped, and never orphaned.</summary>
internal static class ServerRegistry
{
    private static readonly List<ReferenceServer> s_servers = new();

    static ServerRegistry() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

    public static void Add(ReferenceServer server)
    {
        lock (s_servers) s_servers.Add(server);
    }

    public static ReferenceServer[] All()
    {
        lock (s_servers) return s_servers.ToArray();
    }

    public static void Stop(ReferenceServer server)
    {
        lock (s_servers) s_servers.Remove(server);
        server.Dispose();
    }

    public static void StopAll()
    {
        foreach (var s in All()) Stop(s);
    }
}

/// <summary>Stops the servers when the module is removed.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo) => ServerRegistry.StopAll();
}

/// <summary>Starts the local reference feature-extraction server as a child process on 127.0.0.1.</summary>
[Cmdlet(VerbsLifecycle.Start, "FaceEvalServer")]
[OutputType(typeof(ReferenceServer))]
public sealed class StartFaceEvalServerCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = { "dingo=lbp" };

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OnnxFileCompleter))]
    public string? DetectorModel { get; set; }

    /// <summary>Embed each whole upload, even when FACEEVAL_DETECTOR_MODEL names a detector.</summary>
    [Parameter]
    public SwitchParameter NoDetector { get; set; }

    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidatePattern("^/")]
    public string EndpointPath { get; set; } = "/extract";

    [Parameter]
    [ValidateRange(0.0, 100000.0)]
    public double RateLimit { get; set; }

    [Parameter]
    [ValidateRange(0, 100000)]
    public int RateBurst { get; set; }

    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long? MaxUploadBytes { get; set; }

    [Parameter]
    [ValidateRange(0, 600000)]
    public int FaultLatencyMs { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double FaultErrorRate { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double FaultDropRate { get; set; }

    [Parameter]
    public int? FaultSeed { get; set; }

    [Parameter]
    public SwitchParameter RecordRequests { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int StartTimeoutSec { get; set; } = 60;

    protected override void EndProcessing()
    {
        if (NoDetector && DetectorModel is not null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-NoDetector and -DetectorModel contradict each other: give one."), "DetectorConflict", ErrorCategory.InvalidArgument, DetectorModel));
        string? detector = NoDetector ? null : DetectorModel ?? (Environment.GetEnvironmentVariable("FACEEVAL_DETECTOR_MODEL") is { Length: > 0 } env ? env : null);
        var options = new ReferenceServerOptions
        {
            Models = Model.Select(ResolveModelPath).ToArray(),
            DetectorModel = detector is null ? null : PathInput.ResolveOne(this, detector),
            Port = Port,
            Path = EndpointPath,
            RateLimit = RateLimit,
            RateBurst = RateBurst,
            MaxUploadBytes = MaxUploadBytes,
            FaultLatencyMs = FaultLatencyMs,
            FaultErrorRate = FaultErrorRate,
            FaultDropRate = FaultDropRate,
            FaultSeed = FaultSeed,
            RecordRequests = RecordRequests,
            WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            StartTimeout = TimeSpan.FromSeconds(StartTimeoutSec),
        };
        WriteVerbose($"Starting the reference server with {string.Join(", ", options.Models)}{(detector is null ? "" : ", detector " + options.DetectorModel)}.");
        ReferenceServer server;
        try
        {
            server = ReferenceServer.Start(options);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FileNotFoundException or System.ComponentModel.Win32Exception)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ServerStartFailed", ErrorCategory.OpenError, options.Models));
            return;
        }
        ServerRegistry.Add(server);
        WriteObject(server);
    }

    /// <summary>Makes the path in "name=onnx:PATH;..." absolute against the PowerShell location, which the child does not share.</summary>
    private string ResolveModelPath(string model)
    {
        int eq = model.IndexOf('=');
        const string onnx = "onnx:";
        if (eq < 0 || !model.AsSpan(eq + 1).StartsWith(onnx, StringComparison.OrdinalIgnoreCase)) return model;
        string spec = model[(eq + 1 + onnx.Length)..];
        int semicolon = spec.IndexOf(';');
        string path = semicolon < 0 ? spec : spec[..semicolon];
        string rest = semicolon < 0 ? "" : spec[semicolon..];
        return $"{model[..eq]}={onnx}{PathInput.ResolveOne(this, path)}{rest}";
    }
}

/// <summary>Stops reference servers started by Start-FaceEvalServer.</summary>
[Cmdlet(VerbsLifecycle.Stop, "FaceEvalServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
public sealed class StopFaceEvalServerCommand : PSCmdlet
{
    /// <summary>The servers to stop; all servers of this session when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public ReferenceServer[]? InputObject { get; set; }

    private bool _any;

    protected override void ProcessRecord()
    {
        foreach (var server in InputObject ?? Array.Empty<ReferenceServer>())
        {
            _any = true;
            Stop(server);
        }
    }

    protected override void EndProcessing()
    {
        if (_any || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) return;
        foreach (var server in ServerRegistry.All()) Stop(server);
    }

    private void Stop(ReferenceServer server)
    {
        if (ShouldProcess($"{server.Url} (process {server.ProcessId})", "Stop the reference server"))
            ServerRegistry.Stop(server);
    }
}
