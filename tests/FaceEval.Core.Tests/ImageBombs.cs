using System.Buffers.Binary;
using System.Text;
using OpenCvSharp;

namespace FaceEval.Core.Tests;

/// <summary>
/// Decompression bombs: a few hundred bytes each whose header declares <see cref="Huge"/> x <see cref="Huge"/>
/// pixels (2.7 GB as BGR), one per format the bundled OpenCV decodes, including the stray byte before a JPEG
/// frame header that libjpeg skips. Shared by the engine's decoder tests and the server's burst test.
/// </summary>
public static class ImageBombs
{
    public const int Huge = 30_000;

    /// <summary>Every bomb, named.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> All()
    {
        yield return ("JPEG with a stray byte before its frame header", Jpeg(strayBytes: 1));
        yield return ("JPEG with garbage before its frame header", Jpeg(strayBytes: 37));
        yield return ("JPEG with fill bytes before its frame header", Jpeg(strayBytes: 0, fill: 5));
        yield return ("PNG", Png(Huge, Huge));
        yield return ("GIF", Gif(Huge, Huge));
        yield return ("BMP", Bmp(Huge, Huge));
        yield return ("PGM", Ascii($"P5\n{Huge} {Huge}\n255\n"));
        yield return ("PPM with comments", Ascii($"P6\n# a comment\n{Huge}\n# another\n{Huge}\n255\n"));
        yield return ("PAM", Ascii($"P7\nWIDTH {Huge}\nHEIGHT {Huge}\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n"));
        yield return ("PFM", Ascii($"PF\n{Huge} {Huge}\n-1.0\n"));
        yield return ("Sun raster", SunRaster(Huge, Huge));
        yield return ("Radiance HDR", Ascii($"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {Huge} +X {Huge}\n"));
        yield return ("TIFF", Tiff(Huge, Huge));
        yield return ("WebP (VP8X)", WebPExtended(Huge, Huge));
        yield return ("JPEG 2000 codestream", J2k(Huge, Huge));
    }

    public static byte[] Ascii(string s) => Encoding.Latin1.GetBytes(s);

    public static int IndexOfSof(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) return i;
        throw new InvalidOperationException("no SOF0");
    }

    /// <summary>A real 16 x 16 baseline JPEG whose frame header is made to claim 30000 x 30000, with junk or fill before it.</summary>
    public static byte[] Jpeg(int strayBytes, int fill = 0)
    {
        using var img = TestData.Gradient(16, 16);
        Cv2.ImEncode(".jpg", img, out var jpeg);
        int sof = IndexOfSof(jpeg);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), Huge); // height
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), Huge); // width
        var junk = Enumerable.Range(0, strayBytes).Select(i => (byte)(0x11 + i % 0x60)).Concat(Enumerable.Repeat((byte)0xFF, fill));
        return jpeg[..sof].Concat(junk).Concat(jpeg[sof..]).ToArray();
    }

    public static byte[] Png(int w, int h)
    {
        var png = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), (uint)h);
        png[24] = 8; png[25] = 2;
        return png;
    }

    public static byte[] Gif(int w, int h)
    {
        var gif = Ascii("GIF89a").Concat(new byte[7]).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), (ushort)w);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), (ushort)h);
        return gif;
    }

    public static byte[] Bmp(int w, int h)
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

    public static byte[] SunRaster(int w, int h)
    {
        var ras = new byte[32];
        new byte[] { 0x59, 0xA6, 0x6A, 0x95 }.CopyTo(ras, 0);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(4), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(8), (uint)h);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(12), 24);
        BinaryPrimitives.WriteUInt32BigEndian(ras.AsSpan(20), 1);
        return ras;
    }

    public static byte[] Tiff(int w, int h)
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

    public static byte[] WebPExtended(int w, int h)
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

    public static byte[] J2k(int w, int h)
    {
        var d = new byte[4 + 2 + 2 + 32];
        new byte[] { 0xFF, 0x4F, 0xFF, 0x51 }.CopyTo(d, 0);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(4), 41);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(8), (uint)w);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(12), (uint)h);
        return d;
    }
}
