using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FaceEval.Server;

/// <summary>
/// Watches the process that started the server (--parent-pid) and reports when it has ended, so that a
/// session killed outright (kill -9), which cannot stop its server, does not leave it holding its port.
/// On Linux it waits on a pidfd, which the kernel signals when that very process exits (a later process given
/// the same id does not count); elsewhere, or on a kernel without pidfd_open, it checks once a second.
/// </summary>
public sealed class ParentProcessWatch : IDisposable
{
    private const long SysPidfdOpen = 434; // the same number on every Linux architecture
    private const short PollIn = 0x1;
    private const int Esrch = 3;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromSeconds(1);

    private readonly int _pidfd = -1;
    private readonly Process? _process;
    private readonly CancellationTokenSource _stop = new();

    public int ProcessId { get; }

    /// <summary>How the end is noticed: "pidfd" or "checked every second".</summary>
    public string Method => _pidfd >= 0 ? "pidfd" : "checked every second";

    private ParentProcessWatch(int processId, int pidfd, Process? process)
    {
        ProcessId = processId;
        _pidfd = pidfd;
        _process = process;
    }

    /// <summary>Starts watching a process that must be running now.</summary>
    /// <exception cref="InvalidOperationException">The process is not running.</exception>
    public static ParentProcessWatch Open(int processId) => Open(processId, preferPidfd: true);

    /// <summary>As <see cref="Open(int)"/>; tests turn the pidfd off to exercise the once-a-second check.</summary>
    internal static ParentProcessWatch Open(int processId, bool preferPidfd)
    {
        string gone = $"The parent process {processId} is not running: the server stops when that process ends, so it would stop at once. Give the id of a running process, or leave --parent-pid out.";
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        if (preferPidfd && OperatingSystem.IsLinux())
        {
            int fd = PidfdOpen(SysPidfdOpen, processId, 0);
            if (fd >= 0) return new ParentProcessWatch(processId, fd, null);
            if (Marshal.GetLastPInvokeError() == Esrch) throw new InvalidOperationException(gone);
            // Any other failure (no pidfd_open in this kernel, a sandbox that forbids it): check instead.
        }
        Process? process = null;
        try
        {
            process = Process.GetProcessById(processId);
            if (!process.HasExited) return new ParentProcessWatch(processId, -1, process);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
        {
            process?.Dispose();
            throw new InvalidOperationException(gone, e);
        }
        process.Dispose();
        throw new InvalidOperationException(gone);
    }

    /// <summary>Calls <paramref name="onExit"/> once, on a background thread, when the process has ended.</summary>
    public void Start(Action onExit)
    {
        var thread = new Thread(() =>
        {
            if (Wait()) onExit();
        })
        { IsBackground = true, Name = "parent process watch" };
        thread.Start();
    }

    /// <summary>Waits until the process ends (true) or the watch is disposed (false).</summary>
    private bool Wait()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (_pidfd >= 0)
            {
                var fds = new PollFd { Fd = _pidfd, Events = PollIn };
                // A bounded wait, so that disposing the watch ends the thread; the kernel wakes it at the exit.
                int ready = Poll(ref fds, 1, (int)s_pollInterval.TotalMilliseconds);
                if (ready > 0) return true;
                // ready < 0: interrupted by a signal (EINTR) or similar; try again.
            }
            else
            {
                try
                {
                    _process!.Refresh();
                    if (_process.HasExited) return true;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
                _stop.Token.WaitHandle.WaitOne(s_pollInterval);
            }
        }
        return false;
    }

    public void Dispose()
    {
        _stop.Cancel();
        // The pidfd stays open until the process ends: a watch lives as long as the server.
        _process?.Dispose();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern int PidfdOpen(long number, int pid, uint flags);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);
}
