using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace FaceEval.PowerShell;

/// <summary>
/// Import and removal of the module. On import: the engine gets its own load context (see
/// <see cref="EngineLoadContext"/>), PowerShell's default context is told to hand it the engine when the
/// cmdlets first need it, and the engine loads the native OpenCV library at once, so that a missing or
/// broken library fails Import-Module with a message that says what is missing instead of failing deep
/// inside a cmdlet. On removal: the reference servers this session started are stopped.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The engine assembly: the one name the default context hands over to the engine's context.</summary>
    private const string EngineAssembly = "FaceEval.Core";

    private static readonly string s_moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;
    private static readonly object s_lock = new();
    // One per process: a second import (another runspace, Import-Module -Force) reuses it, so the engine's types stay one set.
    private static EngineLoadContext? s_engine;

    /// <summary>The folder of the engine and its packages, beside the cmdlets.</summary>
    public static string DependencyFolder => Path.Combine(s_moduleFolder, "Dependencies");

    public void OnImport()
    {
        lock (s_lock)
        {
            if (s_engine is null)
            {
                if (!File.Exists(Path.Combine(DependencyFolder, EngineAssembly + ".dll")))
                    throw new FileNotFoundException($"FaceEval cannot start: its engine is missing from '{DependencyFolder}'. Rebuild the module with 'dotnet pwsh ./build.ps1 Build'.");
                s_engine = new EngineLoadContext(DependencyFolder);
                AssemblyLoadContext.Default.Resolving += Resolve;
            }
        }
        StartEngine(s_engine.NativeFolder);
    }

    /// <summary>
    /// Stops the servers this session started (Remove-Module, and Import-Module -Force, which removes the module
    /// first), and says so: a server that vanishes behind a re-import would otherwise surface later as a run
    /// that cannot connect.
    /// </summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        var running = ServerRegistry.All().Where(s => !s.HasExited).ToArray();
        ServerRegistry.StopAll();
        if (running.Length == 0) return;
        var message = running.Length == 1
            ? $"Removing the FaceEval module (Remove-Module, or Import-Module -Force) stopped the reference server at {running[0].Url} that this session started. Start it again with Start-FaceEvalServer; to re-import without stopping servers, leave out -Force."
            : $"Removing the FaceEval module (Remove-Module, or Import-Module -Force) stopped the {running.Length} reference servers this session started ({string.Join(", ", running.Select(s => s.Url))}). Start them again with Start-FaceEvalServer; to re-import without stopping servers, leave out -Force.";
        WarnHost(message);
    }

    /// <summary>
    /// OnRemove runs without a cmdlet to write through; the warning goes to the session's host, as
    /// Write-Warning's would, unless $WarningPreference silences warnings.
    /// </summary>
    private static void WarnHost(string message)
    {
        try
        {
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddScript("param($m) if ($WarningPreference -notin 'SilentlyContinue', 'Ignore') { $Host.UI.WriteWarningLine($m) }").AddArgument(message).Invoke();
        }
        catch (Exception e) when (e is InvalidOperationException or PSInvalidOperationException)
        {
            // No runspace on this thread (the process is exiting): nobody to tell.
        }
    }

    /// <summary>Hands the engine to its own context; its packages then load there too. Anything else is not ours.</summary>
    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name switch
        {
            EngineAssembly => s_engine!.LoadFromAssemblyName(name),
            EngineLoadContext.SharedAssembly => context.LoadFromAssemblyPath(Path.Combine(s_moduleFolder, EngineLoadContext.SharedAssembly + ".dll")),
            _ => null,
        };

    /// <summary>Its own method, so that the engine is first needed here, after <see cref="Resolve"/> is in place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartEngine(string nativeFolder) => Core.Imaging.OpenCvRuntime.Start(nativeFolder);
}
