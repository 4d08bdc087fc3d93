namespace FaceEval.Core.Service;

/// <summary>One successful reply.</summary>
/// <param name="Feature">The vector as returned.</param>
/// <param name="Attempts">Requests sent for this image, the successful one included.</param>
/// <param name="Throttled">How many of them were answered 429.</param>
/// <param name="Elapsed">From the first attempt to the answer.</param>
public sealed record EmbeddingReply(float[] Feature, int Attempts, int Throttled, TimeSpan Elapsed);
