using System.Management.Automation;
using FaceEval.Core.Hosting;

namespace FaceEval.PowerShell;

/// <summary>Starts the local reference feature-extraction server as a child process on 127.0.0.1.</summary>
[Cmdlet(VerbsLifecycle.Start, "FaceEvalServer", DefaultParameterSetName = DetectorSet, SupportsShouldProcess = true)]
[OutputType(typeof(ReferenceServer))]
public sealed class StartFaceEvalServerCommand : PSCmdlet
{
    private const string DetectorSet = "Detector";
    private const string NoDetectorSet = "NoDetector";

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Model { get; set; } = { "dingo=lbp" };

    [Parameter(ParameterSetName = DetectorSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OnnxFileCompleter))]
    public string? DetectorModel { get; set; }

    /// <summary>Embed each whole upload, even when FACEEVAL_DETECTOR_MODEL names a detector.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NoDetectorSet)]
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

    /// <summary>Test mode: after this many extraction requests every model answers with other vectors (same name and dimension), to rehearse drift canaries.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? FaultSwitchModelAfter { get; set; }

    [Parameter]
    public SwitchParameter RecordRequests { get; set; }

    [Parameter]
    [ValidateRange(1, 600)]
    public int StartTimeoutSec { get; set; } = 60;

    protected override void EndProcessing()
    {
        string? detector = NoDetector ? null : ModuleEnvironment.Fallback(DetectorModel, ModuleEnvironment.DetectorModelVariable);
        var options = new ReferenceServerOptions
        {
            Models = Model.Select(ResolveModelPath).ToArray(),
            DetectorModel = detector is null ? null : PathInput.ResolveOne(this, detector),
            NoDetector = NoDetector,
            Port = Port,
            Path = EndpointPath,
            RateLimit = RateLimit,
            RateBurst = RateBurst,
            MaxUploadBytes = MaxUploadBytes,
            FaultLatencyMs = FaultLatencyMs,
            FaultErrorRate = FaultErrorRate,
            FaultDropRate = FaultDropRate,
            FaultSeed = FaultSeed,
            FaultSwitchModelAfter = FaultSwitchModelAfter,
            RecordRequests = RecordRequests,
            WorkingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            StartTimeout = TimeSpan.FromSeconds(StartTimeoutSec),
        };
        if (!ShouldProcess($"127.0.0.1{(Port > 0 ? ":" + Port : "")}{EndpointPath}", $"Start a reference server with {string.Join(", ", options.Models)}")) return;
        WriteVerbose($"Starting the reference server with {string.Join(", ", options.Models)}{(detector is null ? "" : ", detector " + options.DetectorModel)}.");
        ServerProcess server;
        try
        {
            server = ServerProcess.Start(options);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or FileNotFoundException or System.ComponentModel.Win32Exception)
        {
            ThrowTerminatingError(ErrorRecords.From(new FaceEvalException(FaceEvalError.ServerStartFailed, e.Message, options.Models, e)));
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
