using System.Buffers.Binary;
using System.Text;

namespace FaceEval.Core.Imaging;

/// <summary>
/// Reads an image's pixel size from its header without decoding it, so that a decompression bomb is
/// refused before any pixel memory is allocated. Covers every format the bundled OpenCV decodes that an
/// evaluator can meet: PNG, JPEG, GIF, BMP, the PNM family (PBM, PGM, PPM, PAM, PFM), WebP, TIFF, Sun
/// raster, Radiance HDR and JPEG 2000. Kept here rather than pulled in from an imaging library: it is
/// small, and loading another library into every PowerShell session for it would slow Import-Module.
/// </summary>
/// <remarks>
/// The rule that makes this a bound and not a hint: a file whose signature names one of these formats
/// but whose header cannot be read is <see cref="ImageHeaderStatus.Unreadable"/>, and the decoder
/// refuses it; it is never handed to OpenCV to "see what happens". Each reader follows what the
/// format's own decoder does with damaged input where that is lenient (libjpeg skips stray bytes
/// before a marker, so this reader does too), so that it finds the size the decoder would use.
/// Formats not recognised here are bounded by OpenCV's own limit (<see cref="OpenCvLimits"/>).
/// </remarks>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
    private static ReadOnlySpan<byte> Jp2Signature => new byte[] { 0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A };

    /// <summary>True when the bytes start with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(PngSignature);

    /// <summary>Returns the size, or null when the format is not recognised or its header cannot be read.</summary>
    public static ImageSize? TryReadSize(ReadOnlySpan<byte> d) => Read(d).Size;

    /// <summary>Recognises the format by its signature and reads the size from its header.</summary>
    public static ImageHeaderResult Read(ReadOnlySpan<byte> d)
    {
        string? format = Recognise(d);
        if (format is null) return new ImageHeaderResult(ImageHeaderStatus.UnknownFormat, null, null);
        (long, long)? size;
        try
        {
            size = format switch
            {
                "PNG" => Png(d),
                "JPEG" => Jpeg(d),
                "GIF" => d.Length >= 10 ? (BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), BinaryPrimitives.ReadUInt16LittleEndian(d[8..])) : null,
                "BMP" => Bmp(d),
                "PNM" => Pnm(d),
                "PAM" => Pam(d),
                "WebP" => WebP(d),
                "TIFF" => Tiff(d, d[0] == 'I'),
                "Sun raster" => d.Length >= 12 ? (BinaryPrimitives.ReadUInt32BigEndian(d[4..]), BinaryPrimitives.ReadUInt32BigEndian(d[8..])) : null,
                "Radiance HDR" => Hdr(d),
                "JPEG 2000" => Jpeg2000(d),
                _ => null,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            size = null; // the header runs past the end of the data
        }
        return size is var (w, h)
            ? new ImageHeaderResult(ImageHeaderStatus.Read, format, new ImageSize(w, h))
            : new ImageHeaderResult(ImageHeaderStatus.Unreadable, format, null);
    }

    /// <summary>The format named by the file's signature, or null.</summary>
    private static string? Recognise(ReadOnlySpan<byte> d)
    {
        if (IsPng(d)) return "PNG";
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "JPEG";
        if (d.StartsWith("GIF8"u8)) return "GIF";
        if (d.StartsWith("BM"u8)) return "BMP";
        if (d.Length >= 2 && d[0] == 'P' && d[1] is (byte)'1' or (byte)'2' or (byte)'3' or (byte)'4' or (byte)'5' or (byte)'6' or (byte)'F' or (byte)'f') return "PNM";
        if (d.StartsWith("P7"u8)) return "PAM";
        if (d.Length >= 12 && d.StartsWith("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8)) return "WebP";
        if (d.StartsWith("II*\0"u8) || d.StartsWith("MM\0*"u8)) return "TIFF";
        if (d.StartsWith(new byte[] { 0x59, 0xA6, 0x6A, 0x95 })) return "Sun raster";
        if (d.StartsWith("#?"u8)) return "Radiance HDR";
        if (d.StartsWith(Jp2Signature) || d.StartsWith(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 })) return "JPEG 2000";
        return null;
    }

    private static (long, long)? Png(ReadOnlySpan<byte> d)
    {
        // The first chunk must be IHDR (libpng refuses anything else): length 13, then width and height.
        if (d.Length < 24 || !d[12..16].SequenceEqual("IHDR"u8)) return null;
        return (BinaryPrimitives.ReadUInt32BigEndian(d[16..]), BinaryPrimitives.ReadUInt32BigEndian(d[20..]));
    }

    private static (long, long)? Jpeg(ReadOnlySpan<byte> d)
    {
        // Walks the marker segments as libjpeg does: bytes other than 0xFF before a marker are skipped
        // (libjpeg warns and goes on), fill bytes 0xFF are skipped, and the first start-of-frame gives
        // the size. Stopping at a stray byte would let the decoder find a size this reader never saw.
        int i = 2;
        while (i < d.Length)
        {
            if (d[i] != 0xFF) { i++; continue; }
            while (i < d.Length && d[i] == 0xFF) i++;
            if (i >= d.Length) return null;
            byte marker = d[i++];
            if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue; // no length
            if (marker == 0xD9 || marker == 0xDA) return null; // end of image or scan data before any frame header
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[i..]);
            bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof)
                return (BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 3)..]));
            if (len < 2) return null;
            i += len;
        }
        return null;
    }

    private static (long, long)? Bmp(ReadOnlySpan<byte> d)
    {
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
        if (headerSize == 12)
            return (BinaryPrimitives.ReadUInt16LittleEndian(d[18..]), BinaryPrimitives.ReadUInt16LittleEndian(d[20..]));
        return (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..])));
    }

    private static (long, long)? Pnm(ReadOnlySpan<byte> d)
    {
        // "P5 <ws> width <ws> height ...", with '#' comments to the end of a line allowed between tokens
        // (PFM, "PF"/"Pf", has the same first two numbers).
        int i = 2;
        var numbers = new long[2];
        for (int n = 0; n < 2; n++)
        {
            while (i < d.Length)
            {
                if (d[i] == '#') { while (i < d.Length && d[i] != '\n' && d[i] != '\r') i++; }
                else if (IsSpace(d[i])) i++;
                else break;
            }
            if (!Number(d, ref i, out numbers[n])) return null;
        }
        return (numbers[0], numbers[1]);
    }

    private static (long, long)? Pam(ReadOnlySpan<byte> d)
    {
        // "P7\nWIDTH w\nHEIGHT h\nDEPTH ...\nENDHDR\n": the WIDTH and HEIGHT lines, in any order.
        long? width = null, height = null;
        int end = Math.Min(d.Length, 4096);
        foreach (var raw in Encoding.ASCII.GetString(d[..end]).Split('\n'))
        {
            var line = raw.Trim();
            if (line == "ENDHDR") break;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            if (parts[0] == "WIDTH" && long.TryParse(parts[1], out long w)) width = w;
            if (parts[0] == "HEIGHT" && long.TryParse(parts[1], out long h)) height = h;
        }
        return width is long ww && height is long hh ? (ww, hh) : null;
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> d)
    {
        var chunk = d[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        if (chunk.SequenceEqual("VP8L"u8))
        {
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
            return ((d[24] | d[25] << 8 | d[26] << 16) + 1L, (d[27] | d[28] << 8 | d[29] << 16) + 1L);
        return null;
    }

    private static (long, long)? Tiff(ReadOnlySpan<byte> d, bool little)
    {
        long ifd = U32(d, 4, little);
        if (ifd + 2 > d.Length) return null;
        int count = U16(d, (int)ifd, little);
        long? width = null, height = null;
        for (int k = 0; k < count; k++)
        {
            long e = ifd + 2 + 12L * k;
            if (e + 12 > d.Length) return null;
            ushort tag = U16(d, (int)e, little), type = U16(d, (int)e + 2, little);
            long value = type == 3 ? U16(d, (int)e + 8, little) : U32(d, (int)e + 8, little);
            if (tag == 256) width = value;
            else if (tag == 257) height = value;
        }
        return width is long w && height is long h ? (w, h) : null;
    }

    private static (long, long)? Hdr(ReadOnlySpan<byte> d)
    {
        // Header lines up to an empty line, then the resolution line: "-Y h +X w" (or another axis order).
        int end = Math.Min(d.Length, 8192);
        var lines = Encoding.ASCII.GetString(d[..end]).Split('\n');
        for (int k = 1; k + 1 < lines.Length; k++)
        {
            if (lines[k].Trim().Length != 0) continue;
            var p = lines[k + 1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (p.Length != 4 || !long.TryParse(p[1], out long first) || !long.TryParse(p[3], out long second)) return null;
            // The axis written first is the slow one: "-Y h +X w" is h rows of w pixels.
            return p[0].EndsWith('Y') ? (second, first) : (first, second);
        }
        return null;
    }

    private static (long, long)? Jpeg2000(ReadOnlySpan<byte> d)
    {
        // A raw codestream starts with SOC then SIZ; a JP2 file holds one in a box, after an 'ihdr' box
        // that states the same size. The codestream's SIZ is what the decoder allocates for.
        int siz = d.IndexOf(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 });
        if (siz < 0) return null;
        int p = siz + 4 + 2 + 2; // markers, Lsiz, Rsiz
        long xsiz = BinaryPrimitives.ReadUInt32BigEndian(d[p..]), ysiz = BinaryPrimitives.ReadUInt32BigEndian(d[(p + 4)..]);
        long xo = BinaryPrimitives.ReadUInt32BigEndian(d[(p + 8)..]), yo = BinaryPrimitives.ReadUInt32BigEndian(d[(p + 12)..]);
        return (Math.Max(xsiz - xo, 0), Math.Max(ysiz - yo, 0));
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';

    private static bool Number(ReadOnlySpan<byte> d, ref int i, out long value)
    {
        int start = i;
        value = 0;
        while (i < d.Length && d[i] >= '0' && d[i] <= '9' && i - start < 12) value = value * 10 + (d[i++] - '0');
        return i > start;
    }

    private static uint U32(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[at..]);

    private static ushort U16(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[at..]);
}
