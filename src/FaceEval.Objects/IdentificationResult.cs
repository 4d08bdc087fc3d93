namespace FaceEval;

/// <summary>Everything measured for one model on one 1:N search protocol (Measure-FaceIdentification).</summary>
public sealed class IdentificationResult
{
    /// <summary>The model measured.</summary>
    public required string Model { get; init; }
    /// <summary>Gallery templates (one per enrolled identity; with -TemplatePooling None, the identities whose images are the entries). With -Protocol SplitGallery, G1 and G2 together.</summary>
    public int GalleryTemplates { get; init; }
    /// <summary>Gallery images that went into the templates (failures to enrol not counted).</summary>
    public int GalleryImages { get; init; }
    /// <summary>Searches whose identity is enrolled (with -Protocol SplitGallery, counted in the gallery that holds it).</summary>
    public int MatedSearches { get; init; }
    /// <summary>Searches whose identity is not enrolled (with -Protocol SplitGallery, summed over both galleries).</summary>
    public int NonMatedSearches { get; init; }
    /// <summary>Probes without an embedding: each is a missed mated search or a non-alarming non-mated search.</summary>
    public int FailureToEnrol { get; init; }
    /// <summary>Identities meant for the gallery none of whose gallery images has an embedding: left out of the gallery (their probes search as non-mated).</summary>
    public int GalleryFailureToEnrol { get; init; }
    /// <summary>The share of mated searches whose mate is rank 1 (ties counted against the mate).</summary>
    public double RankOneRate { get; init; }
    /// <summary>Bootstrap interval of the rank-1 rate; null when not bootstrapped.</summary>
    public double? RankOneLow { get; init; }
    /// <summary>Upper bound of the bootstrap interval of the rank-1 rate.</summary>
    public double? RankOneHigh { get; init; }
    /// <summary>The cumulative match characteristic: element r − 1 is the share of mated searches whose mate ranks r or better.</summary>
    public double[] Cmc { get; init; } = Array.Empty<double>();
    /// <summary>One per target FPIR, in the order given.</summary>
    public required IdentificationOperatingPoint[] OperatingPoints { get; init; }
    /// <summary>How the operating points were read off the searches.</summary>
    public IdentificationConvention Convention { get; init; }
    /// <summary>One gallery, or the IJB two-gallery split.</summary>
    public IdentificationProtocol Protocol { get; init; }
    /// <summary>How several gallery images of one identity became its entry.</summary>
    public TemplatePooling TemplatePooling { get; init; }
    /// <summary>-GallerySizeCurve: one point per gallery size, smallest first; empty when not asked for.</summary>
    public GallerySizePoint[] GallerySizeCurve { get; init; } = Array.Empty<GallerySizePoint>();
    /// <summary>Bootstrap replicates behind the intervals (0: none).</summary>
    public int BootstrapReplicates { get; init; }
    /// <summary>Two-sided level of the bootstrap intervals; null when not bootstrapped.</summary>
    public double? ConfidenceLevel { get; init; }
    /// <summary>FNIR against FPIR over every threshold (a thinned curve of at most a few hundred points), for plots.</summary>
    public FnirFpirPoint[] FnirCurve { get; init; } = Array.Empty<FnirFpirPoint>();

    /// <summary>The operating point at a target FPIR, or null when it was not measured.</summary>
    public IdentificationOperatingPoint? At(double fpir) => OperatingPoints.FirstOrDefault(p => Math.Abs(p.TargetFpir - fpir) <= 1e-9 * fpir);
}
