using OpenCvSharp;

namespace FaceEval.Server.Embedding;

/// <summary>Turns an aligned face into a feature vector. Implementations are safe to call concurrently.</summary>
public interface IFaceEmbedder : IDisposable
{
    /// <summary>Where landmarks go in the input image the embedder expects.</summary>
    AlignmentTemplate Template { get; }

    /// <summary>A short description for logs and listings (never a file path of a client).</summary>
    string Description { get; }

    /// <summary>The raw (not normalised) embedding of an aligned BGR face of the template's size.</summary>
    float[] Embed(Mat alignedBgr);
}
