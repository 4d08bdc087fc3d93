namespace FaceEval.Core.Metrics;

/// <summary>
/// The raw replicates of the identity bootstrap (the same draws as <see cref="Bootstrap.Intervals"/> for one
/// seed): strict TAR and its threshold at each target, and the EER, per replicate. For interval methods that
/// need more than two quantiles of them (<see cref="BcaInterval"/>, <see cref="PercentileInterval"/>).
/// </summary>
public sealed class BootstrapReplicates
{
    /// <summary><c>Tar[target][replicate]</c>.</summary>
    public required double[][] Tar { get; init; }
    /// <summary><c>Threshold[target][replicate]</c>.</summary>
    public required double[][] Threshold { get; init; }
    /// <summary><c>Eer[replicate]</c>.</summary>
    public required double[] Eer { get; init; }

    /// <summary>
    /// Draws the identities with replacement <paramref name="replicates"/> times (seeded): an identity drawn c
    /// times weighs its genuine pairs c, an impostor pair of identities drawn c and d times weighs c · d.
    /// </summary>
    public static BootstrapReplicates Draw(LabelledPairs pairs, IReadOnlyList<double> targets, int replicates, int seed,
        Action<int>? replicateDone = null, CancellationToken cancellation = default)
    {
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least two replicates.");
        var random = new Random(seed);
        var tar = new double[targets.Count][];
        var threshold = new double[targets.Count][];
        for (int k = 0; k < tar.Length; k++) { tar[k] = new double[replicates]; threshold[k] = new double[replicates]; }
        var eer = new double[replicates];
        var counts = new double[pairs.Identities];
        var points = new WeightedPoints(targets.Count);
        for (int r = 0; r < replicates; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            Array.Clear(counts);
            for (int d = 0; d < pairs.Identities; d++) counts[random.Next(pairs.Identities)]++;
            var (genuineTotal, impostorTotal) = WeightedSweep.Totals(pairs.A, pairs.B, counts);
            WeightedSweep.Measure(pairs, counts, genuineTotal, impostorTotal, targets, points);
            for (int k = 0; k < tar.Length; k++) { tar[k][r] = points.Tar[k]; threshold[k][r] = points.Threshold[k]; }
            eer[r] = points.Eer;
            replicateDone?.Invoke(r + 1);
        }
        return new BootstrapReplicates { Tar = tar, Threshold = threshold, Eer = eer };
    }
}
