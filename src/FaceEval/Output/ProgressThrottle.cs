using System.Diagnostics;

namespace FaceEval.PowerShell;

/// <summary>
/// Says when a progress record is due: at most four a second, so that a fast loop is not slowed down by
/// the host drawing its progress bar. Every cmdlet that reports progress asks one of these.
/// </summary>
internal sealed class ProgressThrottle
{
    /// <summary>The least time between two progress records.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _since = Stopwatch.StartNew();

    /// <summary>True, and the clock restarts, when the last record is at least <see cref="Interval"/> old.</summary>
    public bool IsDue()
    {
        if (_since.Elapsed < Interval) return false;
        _since.Restart();
        return true;
    }
}
