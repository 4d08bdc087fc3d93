using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Floats as order-preserving unsigned keys: a &lt; b exactly when Key(a) &lt; Key(b), for finite floats,
/// with -0 mapped to the key of +0 (they compare equal, so they are one score). The top
/// <see cref="BucketBits"/> bits of a key are its bucket (sign, exponent and the top 11 bits of the
/// mantissa: 2,048 buckets per octave), the low <see cref="SubBits"/> bits its place in the bucket, so a
/// bucket's 4,096 places are 4,096 consecutive floats.
/// </summary>
internal static class ScoreKey
{
    public const int BucketBits = 20;
    public const int SubBits = 32 - BucketBits;
    public const int Buckets = 1 << BucketBits;
    public const int SubBuckets = 1 << SubBits;
    public const uint SubMask = SubBuckets - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Of(float score)
    {
        // Without a branch (the sign of a score is a coin toss, and a mispredicted branch per score cost more
        // than the rest of the key): adding +0 turns -0 into +0; then a negative float's bits are all flipped
        // and a positive float's sign bit is set.
        uint bits = BitConverter.SingleToUInt32Bits(score + 0f);
        return bits ^ (uint)(((int)bits >> 31) | int.MinValue);
    }

    /// <summary>The float of a key.</summary>
    public static float Value(uint key) =>
        BitConverter.UInt32BitsToSingle((key & 0x8000_0000u) != 0 ? key & 0x7FFF_FFFFu : ~key);

    public static int Bucket(uint key) => (int)(key >> SubBits);

    /// <summary>The lowest float of a bucket (its first key).</summary>
    public static float Lowest(int bucket) => Value((uint)bucket << SubBits);

    /// <summary>Whether a bucket holds NaN or infinite values (the exponent is all ones).</summary>
    public static bool IsNonFinite(int bucket) => !float.IsFinite(Lowest(bucket));
}
