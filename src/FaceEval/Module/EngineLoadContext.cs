using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace FaceEval.PowerShell;

/// <summary>
/// The module's own assembly load context: the engine (FaceEval.Core) and every package it uses (OpenCvSharp,
/// Polly, ScottPlot, SkiaSharp, System.Numerics.Tensors, ...) load here, from the module's Dependencies folder,
/// so another module's different version of any of them neither breaks FaceEval nor is broken by it
/// ("Resolving PowerShell module assembly dependency conflicts", PowerShell documentation). Shared with
/// PowerShell's default context: FaceEval.Objects (the objects users see) and the platform's own assemblies.
/// Native libraries come from Dependencies/runtimes/&lt;rid&gt;/native.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    /// <summary>The assembly both contexts use, so that [FaceEval.FaceEmbedding] is one type.</summary>
    public const string SharedAssembly = "FaceEval.Objects";

    private static readonly HashSet<string> s_platform = PlatformAssemblies();
    private readonly string _folder;
    private readonly string _nativeFolder;

    public EngineLoadContext(string folder) : base("FaceEval.Engine")
    {
        _folder = folder;
        _nativeFolder = Path.Combine(folder, "runtimes", RuntimeIdentifier, "native");
    }

    /// <summary>The folder native libraries are loaded from.</summary>
    public string NativeFolder => _nativeFolder;

    /// <summary>linux-x64, win-x64, ...: the runtimes folder the native libraries of this machine are in.</summary>
    public static string RuntimeIdentifier
    {
        get
        {
            string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            if (OperatingSystem.IsWindows()) return $"win-{arch}";
            if (OperatingSystem.IsLinux()) return $"linux-{arch}";
            throw new PlatformNotSupportedException($"FaceEval supports Linux and Windows; this is {RuntimeInformation.OSDescription}.");
        }
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null || name.Name == SharedAssembly || s_platform.Contains(name.Name)) return null;
        string path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string bare = Path.GetFileNameWithoutExtension(unmanagedDllName);
        var candidates = OperatingSystem.IsWindows() ? new[] { bare + ".dll" } : new[] { bare + ".so", "lib" + bare + ".so" };
        foreach (var file in candidates)
        {
            string path = Path.Combine(_nativeFolder, file);
            if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
        }
        return IntPtr.Zero; // the usual search (system libraries)
    }

    /// <summary>Names of the runtime's and PowerShell's own assemblies: those always come from the default context.</summary>
    private static HashSet<string> PlatformAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                names.Add(Path.GetFileNameWithoutExtension(path));
        return names;
    }
}
