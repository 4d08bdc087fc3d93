namespace FaceEval;

/// <summary>Which galleries the probes are searched in.</summary>
public enum IdentificationProtocol
{
    /// <summary>One gallery; every probe is searched once.</summary>
    OneGallery,
    /// <summary>
    /// The IJB-B/IJB-C 1:N protocol: the enrolled identities are split (seeded) into two galleries G1 and G2, every
    /// probe is searched in both (mated in its own, non-mated in the other), and the two galleries' rates are averaged.
    /// </summary>
    SplitGallery,
}
