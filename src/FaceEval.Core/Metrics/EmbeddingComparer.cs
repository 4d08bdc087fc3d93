using System.Numerics.Tensors;

namespace FaceEval.Core.Metrics;

/// <summary>Compares a probe with every reference (dot product, SIMD) and ranks the references.</summary>
public static class EmbeddingComparer
{
    /// <summary>The references' norms that are off 1 by more than this draw a warning: scores are not re-normalised.</summary>
    public const double NormTolerance = 1e-3;

    /// <summary>Every reference compared with <paramref name="probe"/>, most similar first; the first <paramref name="top"/> when given.</summary>
    /// <exception cref="FaceEvalException">DimensionMismatch or ModelMismatch between the probe and a reference.</exception>
    /// <exception cref="FaceEvalException">InvalidEmbedding or NoFaceDetected for a probe that cannot be scored (see <see cref="Validate"/>).</exception>
    public static IReadOnlyList<FaceComparison> Compare(IReadOnlyList<LabelledVector> references, LabelledVector probe, int? top = null)
    {
        Validate(probe);
        var scored = new (double Score, int Index)[references.Count];
        for (int r = 0; r < references.Count; r++)
        {
            var reference = references[r];
            if (reference.Vector.Length != probe.Vector.Length)
                throw new FaceEvalException(FaceEvalError.DimensionMismatch, $"'{probe.Label}' has {probe.Vector.Length} dimensions but the reference '{reference.Label}' has {reference.Vector.Length}: embeddings of different models (or a damaged file) cannot be compared.", probe.Label);
            if (reference.Model is { Length: > 0 } rm && probe.Model is { Length: > 0 } pm && rm != pm)
                throw new FaceEvalException(FaceEvalError.ModelMismatch, $"'{probe.Label}' comes from model '{pm}' but the reference '{reference.Label}' from '{rm}': scores across models mean nothing.", probe.Label);
            scored[r] = (TensorPrimitives.Dot(reference.Vector, probe.Vector), r);
        }
        Array.Sort(scored, (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        int take = top is int k ? Math.Min(k, scored.Length) : scored.Length;
        var result = new FaceComparison[take];
        for (int i = 0; i < take; i++)
        {
            var reference = references[scored[i].Index];
            result[i] = new FaceComparison
            {
                Reference = reference.Label, Difference = probe.Label, Similarity = scored[i].Score,
                Model = probe.Model ?? reference.Model, ReferenceIdentity = reference.Identity, DifferenceIdentity = probe.Identity, Rank = i + 1,
            };
        }
        return result;
    }

    /// <summary>
    /// Refuses a vector that cannot be compared: NoFaceDetected for an empty one (a failure to enrol has no
    /// vector to compare), InvalidEmbedding for one with a NaN or infinite value. Callers check references once
    /// with this; <see cref="Compare"/> checks each probe.
    /// </summary>
    /// <exception cref="FaceEvalException">NoFaceDetected or InvalidEmbedding, naming the vector's label.</exception>
    public static void Validate(LabelledVector v)
    {
        if (v.Vector.Length == 0)
            throw new FaceEvalException(FaceEvalError.NoFaceDetected, $"'{v.Label}' is a failure to enrol (no face was found, so its vector is empty): there is nothing to compare.", v.Label);
        if (EmbeddingVector.Problem(v.Vector) is { } why)
            throw new FaceEvalException(FaceEvalError.InvalidEmbedding, $"'{v.Label}' is not a usable embedding: {why}.", v.Label);
    }

    /// <summary>True when the vector's norm is off 1 by more than <see cref="NormTolerance"/>.</summary>
    public static bool IsOffUnitNorm(ReadOnlySpan<float> v) => Math.Abs(TensorPrimitives.Norm(v) - 1) > NormTolerance;
}
