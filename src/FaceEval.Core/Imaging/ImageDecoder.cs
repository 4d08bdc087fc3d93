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
    // The second bound (OpenCV's own) must be set before the library loads; the first decode is the
    // latest moment. Hosts that call OpenCV earlier (the module, the server) apply it at start.
    static ImageDecoder() => OpenCvLimits.Apply(DefaultMaxPixels);

    /// <summary>Default pixel limit: 100 megapixels (e.g. 10000 x 10000).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>Reads a whole image file (a regular file, at most 1 GiB), turning I/O failures into per-item errors.</summary>
    public static byte[] ReadFile(string path) => FaceEval.Core.IO.RegularFile.ReadAllBytes(path, "image file");

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
        var header = ImageHeader.Read(data);
        switch (header.Status)
        {
            case ImageHeaderStatus.Read:
                var (w, h) = header.Size!.Value;
                if (w <= 0 || h <= 0)
                    throw new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' declares a size of {w}x{h} pixels.", source);
                CheckPixels(w, h, source, maxPixels, tooLargeHint);
                break;
            case ImageHeaderStatus.Unreadable:
                // Decoding it anyway would let OpenCV allocate whatever size it finds: refuse instead.
                throw new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' looks like {header.Format} but its header cannot be read, so its size cannot be checked; it was not decoded.", source);
            case ImageHeaderStatus.UnknownFormat when !OpenCvLimits.Active:
                throw new FaceEvalException(FaceEvalError.NotAnImage,
                    $"'{source}' is not in a format whose size FaceEval can check before decoding (PNG, JPEG, GIF, BMP, PNM, WebP, TIFF, Sun raster, Radiance HDR, JPEG 2000), and OpenCV's own size limit is not in force in this process; it was not decoded.", source);
        }

        Mat mat;
        OpenCvRuntime.ClaimErrors();
        try
        {
            mat = Cv2.ImDecode(data, ImreadModes.Color);
        }
        catch (OpenCVException e) when (IsOverCeiling(e))
        {
            throw new FaceEvalException(FaceEvalError.ImageTooLarge,
                $"The image '{source}' declares more pixels than OpenCV may allocate in this process ({OpenCvLimits.PixelsVariable} = {OpenCvLimits.MaxPixels:N0}, at most {OpenCvLimits.MaxSide:N0} pixels a side); it was not decoded.", source, e);
        }
        catch (OpenCVException e)
        {
            throw new FaceEvalException(FaceEvalError.CorruptImage, $"The image '{source}' could not be decoded: {e.Message}", source, e);
        }
        if (mat.Empty())
        {
            mat.Dispose();
            throw header.Status == ImageHeaderStatus.UnknownFormat
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

    /// <summary>OpenCV's refusal of a size over its ceiling (an assertion in validateInputImageSize on CV_IO_MAX_IMAGE_*).</summary>
    private static bool IsOverCeiling(OpenCVException e) =>
        e.FuncName == "validateInputImageSize" || e.Message.Contains("CV_IO_MAX_IMAGE", StringComparison.Ordinal);

    private static void CheckPixels(long w, long h, string source, long maxPixels, string? hint)
    {
        if (maxPixels > 0 && w * h > maxPixels)
            throw new FaceEvalException(FaceEvalError.ImageTooLarge,
                $"The image '{source}' is {w}x{h} = {w * h:N0} pixels, over the limit of {maxPixels:N0}{(string.IsNullOrEmpty(hint) ? "." : $" ({hint}).")}", source);
    }
}
