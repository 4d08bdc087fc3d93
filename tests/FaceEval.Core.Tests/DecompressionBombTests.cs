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
    private const int Huge = 30_000;

    [ModuleInitializer]
    internal static void ApplyCeilingBeforeOpenCvLoads() => OpenCvLimits.Apply(ImageDecoder.DefaultMaxPixels);

    public static TheoryData<string, byte[]> Bombs()
    {
        var data = new TheoryData<string, byte[]>();
        data.Add("JPEG with a stray byte before its frame header", JpegBomb(strayBytes: 1));
        data.Add("JPEG with garbage before its frame header", JpegBomb(strayBytes: 37));
        data.Add("JPEG with fill bytes before its frame header", JpegBomb(strayBytes: 0, fill: 5));
        data.Add("PNG", PngHeader(Huge, Huge));
        data.Add("GIF", Gif(Huge, Huge));
        data.Add("BMP", Bmp(Huge, Huge));
        data.Add("PGM", Ascii($"P5\n{Huge} {Huge}\n255\n"));
        data.Add("PPM with comments", Ascii($"P6\n# a comment\n{Huge}\n# another\n{Huge}\n255\n"));
        data.Add("PAM", Ascii($"P7\nWIDTH {Huge}\nHEIGHT {Huge}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n"));
        data.Add("PFM", Ascii($"PF\n{Huge} {Huge}\n-1.0\n"));
        data.Add("Sun raster", SunRaster(Huge, Huge));
        data.Add("Radiance HDR", Ascii($"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {Huge} +X {Huge}\n"));
        data.Add("TIFF", Tiff(Huge, Huge));
        data.Add("WebP (VP8X)", WebPExtended(Huge, Huge));
        data.Add("JPEG 2000 codestream", J2k(Huge, Huge));
        return data;
    }

    [Theory]
    [MemberData(nameof(Bombs))]
    public void AHugeDeclaredSizeIsRefusedByTheHeaderCheck(string format, byte[] bomb)
    {
        Assert.Equal(((long)Huge, (long)Huge), ImageHeader.TryReadSize(bomb) is { } s ? (s.Width, s.Height) : default);
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(bomb, format));
        Assert.Equal(FaceEvalError.ImageTooLarge, e.Error);
        Assert.Contains("-MaxPixels", e.Message);
    }

    public static TheoryData<string, byte[]> Unreadable()
    {
        var data = new TheoryData<string, byte[]>();
        var jpeg = JpegBomb(strayBytes: 0);
        int sof = IndexOfSof(jpeg);
        data.Add("JPEG cut inside its frame header", jpeg[..(sof + 5)]);
        data.Add("JPEG with no frame header before its scan", new byte[] { 0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9 });
        data.Add("PNG whose first chunk is not IHDR", Ascii("\x89PNG\r\n\x1a\n\0\0\0\rIDAT").Concat(new byte[16]).ToArray());
        data.Add("PNG cut inside IHDR", PngHeader(Huge, Huge)[..20]);
        data.Add("PGM without a height", Ascii("P5\n30000"));
        data.Add("PAM without a height", Ascii("P7\nWIDTH 30000\nENDHDR\n"));
        data.Add("TIFF whose directory lies past the end", new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0, 0 });
        data.Add("Radiance HDR without a resolution line", Ascii("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n"));
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
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(Ascii("P5\n20000 20000\n255\n\0"), "big.pgm", maxPixels: 0));
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

    private static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    private static int IndexOfSof(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) return i;
        throw new InvalidOperationException("no SOF0");
    }

    /// <summary>A real 16 x 16 baseline JPEG whose frame header is made to claim 30000 x 30000, with junk or fill before it.</summary>
    private static byte[] JpegBomb(int strayBytes, int fill = 0)
    {
        using var img = TestData.Gradient(16, 16);
        Cv2.ImEncode(".jpg", img, out var jpeg);
        int sof = IndexOfSof(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), Huge); // height
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), Huge); // width
        var junk = Enumerable.Range(0, strayBytes).Select(i => (byte)(0x11 + i % 0x60)).Concat(Enumerable.Repeat((byte)0xFF, fill));
        return jpeg[..sof].Concat(junk).Concat(jpeg[sof..]).ToArray();
    }

    private static byte[] PngHeader(int w, int h)
    {
        var png = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), (uint)h);
        png[24] = 8; png[25] = 2;
        return png;
    }

    private static byte[] Gif(int w, int h)
    {
        var gif = Ascii("GIF89a").Concat(new byte[7]).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), (ushort)w);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), (ushort)h);
        return gif;
    }

    private static byte[] Bmp(int w, int h)
    {
        var bmp = new byte[54];
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteUInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), h);
        BinaryPrimitives.WriteUInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bmp.AsSpan(28), 24);
        return bmp;
    }

    private static byte[] SunRaster(int w, int h)
    {
        var ras = new byte[32];
        new byte[] { 0x59, 0xA6, 0x6A, 0x95 }.CopyTo(ras, 0);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(4), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(8), (uint)h);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(12), 24);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(20), 1);
        return ras;
    }

    private static byte[] Tiff(int w, int h)
    {
        // Little-endian, one directory at offset 8 with ImageWidth and ImageLength as LONGs.
        var t = new byte[8 + 2 + 2 * 12 + 4];
        t[0] = (byte)'I'; t[1] = (byte)'I'; t[2] = 42;
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(8), 2);
        void Entry(int k, ushort tag, uint value)
        {
            int e = 10 + 12 * k;
            BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(e), tag);
            BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(e + 2), 4);
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(e + 4), 1);
            BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(e + 8), value);
        }
        Entry(0, 256, (uint)w);
        Entry(1, 257, (uint)h);
        return t;
    }

    private static byte[] WebPExtended(int w, int h)
    {
        var d = new byte[30];
        Ascii("RIFF").CopyTo(d, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(4), 22);
        Ascii("WEBPVP8X").CopyTo(d, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(d.AsSpan(16), 10);
        int wm = w - 1, hm = h - 1;
        d[24] = (byte)wm; d[25] = (byte)(wm >> 8); d[26] = (byte)(wm >> 16);
        d[27] = (byte)hm; d[28] = (byte)(hm >> 8); d[29] = (byte)(hm >> 16);
        return d;
    }

    private static byte[] J2k(int w, int h)
    {
        var d = new byte[4 + 2 + 2 + 32];
        new byte[] { 0xFF, 0x4F, 0xFF, 0x51 }.CopyTo(d, 0);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(4), 41);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(12), (uint)h);
        return d;
    }
}
