namespace FaceEval;

/// <summary>How a 1:N operating point (threshold and miss rate at a target false positive identification rate) is read off the searches.</summary>
public enum IdentificationConvention
{
    /// <summary>
    /// NIST FRVT Part 2 / ISO/IEC 19795-1: the lowest threshold whose FPIR is at most the target; a mated search
    /// is missed when its mate ranks beyond R (ties counted against the mate) or scores below the threshold.
    /// </summary>
    Strict,
    /// <summary>
    /// The InsightFace IJB script (recognition/_evaluation_/ijb/ijb_evals.py, evaluation_1N): the threshold is the
    /// ⌊n·far⌋-th largest non-mated maximum, and a mated search is a hit only when its mate scores strictly above
    /// every other gallery entry and strictly above the threshold.
    /// </summary>
    InsightFace,
}
