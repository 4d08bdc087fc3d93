namespace FaceEval.Server;

/// <summary>What a request path names (decided by <see cref="EndpointPath"/>).</summary>
public enum ServerEndpoint
{
    /// <summary>No endpoint: 404.</summary>
    None,
    /// <summary>The feature extraction: the embedder, behind the rate limit and the faults.</summary>
    Extract,
    /// <summary>Test mode's list of the forms received.</summary>
    RecordedRequests,
}
