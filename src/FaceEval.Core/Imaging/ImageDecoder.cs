using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>Reads image files into 8-bit BGR matrices, the way <c>cv2.imread(path)</c> does.</summary>
/// <remarks>
/// Decoding uses OpenCV's default colour mode, as the reference helper does: greyscale images (PGM,
/// grey PNG/JPEG) become three equal BGR channels, 16-bit images are reduced to 8 bits by OpenCV
/// (value / 256), an alpha channel is dropped, and EXIF orientation is applied.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Default pixel limit: 100 megapixels (e.g. 10000 x 10000).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>Reads a whole file, turning I/O failures into per-item errors.</summary>
    public static byte[] ReadFile(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FaceEvalException(FaceEvalError.FileNotFound, $"Cannot find the image file '{path}'.", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new FaceEvalException(FaceEvalError.FileUnreadable, $"Cannot read the image file '{path}': {e.Message}", path, e);
        }
        if (data.Length == 0)
            throw new FaceEvalException(FaceEvalError.EmptyFile, $"The image file '{path}' is empty (0 bytes).", path);
        return data;
    }

    /// <summary>Decodes image bytes into an 8-bit, 3-channel BGR matrix. The caller disposes it.</summary>
    /// <param name="data">The encoded image.</param>
    /// <param name="source">Names the image in error messages.</param>
    /// <param name="maxPixels">Largest width*height accepted; 0 or less for no limit.</param>
    /// <param name="tooLargeHint">
    /// What the user can do about an image over the limit, in the terms of the command that decodes it (this
    /// engine names no parameter itself: each command has its own); null for no hint.
    /// </param>
    public static Mat Decode(ReadOnlySpan<byte> data, string source, long maxPixels = DefaultMaxPixels, string? tooLargeHint = null)
    {
        if (data.IsEmpty)
            throw new FaceEvalException(FaceEvalError.EmptyFile, $"The image '{source}' is empty (0 bytes).", source);
        var size = ImageHeader.TryReadSize(data);
        if (size is var (w, h))
        {
            if (w <= 0 || h <= 0)
                throw new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' declares a size of {w}x{h} pixels.", source);
            CheckPixels(w, h, source, maxPixels, tooLargeHint);
        }

        Mat mat;
        try
        {
            mat = Cv2.ImDecode(data, ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' could not be decoded: {e.Message}", source, e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw size is null
                ? new FaceEvalException(FaceEvalError.NotAnImage, $"'{source}' is not an image in a format OpenCV reads.", source)
                : new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' is damaged or truncated and could not be decoded.", source);
        }
        try
        {
            CheckPixels(mat.Width, mat.Height, source, maxPixels, tooLargeHint);
        }
        catch
        {
            mat.Dispose();
            throw;
        }
        return mat;
    }

    private static void CheckPixels(long w, long h, string source, long maxPixels, string? hint)
    {
        if (maxPixels > 0 && w * h > maxPixels)
            throw new FaceEvalException(FaceEvalError.ImageTooLarge,
                $"The image '{source}' is {w}x{h} = {w * h:N0} pixels, over the limit of {maxPixels:N0}{(string.IsNullOrEmpty(hint) ? "." : $" ({hint}).")}", source);
    }
}
