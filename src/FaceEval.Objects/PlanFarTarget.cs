namespace FaceEval;

/// <summary>
/// Whether a test set can measure TAR at one target FAR. Two rules: the FAR is estimable when there are at
/// least 1/FAR impostor pairs (so a single false accept is a FAR at or below the target; FaceEval reports
/// "n/e" otherwise), and its interval is useful when at least 30 false accepts are expected at the target
/// (FAR × impostor pairs ≥ 30): Doddington's "Rule of 30" (Doddington et al. 2000; Mansfield and Wayman 2002,
/// Best Practices in Testing and Reporting Performance of Biometric Devices): to be 90 % confident that the
/// true rate is within ±30 % of the observed one, the test must see at least 30 errors.
/// </summary>
public sealed class PlanFarTarget
{
    public double TargetFar { get; init; }
    public long ImpostorPairs { get; init; }
    /// <summary>⌈1/FAR⌉: the impostor pairs the target needs to be estimable.</summary>
    public long PairsNeeded { get; init; }
    public bool Estimable { get; init; }
    /// <summary>FAR × impostor pairs: the false accepts expected at the target's threshold.</summary>
    public double ExpectedFalseAccepts { get; init; }
    /// <summary>⌈30/FAR⌉: the impostor pairs for a useful interval (30 expected false accepts).</summary>
    public long PairsForUsefulInterval { get; init; }
    /// <summary>True when ExpectedFalseAccepts ≥ 30.</summary>
    public bool UsefulInterval { get; init; }
}
