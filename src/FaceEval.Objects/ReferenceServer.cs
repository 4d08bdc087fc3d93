namespace FaceEval;

/// <summary>
/// A reference server this session started (Start-FaceEvalServer's output): where it listens, what it
/// serves, and whether it still runs. Disposing it stops the server.
/// </summary>
public abstract class ReferenceServer : IDisposable
{
    protected ReferenceServer(string url, IReadOnlyList<string> models, int processId, string detection)
    {
        Url = url;
        Models = models;
        ProcessId = processId;
        Detection = detection;
    }

    /// <summary>The endpoint URL, e.g. http://127.0.0.1:41234/extract.</summary>
    public string Url { get; }

    /// <summary>The models it serves, as given (NAME=SPEC).</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The secondary detection on every upload, as the vendor runs it: the YuNet model's file name, or "off".</summary>
    public string Detection { get; }

    /// <summary>The server's process.</summary>
    public int ProcessId { get; }

    /// <summary>True once the server has stopped, by itself or by <see cref="Dispose()"/>.</summary>
    public abstract bool HasExited { get; }

    /// <summary>The last lines the server printed (its log), newest last.</summary>
    public abstract IReadOnlyList<string> RecentOutput { get; }

    /// <summary>Stops the server and waits for it to exit.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the server.</summary>
    protected abstract void Dispose(bool disposing);

    public override string ToString() => Url;
}
