using System.Numerics.Tensors;

namespace FaceEval.Core.Metrics;

/// <summary>
/// What makes a vector unusable as an embedding. An empty vector is not among them: it is a failure to enrol
/// (the service found no face), which every analysis counts as such. Every reader and every analysis asks
/// here, so a NaN never turns into a NaN score.
/// </summary>
public static class EmbeddingVector
{
    /// <summary>
    /// Why <paramref name="vector"/> cannot be scored: a value that is NaN or infinite, or values so large
    /// that its norm (and so its dot products) overflow single precision; null when it can be.
    /// </summary>
    public static string? Problem(ReadOnlySpan<float> vector)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            if (float.IsNaN(vector[i])) return $"the value at index {i} is NaN";
            if (float.IsInfinity(vector[i])) return $"the value at index {i} is infinite";
        }
        // With both norms finite, |a·b| <= |a||b| stays finite too: no score can overflow.
        if (vector.Length > 0 && !float.IsFinite(TensorPrimitives.Norm(vector)))
            return "its norm overflows single precision (values near 1e19 or larger)";
        return null;
    }
}
