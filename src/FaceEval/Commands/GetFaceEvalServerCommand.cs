using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Lists the reference servers this session started, running or not.</summary>
[Cmdlet(VerbsCommon.Get, "FaceEvalServer")]
[OutputType(typeof(ReferenceServer))]
public sealed class GetFaceEvalServerCommand : PSCmdlet
{
    /// <summary>Only servers that serve a model of this name (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Model { get; set; }

    /// <summary>Only servers still running.</summary>
    [Parameter]
    public SwitchParameter Running { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Model?.Select(m => new WildcardPattern(m, WildcardOptions.IgnoreCase)).ToArray();
        foreach (var server in ServerRegistry.All())
        {
            if (Running && server.HasExited) continue;
            if (patterns is not null && !server.Models.Any(spec => patterns.Any(p => p.IsMatch(spec.Split('=')[0])))) continue;
            WriteObject(server);
        }
    }
}
