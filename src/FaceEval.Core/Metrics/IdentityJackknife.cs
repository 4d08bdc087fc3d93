namespace FaceEval.Core.Metrics;

/// <summary>
/// Leave-one-identity-out values of the verification metrics (the delete-a-group jackknife, the identity
/// being the group): for each identity, strict TAR at each target, its threshold and the EER measured with
/// every pair of that identity (genuine, and impostor on either side) removed, the threshold chosen again
/// on what is left (<see cref="WeightedSweep"/> with that identity's weight 0).
/// </summary>
public static class IdentityJackknife
{
    /// <summary>The leave-one-out values: <c>Tar[target][identity]</c>, <c>Eer[identity]</c>; NaN where removing the identity leaves no genuine or no impostor pair.</summary>
    public static (double[][] Tar, double[] Eer) Values(LabelledPairs pairs, IReadOnlyList<double> targets, CancellationToken cancellation = default)
    {
        int g = pairs.Identities;
        var counts = new double[g];
        Array.Fill(counts, 1.0);
        var (genuineTotal, impostorTotal) = WeightedSweep.Totals(pairs.A, pairs.B, counts);
        var genuineOf = new double[g];
        var impostorOf = new double[g];
        for (int p = 0; p < pairs.A.Length; p++)
        {
            int a = pairs.A[p], b = pairs.B[p];
            if (a == b) genuineOf[a]++;
            else { impostorOf[a]++; impostorOf[b]++; }
        }
        var tar = new double[targets.Count][];
        for (int k = 0; k < tar.Length; k++) tar[k] = new double[g];
        var eer = new double[g];
        var points = new WeightedPoints(targets.Count);
        for (int i = 0; i < g; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            counts[i] = 0;
            WeightedSweep.Measure(pairs, counts, genuineTotal - genuineOf[i], impostorTotal - impostorOf[i], targets, points);
            counts[i] = 1;
            for (int k = 0; k < tar.Length; k++) tar[k][i] = points.Tar[k];
            eer[i] = points.Eer;
        }
        return (tar, eer);
    }
}
