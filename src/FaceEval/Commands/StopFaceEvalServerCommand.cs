using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Stops reference servers started by Start-FaceEvalServer: the ones given, or with -All every one of this session.</summary>
[Cmdlet(VerbsLifecycle.Stop, "FaceEvalServer", DefaultParameterSetName = ServerSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
public sealed class StopFaceEvalServerCommand : PSCmdlet
{
    private const string ServerSet = "Server";
    private const string AllSet = "All";

    /// <summary>The servers to stop.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ServerSet)]
    public ReferenceServer[]? InputObject { get; set; }

    /// <summary>Every server this session started.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var server in ParameterSetName == AllSet ? ServerRegistry.All() : InputObject ?? Array.Empty<ReferenceServer>())
            if (ShouldProcess($"{server.Url} (process {server.ProcessId})", "Stop the reference server"))
                ServerRegistry.Stop(server);
    }
}
