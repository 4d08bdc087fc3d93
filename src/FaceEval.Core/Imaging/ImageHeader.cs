using System.Buffers.Binary;

namespace FaceEval.Core.Imaging;

/// <summary>
/// Reads an image's pixel size from its header without decoding it, so that a decompression bomb is
/// refused before any pixel memory is allocated. Covers the formats evaluators meet (PNG, JPEG, GIF,
/// BMP, PNM, WebP, TIFF). Kept here rather than pulled in from an imaging library: it is small, and
/// loading another library into every PowerShell session for it would slow Import-Module.
/// </summary>
public static class ImageHeader
{
    private static ReadOnlySpan<byte> PngSignature => new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>True when the bytes start with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(PngSignature);

    /// <summary>Returns the size, or null when the format is not one of these or the header is cut short.</summary>
    public static ImageSize? TryReadSize(ReadOnlySpan<byte> d)
    {
        try
        {
            if (d.Length >= 24 && IsPng(d))
                return (BinaryPrimitives.ReadUInt32BigEndian(d[16..]), BinaryPrimitives.ReadUInt32BigEndian(d[20..]));
            if (d.Length >= 4 && d[0] == 0xFF && d[1] == 0xD8)
                return Jpeg(d);
            if (d.Length >= 10 && d[0] == 'G' && d[1] == 'I' && d[2] == 'F')
                return (BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), BinaryPrimitives.ReadUInt16LittleEndian(d[8..]));
            if (d.Length >= 26 && d[0] == 'B' && d[1] == 'M')
            {
                uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(d[14..]);
                if (headerSize == 12)
                    return (BinaryPrimitives.ReadUInt16LittleEndian(d[18..]), BinaryPrimitives.ReadUInt16LittleEndian(d[20..]));
                return (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..])));
            }
            if (d.Length >= 3 && d[0] == 'P' && d[1] >= '1' && d[1] <= '6')
                return Pnm(d);
            if (d.Length >= 30 && d[..4].SequenceEqual("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8))
                return WebP(d);
            if (d.Length >= 8 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42)))
                return Tiff(d, d[0] == 'I');
        }
        catch (ArgumentOutOfRangeException)
        {
            // Header cut short: let the decoder say what is wrong.
        }
        return null;
    }

    private static (long, long)? Jpeg(ReadOnlySpan<byte> d)
    {
        int i = 2;
        while (i + 9 < d.Length)
        {
            if (d[i] != 0xFF) return null;
            byte marker = d[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
            int len = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof)
                return (BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            if (len < 2) return null;
            i += 2 + len;
        }
        return null;
    }

    private static (long, long)? Pnm(ReadOnlySpan<byte> d)
    {
        // "P5 <ws> width <ws> height ...", with '#' comments to the end of a line allowed between tokens.
        int i = 2;
        var numbers = new long[2];
        for (int n = 0; n < 2; n++)
        {
            while (i < d.Length)
            {
                if (d[i] == '#') { while (i < d.Length && d[i] != '\n' && d[i] != '\r') i++; }
                else if (d[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v') i++;
                else break;
            }
            int start = i;
            long value = 0;
            while (i < d.Length && d[i] >= '0' && d[i] <= '9' && i - start < 12) value = value * 10 + (d[i++] - '0');
            if (i == start) return null;
            numbers[n] = value;
        }
        return (numbers[0], numbers[1]);
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
            int e = (int)ifd + 2 + 12 * k;
            if (e + 12 > d.Length) return null;
            ushort tag = U16(d, e, little), type = U16(d, e + 2, little);
            long value = type == 3 ? U16(d, e + 8, little) : U32(d, e + 8, little);
            if (tag == 256) width = value;
            else if (tag == 257) height = value;
        }
        return width is long w && height is long h ? (w, h) : null;
    }

    private static uint U32(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[at..]);

    private static ushort U16(ReadOnlySpan<byte> d, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d[at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[at..]);
}
