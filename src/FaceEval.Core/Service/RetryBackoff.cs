namespace FaceEval.Core.Service;

/// <summary>
/// The wait before a failed request is tried again (not for 429 answers, which wait what the server asks).
/// </summary>
/// <remarks>
/// <para>delay = min(MaxDelay, BaseDelay · 2^(n − 1) · jitter), with n = min(the item's own failures, the run's
/// current streak of failed answers), at least 1, and jitter drawn uniformly from [0.5, 1.5).</para>
/// <para>The exponent follows the item's own failures (429s excluded) so that a server failing everything is
/// backed off from exponentially; it is capped by the run's streak (answers in a row, across all items, that
/// were 5xx, 408, a lost connection or a timed-out attempt; any other answer resets it) so that one item that
/// is merely unlucky among succeeding requests is retried within about a second instead of holding up the
/// ordered output for tens of seconds.</para>
/// <para>Defaults as in <see cref="EmbeddingClientOptions"/>: base 0.5 s, ceiling 60 s.</para>
/// </remarks>
public static class RetryBackoff
{
    /// <summary>The smallest and largest jitter factor.</summary>
    public const double MinJitter = 0.5, MaxJitter = 1.5;

    /// <summary>The delay before the next attempt.</summary>
    /// <param name="baseDelay">The first delay, before jitter.</param>
    /// <param name="maxDelay">The ceiling, after jitter.</param>
    /// <param name="itemFailures">Failed answers this item has had, the one just received included (429s excluded).</param>
    /// <param name="runFailureStreak">Failed answers in a row over the whole run, the one just received included.</param>
    /// <param name="unitRandom">A uniform draw from [0, 1); it becomes the jitter factor 0.5 + draw.</param>
    public static TimeSpan Delay(TimeSpan baseDelay, TimeSpan maxDelay, int itemFailures, int runFailureStreak, double unitRandom)
    {
        int n = Exponent(itemFailures, runFailureStreak);
        double seconds = baseDelay.TotalSeconds * Math.Pow(2, Math.Min(n - 1, 30)) * (MinJitter + unitRandom);
        return TimeSpan.FromSeconds(Math.Min(seconds, maxDelay.TotalSeconds));
    }

    /// <summary>n in the formula: the item's failures capped by the run's streak, at least 1.</summary>
    public static int Exponent(int itemFailures, int runFailureStreak) => Math.Max(1, Math.Min(itemFailures, runFailureStreak));
}
