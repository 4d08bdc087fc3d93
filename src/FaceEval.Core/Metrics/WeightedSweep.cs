using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Strict TAR at FAR, its threshold, and the EER with its threshold, where each pair counts a weight made
/// from per-identity counts: a genuine pair of identity i weighs c(i), an impostor pair of i and j weighs
/// c(i) · c(j). With every count 1 these are the rules of <see cref="VerificationMetrics"/> exactly; with
/// bootstrap counts they are the metrics of a resample of identities (<see cref="Bootstrap"/>); with 0/1
/// counts they are the metrics of a subset of identities (<see cref="TransferCheck"/>). Pairs of weight 0
/// are not in the weighted set at all: no threshold or EER midpoint is taken at their scores.
/// </summary>
internal static class WeightedSweep
{
    /// <summary>The genuine and the impostor weight of all pairs, failures to enrol included (the denominators of TAR and FAR), pair by pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double Genuine, double Impostor) Totals(int[] a, int[] b, double[] counts)
    {
        double genuine = 0, impostor = 0;
        for (int p = 0; p < a.Length; p++)
        {
            int x = a[p], y = b[p];
            if (x == y) genuine += counts[x]; else impostor += counts[x] * counts[y];
        }
        return (genuine, impostor);
    }

    /// <summary>
    /// One sweep from the highest score down, over groups of equal (finite) scores of positive weight:
    /// <list type="bullet">
    /// <item>Strict TAR at target f (FMR as in ISO/IEC 19795-1; a pair accepted when its score is at least
    /// the threshold): the threshold is the lowest one whose weighted FAR is at most f. The first group whose
    /// acceptance would push the accepted impostor weight above f · impostor total sets it at the score of
    /// the group above (just above its own score when no group is above), and TAR is the genuine weight the
    /// groups above accepted over the genuine total. A tie of genuine and impostor scores is never split.
    /// When no group pushes FAR over f, every scored pair is accepted: the threshold is the lowest score.</item>
    /// <item>EER: over thresholds midway between consecutive distinct scores (just above and below the score
    /// when there is one), the one that minimises |FAR − FRR| (the lowest on a tie); EER = (FAR + FRR) / 2.</item>
    /// </list>
    /// Failures to enrol (-infinity) count in the totals and are never accepted. NaN everywhere when the
    /// genuine or the impostor total is 0; thresholds and EER are NaN when no scored pair has weight.
    /// <para>The sweep stops once every target has its threshold and the EER is settled: each group of
    /// positive weight raises FAR − FRR strictly, so after the first candidate with FAR ≥ FRR every later
    /// one has a strictly larger |FAR − FRR| and cannot win, not even on a tie. With small target FARs and
    /// a usable model that is a few per cent of the pairs.</para>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Measure(LabelledPairs pairs, double[] counts, double genuineTotal, double impostorTotal, IReadOnlyList<double> targets, WeightedPoints result)
    {
        var s = pairs.Scores;
        var a = pairs.A;
        var b = pairs.B;
        var tar = result.Tar;
        var threshold = result.Threshold;
        var found = result.Found;
        int k = targets.Count;
        if (genuineTotal == 0 || impostorTotal == 0)
        {
            Array.Fill(tar, double.NaN);
            Array.Fill(threshold, double.NaN);
            result.Eer = result.EerThreshold = double.NaN;
            return;
        }
        Array.Clear(found);
        int open = k;
        double tp = 0, fp = 0, previous = double.NaN;
        double bestGap = double.MaxValue, eer = double.NaN, eerThreshold = double.NaN;
        bool eerSettled = false;
        int distinct = 0;
        int q = s.Length - 1;
        while (q >= 0)
        {
            float t = s[q];
            if (float.IsNegativeInfinity(t)) break;
            double groupTp = 0, groupFp = 0;
            do
            {
                int x = a[q], y = b[q];
                if (x == y) groupTp += counts[x]; else groupFp += counts[x] * counts[y];
                q--;
            }
            while (q >= 0 && s[q] == t);
            if (groupTp == 0 && groupFp == 0) continue; // not in this weighted set
            // The EER candidate midway above this group: what the groups above accepted.
            if (distinct++ > 0) TryEer((previous + t) / 2, tp, fp);
            double nextFp = fp + groupFp;
            if (open > 0)
                for (int i = 0; i < k; i++)
                    if (!found[i] && nextFp > targets[i] * impostorTotal * (1 + 1e-12))
                    {
                        found[i] = true;
                        open--;
                        tar[i] = tp / genuineTotal;
                        threshold[i] = distinct > 1 ? previous : Math.BitIncrement((double)t);
                    }
            tp += groupTp;
            fp = nextFp;
            previous = t;
            if (open == 0 && eerSettled) break;
        }
        for (int i = 0; i < k; i++)
            if (!found[i]) { tar[i] = tp / genuineTotal; threshold[i] = distinct > 0 ? previous : double.NaN; }
        if (distinct == 1) { TryEer(Math.BitIncrement(previous), 0, 0); TryEer(Math.BitDecrement(previous), tp, fp); }
        result.Eer = eer;
        result.EerThreshold = eerThreshold;

        void TryEer(double at, double acceptedTp, double acceptedFp)
        {
            double fa = acceptedFp / impostorTotal, fr = 1 - acceptedTp / genuineTotal, gap = Math.Abs(fa - fr);
            // Thresholds come from the highest down: on a tie the later, lower one wins.
            if (gap <= bestGap) { bestGap = gap; eer = (fa + fr) / 2; eerThreshold = at; }
            if (fa >= fr) eerSettled = true;
        }
    }

    /// <summary>The genuine and impostor weight accepted at <paramref name="threshold"/> (scores at or above it).</summary>
    public static (double Genuine, double Impostor) Accepted(LabelledPairs pairs, double[] counts, double threshold)
    {
        var s = pairs.Scores;
        double genuine = 0, impostor = 0;
        for (int q = s.Length - 1; q >= 0 && s[q] >= threshold; q--)
        {
            int x = pairs.A[q], y = pairs.B[q];
            if (x == y) genuine += counts[x]; else impostor += counts[x] * counts[y];
        }
        return (genuine, impostor);
    }
}
