using System.Management.Automation;
using FaceEval.Core.Privacy;

namespace FaceEval.PowerShell;

/// <summary>
/// The end of the evaluation window: deletes what FaceEval wrote under a folder (crops, embeddings, run
/// manifests, reports, plots, ROC files), found through its own records and only while unchanged, and
/// writes a deletion record. Files FaceEval did not write are never touched.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "FaceEvalData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceEvalDeletion))]
public sealed class RemoveFaceEvalDataCommand : PSCmdlet
{
    /// <summary>The folder an evaluation wrote into (searched with its sub-folders).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Kinds of output to keep: Report (HTML reports), Figure (plots and ROC files), Crop, Embedding.</summary>
    [Parameter]
    [ValidateSet("Report", "Figure", "Crop", "Embedding", IgnoreCase = true)]
    public string[] Keep { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        string folder = PathInput.ResolveOne(this, Path);
        DataRemoval plan;
        try
        {
            plan = DataRemoval.Plan(folder, Keep);
        }
        catch (FaceEvalException e)
        {
            WriteError(ErrorRecords.From(e, Path));
            return;
        }
        WriteVerbose($"{plan.Candidates.Count:N0} file(s) named by FaceEval's records under '{plan.Root}': " +
            string.Join(", ", plan.Candidates.GroupBy(c => c.Action).Select(g => $"{g.Count():N0} {g.Key}")) + ".");
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true };
        var result = plan.Execute(
            (file, kind) => ShouldProcess(file, $"Delete {Describe(kind)}"),
            (file, e) => WriteError(ErrorRecords.Create(new IOException($"Could not delete '{file}': {e.Message}", e), "DeleteFailed", ErrorCategory.WriteError, file)),
            writeRecord: !whatIf);
        foreach (var c in plan.Candidates.Where(c => c.Action == RemovalAction.SkipChanged))
            WriteVerbose($"Left '{c.Path}': it changed since FaceEval wrote it.");
        if (result.Changed > 0)
            WriteWarning($"{result.Changed:N0} file(s) FaceEval wrote have changed since and were left in place (-Verbose lists them): delete them yourself if they hold evaluation data.");
        if (!whatIf) WriteObject(result);
    }

    private static string Describe(string kind) => kind switch
    {
        "Crop" => "face crop",
        "Embedding" => "embedding (.npy)",
        "Manifest" => "run manifest",
        "Report" => "report",
        "Figure" => "plot or ROC file",
        "Ledger" => "FaceEval's record of its outputs",
        _ => kind,
    };
}
