namespace FaceEval.Core.Evaluation;

/// <summary>One pair of the failure gallery: its two items (in input order), its score, and the other models' scores on the same two images.</summary>
/// <param name="A">The earlier item of the pair in the model's input.</param>
/// <param name="B">The later one.</param>
/// <param name="Score">The dot product of their vectors as returned (cosine similarity for unit vectors).</param>
/// <param name="Genuine">True for two images of one identity.</param>
/// <param name="Others">Per other model, in ordinal order: its score on the same two images (matched by identity and file stem), or null when it lacks one of them or found no face in it.</param>
public sealed record GalleryPair(EvaluationItem A, EvaluationItem B, double Score, bool Genuine, IReadOnlyList<(string Model, double? Score, double Threshold)> Others);
