namespace FaceEval.Server;

/// <summary>
/// The one decision of which of the server's endpoints a request path names. The rate limiter, the fault
/// injection and the dispatch to the embedder all ask <see cref="Of"/>, so no spelling of a path can reach
/// the embedder by a way the limits do not see.
/// </summary>
/// <remarks>
/// Spellings that name the same endpoint: any letter case, repeated or trailing slashes, "." and ".."
/// segments, and an encoded slash (%2F, which Kestrel leaves encoded; it decodes every other %XX before the
/// application sees the path). Anything else, such as "/extract." or "/extract;x", is another path.
/// </remarks>
public sealed class EndpointPath
{
    public const string RecordedRequestsPath = "/__faceeval/requests";
    private static readonly object s_key = new();
    private readonly string _extract;
    private readonly string? _recorded;

    public EndpointPath(string extractPath, bool recordRequests)
    {
        _extract = Canonical(extractPath);
        _recorded = recordRequests ? Canonical(RecordedRequestsPath) : null;
    }

    /// <summary>The canonical form of a path: decoded %2F, no empty, "." or ".." segments, no trailing slash, lower case.</summary>
    public static string Canonical(string? path)
    {
        string decoded = (path ?? "").Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var segments = new List<string>();
        foreach (string segment in decoded.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return "/" + string.Join('/', segments).ToLowerInvariant();
    }

    /// <summary>The endpoint the request's path names, decided once per request and kept with it.</summary>
    public ServerEndpoint Of(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(s_key, out var known) && known is ServerEndpoint decided) return decided;
        string canonical = Canonical(ctx.Request.Path.Value);
        var endpoint = canonical == _extract ? ServerEndpoint.Extract
            : canonical == _recorded ? ServerEndpoint.RecordedRequests
            : ServerEndpoint.None;
        ctx.Items[s_key] = endpoint;
        return endpoint;
    }
}
