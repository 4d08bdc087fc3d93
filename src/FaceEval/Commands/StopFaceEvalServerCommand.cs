using FaceEval.Core.Hosting;
using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Stops reference servers started by Start-FaceEvalServer.</summary>
[Cmdlet(VerbsLifecycle.Stop, "FaceEvalServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
public sealed class StopFaceEvalServerCommand : PSCmdlet
{
    /// <summary>The servers to stop; all servers of this session when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public ReferenceServer[]? InputObject { get; set; }

    private bool _any;

    protected override void ProcessRecord()
    {
        foreach (var server in InputObject ?? Array.Empty<ReferenceServer>())
        {
            _any = true;
            Stop(server);
        }
    }

    protected override void EndProcessing()
    {
        if (_any || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) return;
        foreach (var server in ServerRegistry.All()) Stop(server);
    }

    private void Stop(ReferenceServer server)
    {
        if (ShouldProcess($"{server.Url} (process {server.ProcessId})", "Stop the reference server"))
            ServerRegistry.Stop(server);
    }
}
