namespace FaceEval;

/// <summary>One hour of a long embedding run (Measure-FaceEmbeddingRun's EmbeddingRunAccount.Hours).</summary>
public sealed class EmbeddingRunHour
{
    public required string Model { get; init; }
    /// <summary>The hour's start (UTC).</summary>
    public DateTimeOffset Hour { get; init; }
    public int Items { get; init; }
    public int Ok { get; init; }
    public int NoFace { get; init; }
    public int Failed { get; init; }
    public long Requests { get; init; }
    public long Throttled { get; init; }
    /// <summary>Nearest-rank median and 95th percentile of the hour's successful latencies, in ms.</summary>
    public double LatencyP50Ms { get; init; } = double.NaN;
    public double LatencyP95Ms { get; init; } = double.NaN;
}
