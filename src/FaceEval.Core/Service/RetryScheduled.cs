namespace FaceEval.Core.Service;

/// <summary>A retry the client has decided on, reported before it waits (see <see cref="EmbeddingClient.Retrying"/>).</summary>
/// <param name="FileName">The image's file name as sent.</param>
/// <param name="Attempt">The attempt that failed (1 for the first request).</param>
/// <param name="Status">The HTTP status of the failed attempt, or null when there was no answer (connection lost, attempt timed out).</param>
/// <param name="Delay">How long the request waits before the next attempt.</param>
/// <param name="ItemFailures">The item's failed answers so far, 429s excluded.</param>
/// <param name="RunFailureStreak">Failed answers in a row over the whole run when the delay was chosen.</param>
/// <param name="RetryAfter">What the server's Retry-After asked for (seconds, or an HTTP date less the current time); null without one.</param>
/// <param name="DelayCapped">True when the Retry-After was longer than <see cref="EmbeddingClientOptions.MaxRetryAfter"/> and <paramref name="Delay"/> is that bound instead.</param>
public sealed record RetryScheduled(string FileName, int Attempt, int? Status, TimeSpan Delay, int ItemFailures, int RunFailureStreak, TimeSpan? RetryAfter = null, bool DelayCapped = false);
