using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace FaceEval.Core.Metrics;

/// <summary>A SHA-256 of an embedding set as the pair scorers see it: N, D, every identity number, which items are enrolled, and every value, in order.</summary>
public static class SetFingerprint
{
    public static string Of(ReadOnlySpan<float> matrix, int dimension, int[] ids, bool[] ok)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(ids.Length));
        hash.AppendData(BitConverter.GetBytes(dimension));
        hash.AppendData(MemoryMarshal.AsBytes(ids.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(ok.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(matrix));
        return Convert.ToHexString(hash.GetHashAndReset())[..32];
    }
}
