namespace FaceEval.Core.Metrics;

/// <summary>The scores of every pair of a set of embeddings, split by whether the two share an identity.</summary>
/// <param name="Genuine">Scores of same-identity pairs (pairs with a failure to enrol are not here).</param>
/// <param name="Impostor">Scores of different-identity pairs (likewise).</param>
/// <param name="GenuineFailures">Same-identity pairs involving an item without an embedding.</param>
/// <param name="ImpostorFailures">Different-identity pairs involving an item without an embedding.</param>
public sealed record PairScores(float[] Genuine, float[] Impostor, long GenuineFailures, long ImpostorFailures);
