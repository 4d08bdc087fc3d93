namespace FaceEval.Server.Embedding;

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
