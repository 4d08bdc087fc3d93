using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FaceEval.Core.IO;

/// <summary>
/// NumPy .npy files: writes format 1.0, little-endian float32 ('&lt;f4'), shape (D,), the way
/// numpy.save does; reads formats 1.0 to 3.0 with '&lt;f4' or '&lt;f8' data of shape (D,) or (N, D).
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] s_magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>The bytes of a format 1.0 file holding one float32 vector.</summary>
    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({vector.Length.ToString(CultureInfo.InvariantCulture)},), }}";
        // magic (6) + version (2) + header length (2) + header, padded with spaces so that the data
        // starts on a multiple of 64 bytes, ending in a newline.
        int unpadded = 10 + dict.Length + 1;
        int total = (unpadded + 63) / 64 * 64;
        string header = dict + new string(' ', total - unpadded) + "\n";
        var bytes = new byte[total + 4 * vector.Length];
        s_magic.CopyTo(bytes, 0);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var data = bytes.AsSpan(total);
        for (int i = 0; i < vector.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(data[(4 * i)..], vector[i]);
        return bytes;
    }

    /// <summary>Writes a vector atomically (temporary file, then rename): a killed run never leaves half a file.</summary>
    public static void Write(string path, ReadOnlySpan<float> vector, bool overwrite = true) =>
        AtomicFile.WriteAllBytes(path, Encode(vector), overwrite);

    /// <summary>Reads every row: one for shape (D,), N for shape (N, D).</summary>
    /// <exception cref="InvalidDataException">Not a .npy file this reader understands; the message says why.</exception>
    public static float[][] Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>True when the file exists and is a complete, readable .npy of one vector (of <paramref name="dimension"/>, when given).</summary>
    public static bool IsValidVector(string path, int? dimension = null)
    {
        try
        {
            var rows = Read(path);
            return rows.Length == 1 && rows[0].Length > 0 && (dimension is null || rows[0].Length == dimension);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static float[][] Decode(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(s_magic)) throw Bad(source, "it does not start with the NumPy magic string");
        int major = bytes[6];
        int headerLength, offset;
        switch (major)
        {
            case 1: headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); offset = 10; break;
            case 2:
            case 3:
                if (bytes.Length < 12) throw Bad(source, "the header is cut short");
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])); offset = 12; break;
            default: throw Bad(source, $"format version {major}.{bytes[7]} is not supported (1.0 to 3.0 are)");
        }
        if (bytes.Length < offset + headerLength) throw Bad(source, "the header is cut short");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(offset, headerLength));

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success) throw Bad(source, "the header has no descr, fortran_order or shape");
        int itemSize = descr.Groups[1].Value switch
        {
            "<f4" => 4,
            "<f8" => 8,
            var d => throw Bad(source, $"the data type '{d}' is not supported ('<f4' and '<f8' are)"),
        };
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        (long rows, long cols) = dims.Length switch
        {
            1 => (1L, dims[0]),
            2 => (dims[0], dims[1]),
            _ => throw Bad(source, $"the shape ({shape.Groups[1].Value}) is not (D,) or (N, D)"),
        };
        var data = bytes[(offset + headerLength)..];
        if (rows * cols * itemSize != data.Length)
            throw Bad(source, $"the shape says {rows * cols * itemSize} data bytes but the file has {data.Length} (truncated?)");
        bool fortranOrder = fortran.Groups[1].Value == "True" && dims.Length == 2;
        var result = new float[rows][];
        for (long r = 0; r < rows; r++)
        {
            var row = result[r] = new float[cols];
            for (long c = 0; c < cols; c++)
            {
                long index = fortranOrder ? c * rows + r : r * cols + c;
                row[c] = itemSize == 4
                    ? BinaryPrimitives.ReadSingleLittleEndian(data[(int)(index * 4)..])
                    : (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(int)(index * 8)..]);
            }
        }
        return result;
    }

    private static InvalidDataException Bad(string source, string why) => new($"'{source}' is not a .npy file FaceEval can read: {why}.");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
