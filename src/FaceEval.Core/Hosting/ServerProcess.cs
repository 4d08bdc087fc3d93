using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FaceEval.Core.Hosting;

/// <summary>
/// The reference server running as a child process on 127.0.0.1: started, waited for until it answers,
/// and stopped (with its whole process tree) on <see cref="ReferenceServer.Dispose()"/>.
/// </summary>
public sealed class ServerProcess : ReferenceServer
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private bool _disposed;

    private ServerProcess(Process process, string url, IReadOnlyList<string> models, string detection)
        : base(url, models, process.Id, detection)
    {
        _process = process;
    }

    public override bool HasExited => _disposed || _process.HasExited;

    public override IReadOnlyList<string> RecentOutput
    {
        get { lock (_output) return _output.ToArray(); }
    }

    private const string SetSid = "/usr/bin/setsid";

    public static ServerProcess Start(ReferenceServerOptions o)
    {
        string assembly = o.ServerAssembly ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(ServerProcess).Assembly.Location)!, "FaceEval.Server.dll");
        if (!File.Exists(assembly)) throw new FileNotFoundException($"The reference server '{assembly}' is missing; rebuild the module.", assembly);
        int port = o.Port > 0 ? o.Port : FreePort();
        string url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{o.Path}";

        // In a session of its own (Linux: setsid, which execs the server under the same process id), so that
        // Ctrl+C in the console, which signals the whole foreground process group, does not stop it.
        bool ownSession = OperatingSystem.IsLinux() && File.Exists(SetSid);
        var psi = new ProcessStartInfo(ownSession ? SetSid : DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = o.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        var args = psi.ArgumentList;
        if (ownSession) args.Add(DotnetHost());
        args.Add(assembly);
        args.Add("--urls"); args.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        args.Add("--path"); args.Add(o.Path);
        foreach (var m in o.Models) { args.Add("--model"); args.Add(m); }
        if (o.NoDetector) args.Add("--no-detector");
        else if (o.DetectorModel is not null) { args.Add("--detector"); args.Add(o.DetectorModel); }
        void Number(string name, double value) { if (value > 0) { args.Add(name); args.Add(value.ToString(CultureInfo.InvariantCulture)); } }
        Number("--rate-limit", o.RateLimit);
        Number("--rate-burst", o.RateBurst);
        Number("--max-upload-bytes", o.MaxUploadBytes ?? 0);
        Number("--max-concurrent-uploads", o.MaxConcurrentUploads);
        if (o.MaxQueuedUploads is int queued) { args.Add("--max-queued-uploads"); args.Add(queued.ToString(CultureInfo.InvariantCulture)); }
        Number("--fault-latency-ms", o.FaultLatencyMs);
        Number("--fault-error-rate", o.FaultErrorRate);
        Number("--fault-drop-rate", o.FaultDropRate);
        if (o.FaultSeed is int seed) { args.Add("--fault-seed"); args.Add(seed.ToString(CultureInfo.InvariantCulture)); }
        if (o.FaultSwitchModelAfter is int after) { args.Add("--fault-switch-model-after"); args.Add(after.ToString(CultureInfo.InvariantCulture)); }
        if (o.RecordRequests) args.Add("--record-requests");
        // The server stops by itself when this process ends: setsid keeps Ctrl+C in the console from reaching it,
        // so nothing else would stop it when the session is killed outright (kill -9) instead of closed.
        int parent = o.ParentProcessId ?? System.Environment.ProcessId;
        if (parent != 0) { args.Add("--parent-pid"); args.Add(parent.ToString(CultureInfo.InvariantCulture)); }
        // No diagnostics IPC: the runtime would otherwise create its debugger pipe and event socket in the
        // temp folder, and the server is meant to leave nothing behind.
        psi.Environment["DOTNET_EnableDiagnostics"] = "0";
        if (o.Environment is not null) foreach (var (k, v) in o.Environment) psi.Environment[k] = v;

        var process = Process.Start(psi) ?? throw new InvalidOperationException("The reference server process did not start.");
        string bundled = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(assembly)!, "models", "face_detection_yunet_2023mar.onnx");
        string detection = o.NoDetector ? "off"
            : o.DetectorModel is not null ? System.IO.Path.GetFileName(o.DetectorModel)
            : File.Exists(bundled) ? System.IO.Path.GetFileName(bundled) + " (bundled)" : "off";
        var server = new ServerProcess(process, url, o.Models.Select(m => m.Split('=', 2)[0]).ToArray(), detection);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilAnswering(o.StartTimeout);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
        }
    }

    private void WaitUntilAnswering(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"The reference server stopped at start-up (exit code {_process.ExitCode}): {string.Join(" | ", RecentOutput.TakeLast(5))}");
            }
            try
            {
                // Any HTTP answer means it is up: a GET on the endpoint is 405.
                using var response = http.GetAsync(Url).GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"The reference server did not answer within {timeout.TotalSeconds:F0} s: {string.Join(" | ", RecentOutput.TakeLast(5))}");
    }

    /// <summary>Stops the server (and anything it started) and waits for it to exit.</summary>
    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        _disposed = true;
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The dotnet host that runs this process, so the server uses the same installation.</summary>
    internal static string DotnetHost()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)) return hostPath;
        if (System.Environment.ProcessPath is string self && System.IO.Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase)) return self;
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
        string runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Directory.GetParent(runtimeDir.TrimEnd(System.IO.Path.DirectorySeparatorChar))?.Parent?.Parent;
        if (root is not null && File.Exists(System.IO.Path.Combine(root.FullName, exe))) return System.IO.Path.Combine(root.FullName, exe);
        return exe;
    }
}
