using System.Buffers.Binary;
using FaceEval.Core.Imaging;
using OpenCvSharp;

namespace FaceEval.Core.Tests;

public class ImageHeaderTests
{
    // The sizes of images of every format OpenCV writes: DecompressionBombTests.GenuineImagesOfEveryFormatStillDecode.

    [Fact]
    public void ReadsPnmWithComments()
    {
        var pgm = "P5\n# made by hand\n  640 # width\n480\n255\n"u8.ToArray();
        Assert.Equal((640L, 480L), ImageHeader.TryReadSize(pgm));
    }

    [Fact]
    public void ReadsGif()
    {
        var gif = "GIF89a"u8.ToArray().Concat(new byte[] { 0x20, 0x03, 0x58, 0x02 }).ToArray(); // 800 x 600
        Assert.Equal((800L, 600L), ImageHeader.TryReadSize(gif));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47 })] // a PNG signature cut short
    public void UnknownOrTruncatedHeadersGiveNull(byte[] data) => Assert.Null(ImageHeader.TryReadSize(data));
}

public class ImageDecoderTests
{
    [Fact]
    public void EmptyDataIsEmptyFile()
    {
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty, "x.png"));
        Assert.Equal(FaceEvalError.EmptyFile, e.Error);
    }

    [Fact]
    public void ZeroByteFileIsEmptyFile()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("empty.jpg"), Array.Empty<byte>());
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.ReadFile(dir.File("empty.jpg")));
        Assert.Equal(FaceEvalError.EmptyFile, e.Error);
        Assert.Equal(dir.File("empty.jpg"), e.Target);
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.ReadFile("/no/such/dir/face.png"));
        Assert.Equal(FaceEvalError.FileNotFound, e.Error);
    }

    [Fact]
    public void AFolderIsUnreadable()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.ReadFile(dir.Path));
        Assert.Equal(FaceEvalError.FileUnreadable, e.Error);
        Assert.Equal(dir.Path, e.Target);
    }

    [Fact]
    public void TextIsNotAnImage()
    {
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode("just some text, not pixels"u8, "notes.txt"));
        Assert.Equal(FaceEvalError.NotAnImage, e.Error);
    }

    [Fact]
    public void TruncatedPngIsCorrupt()
    {
        using var img = TestData.Gradient(64, 64);
        Cv2.ImEncode(".png", img, out var png);
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(png.AsSpan(0, png.Length / 3), "cut.png"));
        Assert.Equal(FaceEvalError.CorruptImage, e.Error);
    }

    [Fact]
    public void HugeDeclaredSizeIsRefusedBeforeDecoding()
    {
        // A valid PNG signature and IHDR that claim 50000 x 50000 pixels, and nothing else: decoding it
        // would fail anyway, so the ImageTooLarge error shows that the header check came first.
        var png = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 50_000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 50_000);
        var e = Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(png, "bomb.png"));
        Assert.Equal(FaceEvalError.ImageTooLarge, e.Error);
    }

    [Fact]
    public void PixelLimitIsConfigurable()
    {
        using var img = TestData.Gradient(40, 30);
        Cv2.ImEncode(".png", img, out var png);
        Assert.Equal(FaceEvalError.ImageTooLarge, Assert.Throws<FaceEvalException>(() => ImageDecoder.Decode(png, "a.png", maxPixels: 1199)).Error);
        using var ok = ImageDecoder.Decode(png, "a.png", maxPixels: 1200);
        Assert.Equal(new Size(40, 30), ok.Size());
        using var unlimited = ImageDecoder.Decode(png, "a.png", maxPixels: 0);
        Assert.Equal(new Size(40, 30), unlimited.Size());
    }

    [Fact]
    public void GreyscaleBecomesThreeEqualChannels()
    {
        using var grey = new Mat(10, 12, MatType.CV_8UC1, new Scalar(77));
        grey.Set(3, 4, (byte)200);
        Cv2.ImEncode(".pgm", grey, out var pgm);
        using var bgr = ImageDecoder.Decode(pgm, "g.pgm");
        Assert.Equal(MatType.CV_8UC3, bgr.Type());
        Assert.Equal(new Vec3b(200, 200, 200), bgr.Get<Vec3b>(3, 4));
        Assert.Equal(new Vec3b(77, 77, 77), bgr.Get<Vec3b>(0, 0));
    }

    [Fact]
    public void SixteenBitIsReducedToEightBitsAsOpenCvDoes()
    {
        using var deep = new Mat(4, 4, MatType.CV_16UC1, new Scalar(0x1234));
        Cv2.ImEncode(".png", deep, out var png);
        using var bgr = ImageDecoder.Decode(png, "deep.png");
        Assert.Equal(MatType.CV_8UC3, bgr.Type());
        Assert.Equal(new Vec3b(0x12, 0x12, 0x12), bgr.Get<Vec3b>(1, 1));
    }

    [Fact]
    public void AlphaIsDropped()
    {
        using var rgba = new Mat(5, 5, MatType.CV_8UC4, new Scalar(10, 20, 30, 0));
        Cv2.ImEncode(".png", rgba, out var png);
        using var bgr = ImageDecoder.Decode(png, "alpha.png");
        Assert.Equal(MatType.CV_8UC3, bgr.Type());
        Assert.Equal(new Vec3b(10, 20, 30), bgr.Get<Vec3b>(2, 2));
    }
}
