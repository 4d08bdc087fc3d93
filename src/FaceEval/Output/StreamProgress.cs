using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// Progress for a stream of unknown length (a pipeline, a wildcard): a running count, sent to the host
/// at most four times a second so a fast loop is not slowed by it, and completed at the end.
/// </summary>
internal sealed class StreamProgress(Cmdlet cmdlet, int id, string activity, string unit)
{
    private readonly ProgressThrottle _throttle = new();
    private long _count;
    private bool _shown;

    public void Add(long n = 1)
    {
        _count += n;
        if (!_throttle.IsDue()) return;
        _shown = true;
        cmdlet.WriteProgress(new ProgressRecord(id, activity, $"{_count:N0} {unit}"));
    }

    public void Complete()
    {
        if (_shown) cmdlet.WriteProgress(new ProgressRecord(id, activity, $"{_count:N0} {unit}") { RecordType = ProgressRecordType.Completed });
    }
}
