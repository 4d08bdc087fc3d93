namespace FaceEval;

/// <summary>How pairs that involve an input without an embedding (a failure to enrol) are treated.</summary>
public enum FailureToEnrolHandling
{
    /// <summary>Scored as rejections at every threshold (ISO/IEC 19795-1, NIST FRVT): they lower TAR and never raise FAR.</summary>
    Reject,
    /// <summary>Left out of every pair; the count is still reported.</summary>
    Exclude,
}
