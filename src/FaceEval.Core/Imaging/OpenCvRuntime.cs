using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>Starts the native OpenCV library once per process, with a message that says what to install when it cannot load.</summary>
public static class OpenCvRuntime
{
    private static bool s_started;

    /// <summary>Loads the native library (through the calling load context's resolution) and turns OpenCV's own logging down to errors.</summary>
    /// <param name="nativeFolder">Where the library is expected, for the message when it is missing.</param>
    /// <exception cref="DllNotFoundException">The library is missing or cannot load; the message names the fix.</exception>
    public static void Start(string nativeFolder)
    {
        if (s_started) return;
        string file = OperatingSystem.IsWindows() ? "OpenCvSharpExtern.dll" : "libOpenCvSharpExtern.so";
        string path = Path.Combine(nativeFolder, file);
        if (!File.Exists(path))
            throw new DllNotFoundException($"FaceEval cannot start: the native OpenCV library '{path}' is missing. Rebuild the module with 'dotnet pwsh ./build.ps1 Build' on this operating system.");
        try
        {
            Cv2.SetLogLevel(OpenCvSharp.LogLevel.ERROR);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            throw new DllNotFoundException(
                $"FaceEval cannot load the native OpenCV library '{path}': {(e.InnerException ?? e).Message}. " +
                (OperatingSystem.IsLinux()
                    ? "It needs the GTK 3 runtime: on Debian or Ubuntu install it with 'apt-get install libgtk-3-0' (libgtk-3-0t64 on newer releases); 'ldd' on the library lists anything else that is missing."
                    : "Check that the Visual C++ runtime is installed."), e);
        }
        s_started = true;
    }
}
