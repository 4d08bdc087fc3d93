namespace FaceEval.Core.Privacy;

/// <summary>One file a FaceEval record names, and what <see cref="DataRemoval"/> does with it.</summary>
/// <param name="Path">Absolute path.</param>
/// <param name="Kind">Crop, Embedding, Report or Figure.</param>
/// <param name="Action">Delete it, keep it, or leave it and why.</param>
public sealed record RemovalCandidate(string Path, string Kind, RemovalAction Action);
