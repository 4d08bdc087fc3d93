namespace FaceEval.Core.Evaluation;

/// <summary>One model's failure gallery: its threshold, the lowest-scoring genuine and highest-scoring impostor pairs, and the images it found no face in.</summary>
/// <param name="Model">The model.</param>
/// <param name="TargetFar">The target whose strict threshold is used (the first estimable one); NaN when none is, and the EER threshold is used.</param>
/// <param name="Threshold">A pair is accepted when its score is at least this.</param>
/// <param name="Genuine">The K lowest-scoring genuine pairs, lowest first.</param>
/// <param name="Impostor">The K highest-scoring impostor pairs, highest first.</param>
/// <param name="NoFace">The items the service found no face in (failures to enrol), in input order.</param>
public sealed record ModelGallery(string Model, double TargetFar, double Threshold, IReadOnlyList<GalleryPair> Genuine, IReadOnlyList<GalleryPair> Impostor, IReadOnlyList<EvaluationItem> NoFace);
