using System.Management.Automation;
using FaceEval.Core.Evaluation;
using FaceEval.Core.IO;

namespace FaceEval.PowerShell;

/// <summary>
/// Combines the verification states of the blocks of a split run (Measure-FaceVerification -PairBlock i/n
/// -SaveState) into the results of one run over all pairs; when the counts need one more refinement pass,
/// writes the plan for it instead and says how to run it.
/// </summary>
[Cmdlet(VerbsData.Merge, "FaceVerificationState", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(VerificationResult))]
public sealed class MergeFaceVerificationStateCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Where to write the refinement plan when one is needed; default refine.fvplan next to the first state file.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlanPath { get; set; }

    private readonly List<string> _files = new();

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var file in PathInput.Resolve(this, literal ? LiteralPath : Path, literal))
            if (!_files.Contains(file, StringComparer.Ordinal)) _files.Add(file);
    }

    protected override void EndProcessing()
    {
        var states = new List<(string, VerificationState)>();
        try
        {
            foreach (var file in _files) states.Add((file, VerificationStateFile.Read(file)));
            var (results, plans) = VerificationStateMerge.Merge(states);
            if (plans.Count > 0)
            {
                string plan = PlanPath is null
                    ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(_files[0])!, "refine.fvplan")
                    : SessionState.Path.GetUnresolvedProviderPathFromPSPath(PlanPath);
                if (!ShouldProcess(plan, "Write the refinement plan")) return;
                VerificationStateFile.WritePlan(plan, plans);
                var first = states[0].Item2;
                WriteWarning($"The merged counts of {string.Join(", ", plans.Select(p => $"'{p.Model}'"))} do not yet settle every answer exactly: each block must resolve {plans.Max(p => p.Plan.Buckets.Length)} score buckets. " +
                    $"Run every block again with -Plan '{plan}' and the same -PairBlock and -SaveState (each reads its first-pass counts back from its state file and scores its pairs once more), then merge again. " +
                    $"For block i of {first.BlockCount}: ... | Measure-FaceVerification -PairBlock i/{first.BlockCount} -SaveState <its state file> -Plan '{plan}'");
                return;
            }
            var targets = states[0].Item2.FarTargets;
            foreach (var r in results) WriteObject(TargetColumnsView.Tag(this, r, targets, chosen: false));
        }
        catch (FaceEvalException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }
}
