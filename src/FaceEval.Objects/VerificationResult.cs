namespace FaceEval;

/// <summary>Everything measured for one model on one set of pairs.</summary>
public sealed class VerificationResult
{
    public required string Model { get; init; }
    /// <summary>Genuine pairs, those involving a failure to enrol included when they are scored as rejections.</summary>
    public long GenuinePairs { get; init; }
    public long ImpostorPairs { get; init; }
    /// <summary>Inputs without an embedding (no face found, ...).</summary>
    public int FailureToEnrol { get; init; }
    /// <summary>How pairs involving a failure to enrol were treated: Reject (scored as rejections) or Exclude.</summary>
    public string FailureToEnrolHandling { get; init; } = "Reject";
    public double Auc { get; init; }
    public double Eer { get; init; }
    public double EerThreshold { get; init; }
    public required OperatingPoint[] OperatingPoints { get; init; }
    public FarConvention Convention { get; init; }
    public double KFoldAccuracy { get; init; }
    public double KFoldStd { get; init; }
    public int Folds { get; init; }
    public double DPrime { get; init; }
    public double GenuineMean { get; init; }
    public double GenuineStd { get; init; }
    public double ImpostorMean { get; init; }
    public double ImpostorStd { get; init; }
    /// <summary>The ROC, thinned to what a plot can show (at most a few thousand points, every corner kept), for -RocPath and plots.</summary>
    public RocPoint[] Roc { get; init; } = Array.Empty<RocPoint>();
    /// <summary>Genuine and impostor scores in 100 bins, for the score distribution plot.</summary>
    public ScoreHistogram? Histogram { get; init; }

    /// <summary>Bootstrap interval of the EER, when bootstrapped (identities resampled).</summary>
    public double? EerLow { get; private init; }
    public double? EerHigh { get; private init; }
    /// <summary>Bootstrap replicates behind the intervals (0: none).</summary>
    public int BootstrapReplicates { get; private init; }
    public double? ConfidenceLevel { get; private init; }

    /// <summary>A copy with intervals: one (low, high) per operating point, in order, and one for the EER.</summary>
    public VerificationResult WithIntervals(IReadOnlyList<Interval> tar, Interval eer, int replicates, double level)
    {
        if (tar.Count != OperatingPoints.Length) throw new ArgumentException($"{tar.Count} TAR intervals for {OperatingPoints.Length} operating points.", nameof(tar));
        return new VerificationResult
        {
            Model = Model, GenuinePairs = GenuinePairs, ImpostorPairs = ImpostorPairs, FailureToEnrol = FailureToEnrol,
            FailureToEnrolHandling = FailureToEnrolHandling, Auc = Auc, Eer = Eer, EerThreshold = EerThreshold,
            OperatingPoints = OperatingPoints.Select((p, k) => p with { TarLow = tar[k].Low, TarHigh = tar[k].High }).ToArray(),
            Convention = Convention, KFoldAccuracy = KFoldAccuracy, KFoldStd = KFoldStd, Folds = Folds, DPrime = DPrime,
            GenuineMean = GenuineMean, GenuineStd = GenuineStd, ImpostorMean = ImpostorMean, ImpostorStd = ImpostorStd,
            Roc = Roc, Histogram = Histogram,
            EerLow = eer.Low, EerHigh = eer.High, BootstrapReplicates = replicates, ConfidenceLevel = level,
        };
    }

    /// <summary>The operating point measured for target <paramref name="far"/>, or null when that target was not asked for (table views leave it blank).</summary>
    public OperatingPoint? At(double far) => OperatingPoints.FirstOrDefault(p => Math.Abs(p.TargetFar - far) <= 1e-9 * far);
}
