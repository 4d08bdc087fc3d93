using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FaceEval.Core.Hosting;

namespace FaceEval.Server.Tests;

/// <summary>A fact that needs /bin/sleep as a stand-in parent process; skipped with the reason otherwise.</summary>
public sealed class SleepFactAttribute : FactAttribute
{
    public SleepFactAttribute()
    {
        if (!File.Exists("/bin/sleep")) Skip = "/bin/sleep is needed as a stand-in parent process (Linux or macOS).";
    }
}

/// <summary>A theory that needs /bin/sleep as a stand-in parent process; skipped with the reason otherwise.</summary>
public sealed class SleepTheoryAttribute : TheoryAttribute
{
    public SleepTheoryAttribute()
    {
        if (!File.Exists("/bin/sleep")) Skip = "/bin/sleep is needed as a stand-in parent process (Linux or macOS).";
    }
}

public class ParentProcessTests
{
    private static ReferenceServerOptions Options(int? parent) => new()
    {
        Models = new[] { "dingo=lbp" },
        NoDetector = true,
        ParentProcessId = parent,
        ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
    };

    [SleepFact]
    public async Task TheServerStopsAndFreesItsPortWhenTheProcessThatStartedItIsKilled()
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sleep", "600") { UseShellExecute = false })!;
        try
        {
            using var server = ServerProcess.Start(Options(parent.Id));
            int port = RawHttp.Port(server.Url);
            Assert.False(server.HasExited);
            parent.Kill(); // SIGKILL: the parent gets no chance to stop its server
            parent.WaitForExit();

            var deadline = Stopwatch.StartNew();
            while (!server.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(100); // a hang guard
            Assert.True(server.HasExited, $"the server still runs after its parent was killed: {string.Join(" | ", server.RecentOutput.TakeLast(5))}");
            Assert.Contains(server.RecentOutput, l => l.Contains($"process {parent.Id} ") && l.Contains("exited"));
            // The port is free again: another listener can take it.
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        finally
        {
            if (!parent.HasExited) parent.Kill();
        }
    }

    [SleepFact]
    public void AServerToldOfAParentThatIsAlreadyGoneDoesNotStart()
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sleep", "600") { UseShellExecute = false })!;
        parent.Kill();
        parent.WaitForExit();
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            using var started = ServerProcess.Start(Options(parent.Id));
        });
        Assert.Contains($"{parent.Id}", e.Message);
    }

    [Fact]
    public async Task ServerProcessMakesItselfTheServersParent()
    {
        using var server = ServerProcess.Start(Options(null));
        string expected = $"process {Environment.ProcessId} ";
        var deadline = Stopwatch.StartNew();
        while (!server.RecentOutput.Any(l => l.Contains(expected)) && deadline.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(50); // a hang guard
        Assert.Contains(server.RecentOutput, l => l.Contains(expected) && l.Contains("Stops when"));
    }
}

public class ParentProcessWatchTests
{
    [SleepTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NoticesThatTheProcessHasEnded(bool preferPidfd)
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sleep", "600") { UseShellExecute = false })!;
        using var watch = ParentProcessWatch.Open(parent.Id, preferPidfd);
        Assert.Equal(preferPidfd && OperatingSystem.IsLinux() ? "pidfd" : "checked every second", watch.Method);
        var ended = new TaskCompletionSource();
        watch.Start(() => ended.SetResult());
        Assert.False(ended.Task.IsCompleted);
        parent.Kill();
        await ended.Task.WaitAsync(TimeSpan.FromMinutes(2)); // a hang guard
    }

    [SleepTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void RefusesAProcessThatIsNotRunning(bool preferPidfd)
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sleep", "600") { UseShellExecute = false })!;
        parent.Kill();
        parent.WaitForExit();
        var e = Assert.Throws<InvalidOperationException>(() => ParentProcessWatch.Open(parent.Id, preferPidfd));
        Assert.Contains($"{parent.Id}", e.Message);
    }
}
