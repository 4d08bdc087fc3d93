using System.Globalization;
using System.Text.Json;
using FaceEval.Core.Imaging;
using FaceEval.Server.Embedding;

namespace FaceEval.Server;

/// <summary>Everything the server is told on its command line or in its config file.</summary>
public sealed record ServerOptions
{
    public string Path { get; init; } = "/extract";
    public Dictionary<string, ModelSpec> Models { get; init; } = new(StringComparer.Ordinal);
    /// <summary>The YuNet model for secondary detection; when none is given, the one shipped beside the server (<see cref="BundledDetector"/>).</summary>
    public string? DetectorModel { get; init; }
    /// <summary>Embed each whole upload, without detection.</summary>
    public bool NoDetector { get; init; }
    public float DetectorMinConfidence { get; init; } = 0.6f;
    /// <summary>Requests per second per client address; 0 for no limit.</summary>
    public double RateLimit { get; init; }
    /// <summary>Bucket size: requests a client may send at once before the rate applies.</summary>
    public int RateBurst { get; init; }
    public long MaxUploadBytes { get; init; } = 10 * 1024 * 1024;
    /// <summary>Uploads read and embedded at once: with the queue, this bounds the memory that uploads take.</summary>
    public int MaxConcurrentUploads { get; init; } = 8;
    /// <summary>Uploads that wait for their turn; any beyond are answered 503.</summary>
    public int MaxQueuedUploads { get; init; } = 64;
    public long MaxPixels { get; init; } = ImageDecoder.DefaultMaxPixels;
    public int FaultLatencyMs { get; init; }
    public double FaultErrorRate { get; init; }
    public double FaultDropRate { get; init; }
    public int? FaultSeed { get; init; }
    /// <summary>Test mode: after this many extraction requests, every model answers with other vectors (same name, same dimension), as when a service swaps the model behind a name; null never.</summary>
    public int? FaultSwitchModelAfter { get; init; }
    /// <summary>Keep each request's form fields (never the image) for tests to read back.</summary>
    public bool RecordRequests { get; init; }
    /// <summary>The process whose end stops the server (the one that started it); null for none.</summary>
    public int? ParentProcessId { get; init; }

    public const string Usage = """
        FaceEval reference server: the vendor's feature-extraction protocol on your own machine.

        usage: dotnet FaceEval.Server.dll [--urls http://127.0.0.1:8080] [options]

          --model NAME=SPEC         a served model (repeat for more). SPEC is 'lbp', 'hog' or
                                    'onnx:PATH[;preset=arcface112|dlib150][;rgb=true|false][;mean=M][;scale=S][;template=WxH:x1,y1,...]'
          --config FILE             JSON config: {"path", "models": {NAME: SPEC}, "detector", "rateLimit", ...}
          --detector FILE           YuNet ONNX model for the secondary detection and alignment
                                    (default: models/face_detection_yunet_2023mar.onnx beside the server, as the
                                    vendor detects a face in every upload)
          --no-detector             embed each whole upload, without detection
          --detector-min-confidence lowest face score accepted (default 0.6)
          --path PATH               endpoint path (default /extract)
          --rate-limit R            requests per second per client address (default: none)
          --rate-burst N            requests a client may send at once (default: R rounded up)
          --max-upload-bytes N      largest image upload (default 10485760)
          --max-concurrent-uploads N  uploads read and embedded at once (default 8)
          --max-queued-uploads N    uploads waiting for their turn; more are answered 503 (default 64)
          --max-pixels N            largest decoded image (default 100000000)
          --fault-latency-ms N      add N ms to every request
          --fault-error-rate P      answer a share P of requests with 500
          --fault-drop-rate P       drop the connection of a share P of requests
          --fault-seed N            seed for the fault draws
          --fault-switch-model-after N  test mode: after N extraction requests every model answers with
                                    other vectors (same model_name, same dimension), as when a service
                                    swaps the model behind a name mid-run (for drift canaries)
          --record-requests         test mode: GET /__faceeval/requests lists the form fields received (never images)
          --parent-pid N            stop when process N ends (Start-FaceEvalServer passes its own, so that a
                                    killed session does not leave the server holding its port)

        The server binds 127.0.0.1 unless --urls says otherwise; images stay in memory and are never logged.
        """;

    /// <summary>The YuNet model shipped beside the server (the module's build copies it there).</summary>
    public static string BundledDetector => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "face_detection_yunet_2023mar.onnx");

    /// <summary>Reads the server's own options and returns the arguments left for ASP.NET Core (e.g. --urls).</summary>
    public static (ServerOptions Options, string[] AspNetArgs) Parse(string[] args)
    {
        var o = new ServerOptions();
        var models = new Dictionary<string, ModelSpec>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{a} needs a value.");
            switch (a)
            {
                case "--model": var (name, spec) = ModelSpec.ParseNamed(Next(), Directory.GetCurrentDirectory()); models[name] = spec; break;
                case "--config": o = FromConfig(Next(), o, models); break;
                case "--detector": o = o with { DetectorModel = System.IO.Path.GetFullPath(Next()) }; break;
                case "--no-detector": o = o with { NoDetector = true }; break;
                case "--detector-min-confidence": o = o with { DetectorMinConfidence = float.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--path": o = o with { Path = Next() }; break;
                case "--rate-limit": o = o with { RateLimit = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--rate-burst": o = o with { RateBurst = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--max-upload-bytes": o = o with { MaxUploadBytes = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--max-concurrent-uploads": o = o with { MaxConcurrentUploads = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--max-queued-uploads": o = o with { MaxQueuedUploads = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--max-pixels": o = o with { MaxPixels = long.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--fault-latency-ms": o = o with { FaultLatencyMs = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--fault-error-rate": o = o with { FaultErrorRate = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--fault-drop-rate": o = o with { FaultDropRate = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--fault-seed": o = o with { FaultSeed = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--fault-switch-model-after": o = o with { FaultSwitchModelAfter = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--record-requests": o = o with { RecordRequests = true }; break;
                case "--parent-pid": o = o with { ParentProcessId = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                default: rest.Add(a); break;
            }
        }
        foreach (var (name, spec) in models) o.Models[name] = spec;
        if (o.NoDetector && o.DetectorModel is not null) throw new FormatException("--no-detector and --detector contradict each other: give one.");
        // Vendor-faithful by default: the vendor's server runs a secondary detection on every upload.
        if (!o.NoDetector && o.DetectorModel is null && File.Exists(BundledDetector)) o = o with { DetectorModel = BundledDetector };
        o.Validate();
        return (o, rest.ToArray());
    }

    private static ServerOptions FromConfig(string file, ServerOptions o, Dictionary<string, ModelSpec> models)
    {
        string full = System.IO.Path.GetFullPath(file);
        string dir = System.IO.Path.GetDirectoryName(full)!;
        using var doc = JsonDocument.Parse(File.ReadAllText(full), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            switch (p.Name)
            {
                case "path": o = o with { Path = p.Value.GetString()! }; break;
                case "detector": o = o with { DetectorModel = System.IO.Path.GetFullPath(p.Value.GetString()!, dir) }; break;
                case "detectorMinConfidence": o = o with { DetectorMinConfidence = p.Value.GetSingle() }; break;
                case "rateLimit": o = o with { RateLimit = p.Value.GetDouble() }; break;
                case "rateBurst": o = o with { RateBurst = p.Value.GetInt32() }; break;
                case "maxUploadBytes": o = o with { MaxUploadBytes = p.Value.GetInt64() }; break;
                case "maxConcurrentUploads": o = o with { MaxConcurrentUploads = p.Value.GetInt32() }; break;
                case "maxQueuedUploads": o = o with { MaxQueuedUploads = p.Value.GetInt32() }; break;
                case "maxPixels": o = o with { MaxPixels = p.Value.GetInt64() }; break;
                case "models":
                    foreach (var m in p.Value.EnumerateObject()) models[m.Name] = ModelSpec.Parse(m.Value.GetString()!, dir);
                    break;
                default: throw new FormatException($"Unknown setting '{p.Name}' in {file}.");
            }
        }
        return o;
    }

    private void Validate()
    {
        if (Models.Count == 0) throw new FormatException("No model to serve: give at least one --model NAME=SPEC (e.g. --model dingo=lbp).");
        if (!Path.StartsWith('/')) throw new FormatException($"--path must start with '/'; got '{Path}'.");
        if (FaultSwitchModelAfter < 0) throw new FormatException($"--fault-switch-model-after must be 0 or more requests; got {FaultSwitchModelAfter}.");
        if (ParentProcessId <= 0) throw new FormatException($"--parent-pid must be a process id (a positive number); got {ParentProcessId}.");
        if (MaxConcurrentUploads < 1 || MaxQueuedUploads < 0)
            throw new FormatException("--max-concurrent-uploads must be 1 or more and --max-queued-uploads 0 or more.");
        if (RateLimit < 0 || MaxUploadBytes <= 0 || FaultErrorRate is < 0 or > 1 || FaultDropRate is < 0 or > 1 || FaultLatencyMs < 0)
            throw new FormatException("A numeric option is out of range (rates are 0..1, sizes and latency are positive).");
        if (DetectorModel is not null && !File.Exists(DetectorModel)) throw new FormatException($"The detector model '{DetectorModel}' does not exist.");
    }
}
