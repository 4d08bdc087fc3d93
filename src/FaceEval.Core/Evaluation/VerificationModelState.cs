using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>One model's counts in a <see cref="VerificationState"/>.</summary>
/// <param name="Model">The model.</param>
/// <param name="Fingerprint">A hash of the embeddings the pairs were made of (count, order, identities, failures to enrol, every value): blocks of one run carry the same.</param>
/// <param name="Dimension">The embeddings' dimension.</param>
/// <param name="FailureToEnrol">Items without an embedding.</param>
/// <param name="Counts">The counts of the block.</param>
public sealed record VerificationModelState(string Model, string Fingerprint, int Dimension, int FailureToEnrol, PairCounts Counts);
