namespace FaceEval;

/// <summary>How a TAR at a target FAR is read off the scores.</summary>
public enum FarConvention
{
    /// <summary>The lowest threshold whose FAR is at most the target (never above it).</summary>
    Strict,
    /// <summary>The InsightFace IJB 1:1 script: scikit-learn's roc_curve points, the one with the nearest FPR.</summary>
    InsightFace,
}
