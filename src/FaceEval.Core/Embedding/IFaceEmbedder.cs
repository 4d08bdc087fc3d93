using OpenCvSharp;

namespace FaceEval.Core.Embedding;

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

/// <summary>A small thread-safe pool for objects that must not be used by two threads at once (OpenCV nets, detectors).</summary>
public sealed class Pool<T> : IDisposable where T : class, IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentBag<T> _items = new();
    private readonly Func<T> _factory;

    public Pool(Func<T> factory) => _factory = factory;

    public TResult Use<TResult>(Func<T, TResult> action)
    {
        var item = _items.TryTake(out var existing) ? existing : _factory();
        try
        {
            return action(item);
        }
        finally
        {
            _items.Add(item);
        }
    }

    public void Dispose()
    {
        while (_items.TryTake(out var item)) item.Dispose();
    }
}
