using System.Diagnostics;
using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// What a long run has done so far, for its progress bar: items done, resumed and failed, the rate, and —
/// when the number of items is known — the share done and the time left. Sends at most four records a second.
/// </summary>
internal sealed class RunTally(int id, string activity, string doneVerb)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ProgressThrottle _throttle = new();

    public int Done { get; set; }
    public int Resumed { get; set; }
    public int Failed { get; set; }

    /// <summary>The number of items, when known before they arrive (paths given as a parameter), else null.</summary>
    public int? Total { get; set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>"13 of 400: 12 embedded (3 resumed), 1 failed, 4.2/s, about 00:01:10 left" ("of 400" and the time left only when the number is known).</summary>
    public string Status()
    {
        double rate = (Done + Failed) / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        string eta = Total is int total && rate > 0 ? $", about {TimeSpan.FromSeconds(Math.Max(0, total - Done - Failed) / rate):hh\\:mm\\:ss} left" : "";
        string of = Total is int n ? $" of {n:N0}" : "";
        return $"{Done + Failed:N0}{of}: {Done} {doneVerb} ({Resumed} resumed), {Failed} failed, {rate:F1}/s{eta}";
    }

    /// <summary>Writes a progress record when one is due.</summary>
    public void Report(Cmdlet cmdlet)
    {
        if (!_throttle.IsDue()) return;
        int percent = Total is int total && total > 0 ? Math.Min(100, 100 * (Done + Failed) / total) : -1;
        cmdlet.WriteProgress(new ProgressRecord(id, activity, Status()) { PercentComplete = percent });
    }

    /// <summary>Ends the progress bar.</summary>
    public void Complete(Cmdlet cmdlet) =>
        cmdlet.WriteProgress(new ProgressRecord(id, activity, Status()) { RecordType = ProgressRecordType.Completed });
}
