namespace FaceEval.Core.Identification;

/// <summary>How an identification run measures (the parameters of Measure-FaceIdentification).</summary>
public sealed record IdentificationOptions
{
    /// <summary>The target FPIRs of the default run.</summary>
    public static readonly IReadOnlyList<double> DefaultFpirTargets = new[] { 1e-1, 1e-2, 1e-3 };

    /// <summary>Target false positive identification rates; default 1e-1, 1e-2, 1e-3.</summary>
    public IReadOnlyList<double> FpirTargets { get; init; } = DefaultFpirTargets;
    /// <summary>The rank R of FNIR(R, T); default 1.</summary>
    public int Rank { get; init; } = 1;
    /// <summary>The CMC's last rank; default 20.</summary>
    public int MaxRank { get; init; } = 20;
    /// <summary>How the operating points are read off; default Strict.</summary>
    public IdentificationConvention Convention { get; init; } = IdentificationConvention.Strict;
    /// <summary>One gallery or the IJB two-gallery split.</summary>
    public IdentificationProtocol Protocol { get; init; } = IdentificationProtocol.OneGallery;
    /// <summary>How gallery images pool into templates.</summary>
    public TemplatePooling TemplatePooling { get; init; } = TemplatePooling.Media;
    /// <summary>Seeded split: the share of identities never enrolled (their images are non-mated searches). Null: 0.5, or 0 with SplitGallery.</summary>
    public double? NonMatedShare { get; init; }
    /// <summary>Seeded split: gallery images per enrolled identity (the first by path).</summary>
    public int EnrolCount { get; init; } = 1;
    /// <summary>Seed of every draw (split, bootstrap, gallery-size draws).</summary>
    public int Seed { get; init; }
    /// <summary>Bootstrap replicates over identities; 0 for none.</summary>
    public int BootstrapCount { get; init; }
    /// <summary>Two-sided level of the bootstrap intervals.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;
    /// <summary>Measure the gallery-size curve.</summary>
    public bool GallerySizeCurve { get; init; }
    /// <summary>Draws per gallery size of the curve.</summary>
    public int GallerySizeDraws { get; init; } = 20;
}
