namespace FaceEval;

/// <summary>
/// A model's scores turned into log-likelihood ratios, llr(s) = Slope · s + Intercept (natural log), and how
/// well that works: Cllr of the cross-fitted map, the least Cllr any monotone map could reach (MinCllr),
/// and their difference (CalibrationLoss), all in bits.
/// </summary>
public sealed record ModelCalibration
{
    public required string Model { get; init; }
    /// <summary>a of llr(s) = a·s + b, fitted on every scored pair.</summary>
    public double Slope { get; init; }
    /// <summary>b of llr(s) = a·s + b.</summary>
    public double Intercept { get; init; }
    /// <summary>Cllr (bits) of the identity-disjoint two-fold cross-fitted map: 0 is perfect, 1 is a system that always says llr = 0.</summary>
    public double Cllr { get; init; }
    /// <summary>Cllr (bits) of the best monotone map of the scores (pool-adjacent-violators), on the same pairs as <see cref="Cllr"/>.</summary>
    public double MinCllr { get; init; }
    /// <summary><see cref="Cllr"/> − <see cref="MinCllr"/>: what a better calibration could still gain.</summary>
    public double CalibrationLoss { get; init; }
    /// <summary>Genuine pairs in the fit of <see cref="Slope"/> and <see cref="Intercept"/>.</summary>
    public long GenuinePairs { get; init; }
    public long ImpostorPairs { get; init; }
    /// <summary>Genuine pairs behind <see cref="Cllr"/> and <see cref="MinCllr"/> (both sides in one fold).</summary>
    public long EvaluatedGenuinePairs { get; init; }
    /// <summary>Impostor pairs behind <see cref="Cllr"/> and <see cref="MinCllr"/>: those whose two identities fall in one fold.</summary>
    public long EvaluatedImpostorPairs { get; init; }
    /// <summary>Pairs with a failure to enrol: they have no score to calibrate and are left out of everything here.</summary>
    public long FailurePairs { get; init; }
    /// <summary>Seed of the split of the identities into the two folds.</summary>
    public int Seed { get; init; }
    /// <summary>
    /// The reliability diagram of the cross-fitted llrs (the pairs behind <see cref="Cllr"/>): ten bins of the
    /// predicted probability σ(llr) at a prior of ½, those with pairs in them; empty when Cllr is NaN.
    /// </summary>
    public ReliabilityBin[] Reliability { get; init; } = Array.Empty<ReliabilityBin>();

    /// <summary>The log-likelihood ratio (natural log) of a score: Slope · score + Intercept.</summary>
    public double Llr(double score) => Slope * score + Intercept;

    /// <summary>
    /// The probability that a pair scored <paramref name="score"/> is genuine, for a prior probability
    /// <paramref name="prior"/> of genuine pairs: σ(llr(score) + ln(prior / (1 − prior))).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The prior is not strictly between 0 and 1.</exception>
    public double Probability(double score, double prior)
    {
        if (!(prior > 0 && prior < 1)) throw new ArgumentOutOfRangeException(nameof(prior), prior, "The prior probability of a genuine pair must be strictly between 0 and 1; 0.5 when genuine and impostor pairs are equally likely.");
        double x = Llr(score) + Math.Log(prior / (1 - prior));
        return x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
    }
}
