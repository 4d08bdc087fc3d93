using FaceEval.Core.Hosting;
using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Stops the servers when the module is removed.</summary>
public sealed class ModuleCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo) => ServerRegistry.StopAll();
}
