using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using FaceEval.Core.Imaging;
using OpenCvSharp;

namespace FaceEval.Core.Tests;

/// <summary>
/// Issue #13, defect 1: every format OpenCV decodes is bounded before pixel memory is allocated. Each
/// case is a few hundred bytes that declare 30000 x 30000 pixels (2.7 GB as BGR), in the ways that
/// slipped past the header check or could: a stray byte before the JPEG frame header, formats the check
/// did not read, headers cut short. The ImageTooLarge message names -MaxPixels, which only the header
/// check says, so it shows the refusal came before OpenCV ran.
/// </summary>
public class DecompressionBombTests
{
    private const int Huge = ImageBombs.Huge;

    [ModuleInitializer]
    internal static void ApplyCeilingBeforeOpenCvLoads() => OpenCvLimits.Apply(ImageDecoder.DefaultMaxPixels);

    public static TheoryData<string, byte[]> Bombs()
    {
        var data = new TheoryData<string, byte[]>();
        foreach (var (name, bytes) in ImageBombs.All()) data.Add(name, bytes);
        return data;
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public void AHugeDeclaredSizeIsRefusedByTheHeaderCheck(string format, byte[] bomb)
    {
        Assert.Equal(((long)Huge, (long)Huge), ImageHeader.TryReadSize(bomb) is { } s ? (s.Width, s.Height) : default);
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(bomb, format));
        Assert.Equal(FaceEvalError.ImageTooLarge, e.Error);
        Assert.Contains("over the limit of", e.Message); // the header check's words: OpenCV never ran
    }

    public static TheoryData<string, byte[]> Unreadable()
    {
        var data = new TheoryData<string, byte[]>();
        var jpeg = ImageBombs.Jpeg(strayBytes: 0);
        int sof = ImageBombs.IndexOfSof(jpeg);
        data.Add("JPEG cut inside its frame header", jpeg[..(sof + 5)]);
        data.Add("JPEG with no frame header before its scan", new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9 });
        data.Add("PNG whose first chunk is not IHDR", ImageBombs.Ascii("\x89PNG\r\n\x1a\n\0\0\0\rIDAT").Concat(new byte[16]).ToArray());
        data.Add("PNG cut inside IHDR", ImageBombs.Png(Huge, Huge)[..20]);
        data.Add("PGM without a height", ImageBombs.Ascii("P5\n30000"));
        data.Add("PAM without a height", ImageBombs.Ascii("P7\nWIDTH 30000\nENDHDR\n"));
        data.Add("TIFF whose directory lies past the end", new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0, 0 });
        data.Add("Radiance HDR without a resolution line", ImageBombs.Ascii("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n"));
        return data;
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void ARecognisedFormatWhoseHeaderCannotBeReadIsRefusedNotDecoded(string format, byte[] data)
    {
        Assert.Equal(ImageHeaderStatus.Unreadable, ImageHeader.Read(data).Status);
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(data, format));
        Assert.Equal(FaceEvalError.CorruptImage, e.Error);
        Assert.Contains("header cannot be read", e.Message);
    }

    [Fact]
    public void OpenCvsOwnCeilingIsInForceAndRefusesWhatTheCallerAllows()
    {
        // The second bound: with no limit of the caller's (-MaxPixels 0), OpenCV itself refuses a
        // 20000 x 20000 header (400 million pixels, over the 100 million ceiling) before allocating.
        Assert.True(OpenCvLimits.Active, "the ceiling was applied before OpenCV loaded, so OpenCV must enforce it");
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(ImageBombs.Ascii("P5\n20000 20000\n255\n\0"), "big.pgm", maxPixels: 0));
        Assert.Equal(FaceEvalError.ImageTooLarge, e.Error);
        Assert.Contains(OpenCvLimits.PixelsVariable, e.Message);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    [InlineData(".bmp")]
    [InlineData(".tiff")]
    [InlineData(".webp")]
    [InlineData(".ppm")]
    [InlineData(".pam")]
    [InlineData(".pfm")]
    [InlineData(".ras")]
    [InlineData(".hdr")]
    [InlineData(".gif")]
    public void GenuineImagesOfEveryFormatStillDecode(string ext)
    {
        using var img = TestData.Gradient(37, 23);
        Assert.True(Cv2.ImEncode(ext, img, out var bytes));
        Assert.Equal(ImageHeaderStatus.Read, ImageHeader.Read(bytes).Status);
        Assert.Equal((37L, 23L), ImageHeader.TryReadSize(bytes) is { } s ? (s.Width, s.Height) : default);
        using var decoded = ImageDecoder.Decode(bytes, "genuine" + ext);
        Assert.Equal(new Size(37, 23), decoded.Size());
    }
}
