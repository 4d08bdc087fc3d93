using System.Runtime.InteropServices;
using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>
/// OpenCV's own ceiling on the images its decoders will allocate for, set before the native library loads.
/// </summary>
/// <remarks>
/// OpenCV checks every decoded image's declared size against OPENCV_IO_MAX_IMAGE_WIDTH, _HEIGHT and
/// _PIXELS before it allocates pixel memory, in every decoder, whatever the format. It reads those
/// variables once, when the library is loaded; their defaults (2^20 wide, 2^30 pixels, 3 GB of BGR)
/// allow a 796-byte file to claim gigabytes. <see cref="Apply"/> lowers them through the process's
/// native environment (.NET's Environment.SetEnvironmentVariable does not reach native getenv on
/// Unix) unless the user has set them; it must run before anything in the process calls OpenCV.
/// <see cref="Active"/> then checks, once, that the library really took them, with a probe that
/// costs nothing when it did not: a 1-pixel-high image wider than the width ceiling. The header
/// reader (<see cref="ImageHeader"/>) is the first bound, with messages that name -MaxPixels; this
/// is the second, for the formats that reader does not know.
/// </remarks>
public static class OpenCvLimits
{
    /// <summary>The widest and tallest image OpenCV will decode once applied: 2^18 = 262,144 pixels.</summary>
    public const long MaxSide = 1 << 18;

    /// <summary>OpenCV's variable for the pixel ceiling.</summary>
    public const string PixelsVariable = "OPENCV_IO_MAX_IMAGE_PIXELS";

    private static readonly object s_lock = new();
    private static bool? s_active;

    /// <summary>The pixel ceiling in force: the user's OPENCV_IO_MAX_IMAGE_PIXELS when set, else the one <see cref="Apply"/> set; null before.</summary>
    public static long? MaxPixels { get; private set; }

    /// <summary>Sets the ceilings in the native environment, unless already set there. Call before the first OpenCV call of the process.</summary>
    /// <param name="maxPixels">The pixel ceiling to set (for example <see cref="ImageDecoder.DefaultMaxPixels"/>).</param>
    public static void Apply(long maxPixels)
    {
        lock (s_lock)
        {
            if (MaxPixels is not null) return;
            SetIfUnset(PixelsVariable, maxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SetIfUnset("OPENCV_IO_MAX_IMAGE_WIDTH", MaxSide.ToString(System.Globalization.CultureInfo.InvariantCulture));
            SetIfUnset("OPENCV_IO_MAX_IMAGE_HEIGHT", MaxSide.ToString(System.Globalization.CultureInfo.InvariantCulture));
            MaxPixels = long.TryParse(Environment.GetEnvironmentVariable(PixelsVariable), out long set) ? set : maxPixels;
        }
    }

    /// <summary>
    /// True when OpenCV refuses an image over the width ceiling before allocating it, that is, when the
    /// library was loaded after <see cref="Apply"/> (or with the variables set by the user). Probed once.
    /// </summary>
    public static bool Active
    {
        get
        {
            lock (s_lock)
            {
                s_active ??= Probe();
                return s_active.Value;
            }
        }
    }

    private static bool Probe()
    {
        // A binary PGM one pixel high and wider than MaxSide. With the ceiling, OpenCV throws before it
        // allocates; without it, it allocates a row (about 800 KB) and fails on the missing pixels.
        var pgm = System.Text.Encoding.ASCII.GetBytes($"P5\n{MaxSide + 1} 1\n255\n").Concat(new byte[] { 0 }).ToArray();
        OpenCvRuntime.ClaimErrors();
        try
        {
            using var m = Cv2.ImDecode(pgm, ImreadModes.Grayscale);
            return false;
        }
        catch (OpenCVException)
        {
            return true;
        }
    }

    private static void SetIfUnset(string name, string value)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        // The managed copy, for child processes started from .NET, and the native one, for OpenCV.
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows()) _ = WindowsPutEnv(name, value);
        else _ = UnixSetEnv(name, value, 1);
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int UnixSetEnv(string name, string value, int overwrite);

    [DllImport("ucrtbase", EntryPoint = "_putenv_s", CharSet = CharSet.Ansi)]
    private static extern int WindowsPutEnv(string name, string value);
}
