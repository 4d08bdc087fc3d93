using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>Starts the native OpenCV library once per process, with a message that says what to install when it cannot load.</summary>
public static class OpenCvRuntime
{
    private static bool s_started;

    /// <summary>Loads the native library (through the calling load context's resolution) sets OpenCV's decode ceiling and silences OpenCV's own log.</summary>
    /// <param name="nativeFolder">Where the library is expected, for the message when it is missing.</param>
    /// <exception cref="DllNotFoundException">The library is missing or cannot load; the message names the fix.</exception>
    public static void Start(string nativeFolder)
    {
        if (s_started) return;
        string file = OperatingSystem.IsWindows() ? "OpenCvSharpExtern.dll" : "libOpenCvSharpExtern.so";
        string path = Path.Combine(nativeFolder, file);
        if (!File.Exists(path))
            throw new DllNotFoundException($"FaceEval cannot start: the native OpenCV library '{path}' is missing. Rebuild the module with 'dotnet pwsh ./build.ps1 Build' on this operating system.");
        // Before the library loads: OpenCV reads its decode ceiling once, at load (see OpenCvLimits).
        OpenCvLimits.Apply(ImageDecoder.DefaultMaxPixels);
        try
        {
            // Silent: every OpenCV failure reaches the user as an exception this module words; OpenCV's own
            // log lines would repeat it on stderr, once per image.
            Cv2.SetLogLevel(OpenCvSharp.LogLevel.SILENT);
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

    /// <summary>
    /// Makes OpenCV report its errors to this copy of OpenCvSharp. The native library holds one error
    /// callback for the whole process, and each copy of OpenCvSharp registers its own when it first
    /// calls OpenCV: after another module (or a script) loads a second copy, OpenCV's errors would go
    /// there, and this engine would see a failed call as a null result. Cheap (one native call); made
    /// before each operation whose failures must come back as OpenCV's own exception.
    /// </summary>
    public static void ClaimErrors() => OpenCvSharp.Internal.ExceptionHandler.RegisterExceptionCallback();
}
