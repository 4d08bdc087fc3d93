using System.Management.Automation;
using FaceEval.Core.Evaluation;

namespace FaceEval.PowerShell;

/// <summary>
/// An evaluation's messages as the cmdlet's progress, verbose, warning and error records. (Not on the cmdlets
/// themselves: a public cmdlet type may not name engine types, which load only after the module's initializer runs.)
/// </summary>
internal sealed class CmdletObserver(PSCmdlet cmdlet) : IEvaluationObserver
{
    public void Progress(string activity, string status, bool completed, int percent) =>
        cmdlet.WriteProgress(new ProgressRecord(2, activity, status) { RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing, PercentComplete = percent });

    public void Detail(string message) => cmdlet.WriteVerbose(message);

    public void Warning(string message) => cmdlet.WriteWarning(message);

    public void ItemError(FaceEvalException error, object? item) => cmdlet.WriteError(ErrorRecords.From(error, item));
}
