namespace FaceEval.Core.Hosting;

/// <summary>How to start the local reference server.</summary>
public sealed record ReferenceServerOptions
{
    /// <summary>Served models as "name=spec" (spec: lbp, hog, or onnx:PATH[;preset=...]).</summary>
    public IReadOnlyList<string> Models { get; init; } = new[] { "dingo=lbp" };
    /// <summary>The YuNet model for secondary detection; null for the server's default (the bundled YuNet, when shipped beside it).</summary>
    public string? DetectorModel { get; init; }
    /// <summary>Embed each whole upload, without detection.</summary>
    public bool NoDetector { get; init; }
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }
    public string Path { get; init; } = "/extract";
    public double RateLimit { get; init; }
    public int RateBurst { get; init; }
    public long? MaxUploadBytes { get; init; }
    /// <summary>Uploads read and embedded at once; 0 for the server's default.</summary>
    public int MaxConcurrentUploads { get; init; }
    /// <summary>Uploads waiting for their turn beyond those; null for the server's default.</summary>
    public int? MaxQueuedUploads { get; init; }
    public int FaultLatencyMs { get; init; }
    public double FaultErrorRate { get; init; }
    public double FaultDropRate { get; init; }
    public int? FaultSeed { get; init; }
    /// <summary>Test mode: after this many extraction requests the server's models answer with other vectors (a model swapped behind its name); null never.</summary>
    public int? FaultSwitchModelAfter { get; init; }
    public bool RecordRequests { get; init; }
    /// <summary>
    /// The process whose end stops the server, so that a killed session leaves no server holding its port;
    /// null for this process (the default), 0 for none.
    /// </summary>
    public int? ParentProcessId { get; init; }
    /// <summary>Working folder of the server process (default: the caller's).</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>Extra environment variables for the server process (e.g. TMPDIR).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    /// <summary>The server assembly; by default FaceEval.Server.dll beside this library.</summary>
    public string? ServerAssembly { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
