using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using OpenCvSharp;

namespace FaceEval.Core.Service;

/// <summary>The result for one item: an embedding or an error.</summary>
public sealed record EmbeddingOutcome(EmbeddingItem Item, FaceEmbedding? Embedding, FaceEvalException? Error, bool Reencoded);
