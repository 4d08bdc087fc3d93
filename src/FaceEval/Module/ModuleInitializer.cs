using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace FaceEval.PowerShell;

/// <summary>
/// Loads the native OpenCV library from the module folder when the module is imported. PowerShell does
/// not search a module's folder for native libraries, so without this the first OpenCV call would fail
/// deep inside a cmdlet; here a missing or broken library fails Import-Module with a message that says
/// what is missing.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    private static IntPtr s_handle;

    public void OnImport()
    {
        if (s_handle != IntPtr.Zero) return;
        string moduleDir = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory;
        var (rid, file) = NativeName();
        string path = Path.Combine(moduleDir, "runtimes", rid, "native", file);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"FaceEval cannot start: the native OpenCV library '{path}' is missing. Rebuild the module with 'dotnet pwsh ./build.ps1 Build' on this operating system.", path);
        try
        {
            s_handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new DllNotFoundException(
                $"FaceEval cannot load the native OpenCV library '{path}': {e.Message}. " +
                (OperatingSystem.IsLinux()
                    ? "It needs the GTK 3 runtime: on Debian or Ubuntu install it with 'apt-get install libgtk-3-0' (libgtk-3-0t64 on newer releases); 'ldd' on the library lists anything else that is missing."
                    : "Check that the Visual C++ runtime is installed."), e);
        }
        // OpenCvSharp imports "OpenCvSharpExtern": point that name at the library just loaded.
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(OpenCvSharp.Mat).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set (module imported into a second runspace): the library is loaded.
        }
        OpenCvSharp.Cv2.SetLogLevel(OpenCvSharp.LogLevel.ERROR);
        // The plotting libraries (SkiaSharp, HarfBuzzSharp) load their native parts on first use; the
        // default probing misses the module's runtimes folder, so point it there. Nothing is loaded now.
        System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll += (assembly, name) => FromModuleFolder(moduleDir, name);
    }

    /// <summary>Finds a native library the module ships (runtimes/&lt;rid&gt;/native/lib&lt;name&gt;.so or &lt;name&gt;.dll).</summary>
    private static IntPtr FromModuleFolder(string moduleDir, string name)
    {
        string folder = Path.Combine(moduleDir, "runtimes", NativeName().Rid, "native");
        string bare = Path.GetFileNameWithoutExtension(name);
        foreach (var file in OperatingSystem.IsWindows() ? new[] { bare + ".dll" } : new[] { bare + ".so", "lib" + bare + ".so" })
        {
            string path = Path.Combine(folder, file);
            if (File.Exists(path)) return NativeLibrary.Load(path);
        }
        return IntPtr.Zero;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name.Contains("OpenCvSharpExtern", StringComparison.Ordinal) ? s_handle : IntPtr.Zero;

    private static (string Rid, string File) NativeName()
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows()) return ($"win-{arch}", "OpenCvSharpExtern.dll");
        if (OperatingSystem.IsLinux()) return ($"linux-{arch}", "libOpenCvSharpExtern.so");
        throw new PlatformNotSupportedException($"FaceEval supports Linux and Windows; this is {RuntimeInformation.OSDescription}.");
    }
}
