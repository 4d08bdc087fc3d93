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
    /// <exception cref="FaceEvalException">The path is missing, empty, a device, pipe or socket, or over 1 GiB (see <see cref="RegularFile"/>).</exception>
    public static float[][] Read(string path) => Decode(RegularFile.ReadAllBytes(path, ".npy file"), path);

    /// <summary>
    /// True when the file exists and is a complete, readable .npy of one usable vector (of
    /// <paramref name="dimension"/>, when given): finite values, at least one.
    /// </summary>
    public static bool IsValidVector(string path, int? dimension = null)
    {
        try
        {
            var rows = Read(path);
            return rows.Length == 1 && rows[0].Length > 0 && (dimension is null || rows[0].Length == dimension) && Metrics.EmbeddingVector.Problem(rows[0]) is null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or FaceEvalException)
        {
            return false;
        }
    }

    /// <summary>
    /// Parses the bytes of a .npy file. Every malformed input (bad magic or version, a header length or shape
    /// that runs past the file, overflows or is not a number, an unsupported data type, too little or too much
    /// data) is an <see cref="InvalidDataException"/> that says what is wrong, and nothing is allocated for the
    /// data before the header's sizes are checked against the bytes actually there.
    /// </summary>
    /// <returns>
    /// One row for shape (D,), N rows for shape (N, D); shape (0,) gives one empty row and (0, D) none.
    /// </returns>
    /// <exception cref="InvalidDataException">Not a .npy file this reader understands; the message says why.</exception>
    public static float[][] Decode(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            return DecodeChecked(bytes, source);
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException or IndexOutOfRangeException)
        {
            // A safety net: every check below should have caught the input first. Whatever slipped through is
            // still a file this reader cannot read, never a crash of the caller's loop.
            throw Bad(source, $"its header cannot be parsed ({e.Message.TrimEnd('.')})");
        }
    }

    private static float[][] DecodeChecked(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length == 0) throw Bad(source, "the file is empty");
        if (bytes.Length < s_magic.Length || !bytes[..s_magic.Length].SequenceEqual(s_magic)) throw Bad(source, "it does not start with the NumPy magic string");
        if (bytes.Length < 10) throw Bad(source, $"the file ends after {bytes.Length} bytes, inside the fixed part of the header");
        int major = bytes[6], minor = bytes[7];
        if (major is < 1 or > 3 || minor != 0) throw Bad(source, $"format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)");
        long headerLength;
        int offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
            offset = 10;
        }
        else
        {
            if (bytes.Length < 12) throw Bad(source, $"the file ends after {bytes.Length} bytes, inside the fixed part of the header");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            offset = 12;
        }
        // Bound by what is there before reading anything: a header length of 0xFFFFFFFF in a 200-byte file.
        if (headerLength > bytes.Length - offset)
            throw Bad(source, $"the header says it is {headerLength:N0} bytes long but only {bytes.Length - offset:N0} bytes follow (truncated or not a .npy file)");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(offset, (int)headerLength)).Trim();
        if (!header.StartsWith('{') || !header.EndsWith('}'))
            throw Bad(source, "the header is not a dictionary of descr, fortran_order and shape");

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success) throw Bad(source, "the header has no 'descr' (data type) of the form '<f4'");
        if (!fortran.Success) throw Bad(source, "the header has no 'fortran_order' of True or False");
        if (!shape.Success) throw Bad(source, "the header has no 'shape' tuple");
        int itemSize = descr.Groups[1].Value switch
        {
            "<f4" => 4,
            "<f8" => 8,
            var d => throw Bad(source, $"the data type '{d}' is not supported ('<f4' and '<f8' are)"),
        };
        string shapeText = shape.Groups[1].Value;
        var parts = shapeText.Split(',', StringSplitOptions.TrimEntries);
        // "(3,)" splits into "3" and "": a trailing comma is allowed, an empty entry anywhere else is not.
        if (parts.Length > 1 && parts[^1].Length == 0) parts = parts[..^1];
        if (parts.Length is < 1 or > 2 || parts.Any(p => p.Length == 0))
            throw Bad(source, $"the shape ({shapeText}) is not (D,) for one vector or (N, D) for N vectors");
        var dims = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            // Python 2's NumPy wrote long integers with an L: (128L,).
            string d = parts[i].EndsWith('L') ? parts[i][..^1] : parts[i];
            if (d.Length == 0 || !d.All(char.IsAsciiDigit))
                throw Bad(source, $"the shape ({shapeText}) has '{parts[i]}', which is not a whole number of 0 or more");
            if (!long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] > Array.MaxLength)
                throw Bad(source, $"the shape ({shapeText}) has a dimension of {d}, too large for any file");
        }
        (long rows, long cols) = dims.Length == 1 ? (1L, dims[0]) : (dims[0], dims[1]);
        if (dims.Length == 1 && cols == 0) return new[] { Array.Empty<float>() };
        if (rows > 0 && cols == 0)
            throw Bad(source, $"the shape ({shapeText}) gives {rows:N0} vectors of no numbers");

        long available = bytes.Length - offset - headerLength;
        // Checked in 128 bits: the product of two dimensions of up to 2^31 and the item size cannot overflow.
        Int128 declared = (Int128)rows * cols * itemSize;
        if (declared != available)
            throw Bad(source, declared > available
                ? $"the shape ({shapeText}) needs {declared:N0} data bytes but the file has {available:N0} (truncated?)"
                : $"the shape ({shapeText}) needs {declared:N0} data bytes but the file has {available:N0} (more data than the header describes)");
        var data = bytes[(int)(offset + headerLength)..];
        bool fortranOrder = fortran.Groups[1].Value == "True" && dims.Length == 2;
        // rows * cols * itemSize equals the bytes present, so these arrays are bounded by the file's length.
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
