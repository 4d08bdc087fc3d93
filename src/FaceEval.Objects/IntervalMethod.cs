namespace FaceEval;

/// <summary>
/// How Measure-FaceVerification computes the confidence intervals of TAR/FNMR at each target FAR and of the
/// EER. Every method treats the identity as the unit (pairs that share a person are not independent), and
/// every one reports [0, upper bound] — never an interval of width zero — when no error is observed.
/// bench/coverage measures their coverage (bench/README.md).
/// </summary>
public enum IntervalMethod
{
    /// <summary>
    /// Wilson score interval on the effective number of pairs: n_eff = p̂(1 − p̂) / V with V the
    /// delete-one-identity jackknife variance of the rate, threshold chosen again without each identity
    /// (the design effect of Schuckers 2010, Computational Methods in Biometric Authentication, with the
    /// threshold's own variability). The default.
    /// </summary>
    Wilson,
    /// <summary>Clopper–Pearson (exact binomial) interval on the same effective number of pairs: wider, conservative.</summary>
    ClopperPearson,
    /// <summary>Bias-corrected and accelerated bootstrap over identities (Efron 1987), acceleration from the identity jackknife.</summary>
    Bca,
    /// <summary>Percentile bootstrap over identities: the only method before issue #20, kept for comparison; optimistic near 0 and 1 (bench/README.md).</summary>
    Percentile,
}
