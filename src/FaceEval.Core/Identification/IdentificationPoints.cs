namespace FaceEval.Core.Identification;

/// <summary>Operating points at target FPIRs under a convention, and the two-gallery (IJB) average.</summary>
public static class IdentificationPoints
{
    /// <summary>
    /// One point per target. Strict: T = <see cref="IdentificationMetrics.StrictThreshold"/>, FNIR(R, T), FPIR(T),
    /// SEL(T). InsightFace: T = <see cref="IdentificationMetrics.InsightFaceThreshold"/>, TPIR as the script counts
    /// it (rank 1, strictly above every other entry and above T); FPIR, false alarms and selectivity then count
    /// scores strictly above T, the script's own acceptance rule. Without non-mated searches nothing can be chosen:
    /// threshold and rates are NaN and the point is not estimable.
    /// </summary>
    public static IdentificationOperatingPoint[] Measure(SearchOutcomes s, IReadOnlyList<double> targets, int rank, IdentificationConvention convention, string model = "")
    {
        var thresholds = targets.Select(t => convention == IdentificationConvention.Strict ? IdentificationMetrics.StrictThreshold(s, t) : IdentificationMetrics.InsightFaceThreshold(s, t)).ToArray();
        // InsightFace accepts strictly above T: at or above the next float.
        var alarmAt = thresholds.Select(t => convention == IdentificationConvention.Strict || double.IsNaN(t) ? t : (double)MathF.BitIncrement((float)t)).ToArray();
        var selectivity = IdentificationMetrics.Selectivity(s, alarmAt);
        var points = new IdentificationOperatingPoint[targets.Count];
        for (int k = 0; k < points.Length; k++)
        {
            double t = thresholds[k];
            if (double.IsNaN(t))
            {
                points[k] = new IdentificationOperatingPoint { Model = model, TargetFpir = targets[k], Rank = convention == IdentificationConvention.Strict ? rank : 1, Estimable = false };
                continue;
            }
            long alarms = s.NonMatedMax.LongCount(m => m >= alarmAt[k]);
            double fnir = convention == IdentificationConvention.Strict ? IdentificationMetrics.Fnir(s, rank, t) : 1 - IdentificationMetrics.InsightFaceTpir(s, t);
            points[k] = new IdentificationOperatingPoint
            {
                Model = model, TargetFpir = targets[k], Threshold = t, Rank = convention == IdentificationConvention.Strict ? rank : 1,
                Fnir = fnir, Tpir = 1 - fnir, AchievedFpir = (double)alarms / s.NonMated, FalseAlarms = alarms, Selectivity = selectivity[k],
                Estimable = IdentificationMetrics.IsEstimable(s.NonMated, targets[k]),
            };
        }
        return points;
    }

    /// <summary>
    /// The IJB-B/C average over galleries G1 and G2 (ijb_evals.py, run_model_test_1N: mean_tpirs = (g1 + g2) / 2):
    /// TPIR, FNIR, FPIR and selectivity are the means of the two galleries' values; the thresholds stay per gallery;
    /// false alarms are summed; estimable when both are.
    /// </summary>
    public static IdentificationOperatingPoint[] Average(IdentificationOperatingPoint[] g1, IdentificationOperatingPoint[] g2) =>
        g1.Select((a, k) =>
        {
            var b = g2[k];
            return a with
            {
                Threshold = a.Threshold, ThresholdG2 = b.Threshold,
                Fnir = (a.Fnir + b.Fnir) / 2, Tpir = (a.Tpir + b.Tpir) / 2, AchievedFpir = (a.AchievedFpir + b.AchievedFpir) / 2,
                Selectivity = (a.Selectivity + b.Selectivity) / 2, FalseAlarms = a.FalseAlarms + b.FalseAlarms, Estimable = a.Estimable && b.Estimable,
            };
        }).ToArray();
}
