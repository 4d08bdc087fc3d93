using System.Diagnostics;
using System.Globalization;
using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;
using FaceEval.Core.Reporting;

namespace FaceEval.Core.Identification;

/// <summary>
/// Measures 1:N identification for every model of an evaluation set, on the same gallery/probe split: a gallery
/// given apart, items marked with a Role (Gallery or Probe), or a seeded split of the identities (a share never
/// enrolled, whose images are non-mated searches; each enrolled identity's first images by path form its
/// template, its others are mated searches). Tells its observer about progress, items that cannot take part and
/// warnings; raises <see cref="FaceEvalException"/> when no model can be measured.
/// </summary>
public sealed class IdentificationRun
{
    private readonly IdentificationOptions _options;
    private readonly IEvaluationObserver? _observer;
    private CancellationToken _cancellation;
    private readonly Dictionary<string, int> _people = new(StringComparer.Ordinal);

    public IdentificationRun(IdentificationOptions options, IEvaluationObserver? observer = null)
    {
        _options = options;
        _observer = observer;
        if (options.FpirTargets.Count == 0 || options.FpirTargets.Any(t => !(t > 0 && t <= 1))) throw new ArgumentException("Target FPIRs are in (0, 1].", nameof(options));
        if (options.Rank < 1 || options.MaxRank < 1) throw new ArgumentException("Ranks start at 1.", nameof(options));
        if (options.EnrolCount < 1) throw new ArgumentException("-EnrolCount is at least 1.", nameof(options));
        if (options.NonMatedShare is double share && !(share >= 0 && share < 1)) throw new ArgumentException("-NonMatedShare is in [0, 1).", nameof(options));
    }

    private double NonMatedShare => _options.NonMatedShare ?? (_options.Protocol == IdentificationProtocol.SplitGallery ? 0 : 0.5);

    /// <summary>Measures every model of <paramref name="input"/>; <paramref name="gallery"/>, when given, holds the gallery and <paramref name="input"/> the probes.</summary>
    public IdentificationOutcome Run(EvaluationSet input, EvaluationSet? gallery = null, CancellationToken cancellation = default)
    {
        _cancellation = cancellation;
        if (_options.Protocol == IdentificationProtocol.SplitGallery && (_options.BootstrapCount > 0 || _options.GallerySizeCurve))
            throw new FaceEvalException(FaceEvalError.CannotMeasure, "-Protocol SplitGallery averages two galleries as the IJB protocol does; -BootstrapCount and -GallerySizeCurve measure one gallery. Leave out -Protocol SplitGallery for them.");
        var models = input.Models.Union(gallery?.Models ?? Array.Empty<string>()).Order(StringComparer.Ordinal).ToList();
        if (models.Count == 0 || input.Count == 0) throw new FaceEvalException(FaceEvalError.NoInput, "Nothing to measure: no embeddings came in (pipe FaceEmbedding objects from Import-FaceEmbedding or Invoke-FaceEmbedding).");
        var split = gallery is null && !HasRoles(input) ? SeededSplit(input) : null;
        var results = new List<IdentificationResult>();
        var failures = new List<FaceEvalException>();
        foreach (var model in models)
        {
            try
            {
                results.Add(Measure(model, input, gallery, split));
            }
            catch (FaceEvalException e) when (e.Error is FaceEvalError.CannotMeasure or FaceEvalError.MissingIdentity)
            {
                failures.Add(e);
            }
        }
        if (results.Count == 0)
        {
            foreach (var f in failures.Skip(1)) _observer?.ItemError(f, f.Target);
            throw failures[0];
        }
        foreach (var f in failures) _observer?.ItemError(f, f.Target);
        foreach (var r in results)
        {
            var missing = r.OperatingPoints.Where(p => !p.Estimable).ToList();
            if (missing.Count > 0)
                _observer?.Warning($"Model '{r.Model}': {r.NonMatedSearches:N0} non-mated searches cannot measure FPIR {string.Join(", ", missing.Select(p => Sci(p.TargetFpir)))}: " +
                    $"FPIR {Sci(missing[0].TargetFpir)} needs at least {Math.Ceiling(1 / missing[0].TargetFpir):N0}. Those points show n/e. Give more identities that are not enrolled (-NonMatedShare) or more images of them.");
        }
        return new IdentificationOutcome(results, Settings(input, gallery, split is not null));
    }

    private static string Sci(double x) => x.ToString("0.#####e0", CultureInfo.InvariantCulture);

    private static bool HasRoles(EvaluationSet input) =>
        input.Models.Any(m => input.Items(m).Any(i => i.Attributes.ContainsKey("Role")));

    /// <summary>The seeded split, the same for every model: which identities are enrolled, and (SplitGallery) in which gallery.</summary>
    private Dictionary<string, int> SeededSplit(EvaluationSet input)
    {
        var identities = input.Models.SelectMany(m => input.Items(m)).Select(i => i.Identity).Where(i => !string.IsNullOrEmpty(i))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(i => i!).ToArray();
        var random = new Random(_options.Seed);
        random.Shuffle(identities);
        int nonMated = (int)Math.Floor(NonMatedShare * identities.Length + 0.5);
        // -1: never enrolled; 0: gallery (G1); 1: gallery G2 (SplitGallery).
        var side = new Dictionary<string, int>(StringComparer.Ordinal);
        int enrolled = identities.Length - nonMated;
        for (int i = 0; i < identities.Length; i++)
            side[identities[i]] = i < nonMated ? -1 : _options.Protocol == IdentificationProtocol.SplitGallery && i - nonMated >= (enrolled + 1) / 2 ? 1 : 0;
        return side;
    }

    private IdentificationResult Measure(string model, EvaluationSet input, EvaluationSet? gallerySet, Dictionary<string, int>? split)
    {
        var probesIn = input.Items(model);
        var galleryIn = gallerySet?.Items(model) ?? Array.Empty<EvaluationItem>();
        if (gallerySet is not null && galleryIn.Count == 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: -Gallery holds no embeddings of it.", model);
        if (gallerySet is not null && probesIn.Count == 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: no probes of it came down the pipeline.", model);
        var fromGallery = new HashSet<EvaluationItem>(galleryIn, ReferenceEqualityComparer.Instance);
        var usable = Screen(model, galleryIn.Concat(probesIn).ToList());

        // Who is in which gallery (0 or 1) and who searches.
        var galleryItems = new List<EvaluationItem>();
        var probes = new List<EvaluationItem>();
        Dictionary<string, int> side;
        if (split is not null)
        {
            side = split;
            foreach (var byIdentity in usable.GroupBy(i => i.Identity!, StringComparer.Ordinal))
            {
                var ordered = byIdentity.OrderBy(i => i.Label, StringComparer.Ordinal).ToList();
                if (side.GetValueOrDefault(byIdentity.Key, -1) < 0) { probes.AddRange(ordered); continue; }
                galleryItems.AddRange(ordered.Take(_options.EnrolCount));
                probes.AddRange(ordered.Skip(_options.EnrolCount));
            }
        }
        else
        {
            foreach (var item in usable)
            {
                if (gallerySet is not null) { (fromGallery.Contains(item) ? galleryItems : probes).Add(item); continue; }
                string? role = item.Attributes.GetValueOrDefault("Role");
                if (string.Equals(role, "Gallery", StringComparison.OrdinalIgnoreCase)) galleryItems.Add(item);
                else if (string.Equals(role, "Probe", StringComparison.OrdinalIgnoreCase)) probes.Add(item);
                else LeaveOut(item, FaceEvalError.InvalidRole, $"'{item.Label}' (model '{model}') has Role '{role}': give each input a Role of Gallery or Probe (or none at all, for a seeded split). It is left out.");
            }
            // The gallery identities split in two halves (seeded) for SplitGallery; otherwise all in one.
            var names = galleryItems.Select(i => i.Identity!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            new Random(_options.Seed).Shuffle(names);
            side = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++) side[names[i]] = _options.Protocol == IdentificationProtocol.SplitGallery && i >= (names.Length + 1) / 2 ? 1 : 0;
        }
        if (galleryItems.Count == 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: no gallery images. " +
                (split is not null ? "Every identity fell among the non-enrolled ones: lower -NonMatedShare or give more identities." : "Mark some inputs with Role = Gallery, or give -Gallery."), model);
        if (probes.Count == 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: no probes to search with. " +
                (split is not null ? $"Each enrolled identity needs more than -EnrolCount ({_options.EnrolCount}) images, or some identities must stay unenrolled (-NonMatedShare)." : "Pipe the probes, or mark some inputs with Role = Probe."), model);

        int galleries = _options.Protocol == IdentificationProtocol.SplitGallery ? 2 : 1;
        var built = new List<(GalleryMatrix Gallery, string[] Names, int Images, int Failed)>();
        for (int g = 0; g < galleries; g++)
            built.Add(BuildGallery(model, galleryItems.Where(i => side.GetValueOrDefault(i.Identity!, 0) == g).ToList()));
        int dimension = built[0].Gallery.Dimension;
        var searches = ProbeTemplates(probes);
        string activity = $"Measuring model '{model}'";
        var watch = Stopwatch.StartNew();
        var outcomes = new List<SearchOutcomes>();
        var probeSets = new List<ProbeSet>();
        foreach (var (matrix, names, _, _) in built)
        {
            if (matrix.Entries == 0)
                throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: no gallery identity has an embedding (every gallery image failed to enrol).", model);
            var probeSet = Probes(searches, names, dimension);
            _observer?.Progress(activity, $"Searching {probeSet.Count:N0} probes in a gallery of {matrix.Classes:N0} identities");
            probeSets.Add(probeSet);
            outcomes.Add(SearchScorer.Search(matrix, probeSet, cancellation: _cancellation));
        }
        _observer?.Detail($"Model '{model}': searched {searches.Count:N0} probes in {built.Sum(b => b.Gallery.Classes):N0} gallery identities in {watch.Elapsed.TotalSeconds:F2} s.");
        int failedProbes = searches.Count(s => s.Vector.Length == 0);
        if (failedProbes > 0) _observer?.Warning($"Model '{model}': {failedProbes:N0} probe(s) have no embedding (failures to enrol): each counts as a missed mated search or a non-alarming non-mated search.");
        if (outcomes.Sum(o => o.Mated) == 0) _observer?.Warning($"Model '{model}': no probe's identity is in the gallery, so there are no mated searches: rank and FNIR cannot be measured.");

        var o = _options;
        var targets = o.FpirTargets;
        double[] cmc;
        IdentificationOperatingPoint[] points;
        if (galleries == 1)
        {
            cmc = IdentificationMetrics.Cmc(outcomes[0], o.MaxRank);
            points = IdentificationPoints.Measure(outcomes[0], targets, o.Rank, o.Convention, model);
        }
        else
        {
            // IJB: top-k counts of both galleries over all mated searches; TPIRs averaged over the galleries.
            int mated = outcomes.Sum(s => s.Mated);
            var c1 = IdentificationMetrics.Cmc(outcomes[0], o.MaxRank);
            var c2 = IdentificationMetrics.Cmc(outcomes[1], o.MaxRank);
            cmc = c1.Select((_, r) => mated == 0 ? double.NaN : ((outcomes[0].Mated == 0 ? 0 : c1[r] * outcomes[0].Mated) + (outcomes[1].Mated == 0 ? 0 : c2[r] * outcomes[1].Mated)) / mated).ToArray();
            points = IdentificationPoints.Average(
                IdentificationPoints.Measure(outcomes[0], targets, o.Rank, o.Convention, model),
                IdentificationPoints.Measure(outcomes[1], targets, o.Rank, o.Convention, model));
        }
        double? rankOneLow = null, rankOneHigh = null;
        if (o.BootstrapCount > 0)
        {
            watch.Restart();
            int total = o.BootstrapCount, step = Math.Max(1, total / 100);
            var (fnir, threshold, rankOne) = IdentificationBootstrap.Intervals(outcomes[0], targets, o.Rank, o.Convention, total, o.Seed, o.ConfidenceLevel,
                done => { if (done % step == 0 || done == total) _observer?.Progress(activity, $"Bootstrap: {done:N0} of {total:N0} replicates", percent: 100 * done / total); }, _cancellation);
            points = points.Select((p, k) => p with { FnirLow = fnir[k].Low, FnirHigh = fnir[k].High, ThresholdLow = threshold[k].Low, ThresholdHigh = threshold[k].High }).ToArray();
            (rankOneLow, rankOneHigh) = (rankOne.Low, rankOne.High);
            _observer?.Detail($"Model '{model}': {total:N0} bootstrap replicates in {watch.Elapsed.TotalSeconds:F2} s.");
        }
        GallerySizePoint[] curve = Array.Empty<GallerySizePoint>();
        if (o.GallerySizeCurve)
        {
            watch.Restart();
            _observer?.Progress(activity, $"Gallery-size curve: {o.GallerySizeDraws} draws per size");
            var full = built[0].Gallery;
            var probeSet = probeSets[0];
            curve = GallerySizeCurve.Measure(outcomes[0], points, drawn => SearchScorer.Search(SubGallery(full, drawn, out var map), SubProbes(probeSet, map), cancellation: _cancellation),
                targets, o.Rank, o.Convention, o.GallerySizeDraws, o.Seed, _cancellation);
            _observer?.Detail($"Model '{model}': gallery-size curve over {curve.Length} sizes in {watch.Elapsed.TotalSeconds:F2} s.");
        }
        _observer?.Progress(activity, "Done", completed: true);
        return new IdentificationResult
        {
            Model = model,
            GalleryTemplates = built.Sum(b => b.Gallery.Classes),
            GalleryImages = built.Sum(b => b.Images),
            GalleryFailureToEnrol = built.Sum(b => b.Failed),
            MatedSearches = outcomes.Sum(s => s.Mated),
            NonMatedSearches = outcomes.Sum(s => s.NonMated),
            FailureToEnrol = failedProbes,
            RankOneRate = cmc[0], RankOneLow = rankOneLow, RankOneHigh = rankOneHigh,
            Cmc = cmc,
            OperatingPoints = points,
            Convention = o.Convention, Protocol = o.Protocol, TemplatePooling = o.TemplatePooling,
            GallerySizeCurve = curve,
            BootstrapReplicates = o.BootstrapCount, ConfidenceLevel = o.BootstrapCount > 0 ? o.ConfidenceLevel : null,
            FnirCurve = galleries == 1 ? IdentificationMetrics.Curve(outcomes[0], o.Convention == IdentificationConvention.Strict ? o.Rank : 1) : Array.Empty<FnirFpirPoint>(),
        };
    }

    /// <summary>The gallery of the given images: one template per identity (pooled), or every image an entry of its identity. An identity without any embedding is left out and reported.</summary>
    private (GalleryMatrix Gallery, string[] Names, int Images, int Failed) BuildGallery(string model, List<EvaluationItem> items)
    {
        var names = new List<string>();
        var vectors = new List<float[]>();
        var classes = new List<int>();
        var failed = new List<string>();
        int images = 0;
        foreach (var identity in items.GroupBy(i => i.Identity!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var enrolled = identity.Where(i => !i.IsFailureToEnrol).ToList();
            if (enrolled.Count == 0) { failed.Add(identity.Key); continue; }
            images += enrolled.Count;
            if (_options.TemplatePooling == TemplatePooling.Media)
                vectors.Add(TemplatePooler.Pool(enrolled.Select(i => (i.Vector, i.MediaId)).ToList())!);
            else
                foreach (var i in enrolled) { vectors.Add(i.Vector); classes.Add(names.Count); }
            if (_options.TemplatePooling == TemplatePooling.Media) classes.Add(names.Count);
            names.Add(identity.Key);
        }
        if (failed.Count > 0)
            _observer?.Warning($"Model '{model}': {failed.Count:N0} gallery identit{(failed.Count == 1 ? "y has" : "ies have")} no embedding in any gallery image (failures to enrol) and {(failed.Count == 1 ? "is" : "are")} left out of the gallery; their probes search as non-mated: " +
                string.Join(", ", failed.Take(10)) + (failed.Count > 10 ? $" and {failed.Count - 10:N0} more" : "") + ".");
        int d = vectors.Count > 0 ? vectors[0].Length : items.Select(i => i.Vector.Length).DefaultIfEmpty(1).Max();
        var matrix = new float[(long)vectors.Count * d];
        for (int i = 0; i < vectors.Count; i++) vectors[i].CopyTo(matrix, (long)i * d);
        return (new GalleryMatrix(matrix, classes.ToArray(), names.Count, Math.Max(d, 1)), names.ToArray(), images, failed.Count);
    }

    /// <summary>The searches: one per probe image, or one per probe template (identity and TemplateId) pooled the IJB way.</summary>
    private List<(string Identity, float[] Vector)> ProbeTemplates(List<EvaluationItem> probes)
    {
        var searches = new List<(string, float[])>();
        foreach (var group in probes.GroupBy(i => i.TemplateId is { } t && _options.TemplatePooling == TemplatePooling.Media ? $"{i.Identity}\0{t}" : null))
        {
            if (group.Key is null) { foreach (var i in group) searches.Add((i.Identity!, i.Vector)); continue; }
            searches.Add((group.First().Identity!, TemplatePooler.Pool(group.Select(i => (i.Vector, i.MediaId)).ToList()) ?? Array.Empty<float>()));
        }
        return searches;
    }

    private ProbeSet Probes(List<(string Identity, float[] Vector)> searches, string[] galleryNames, int dimension)
    {
        var cls = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < galleryNames.Length; i++) cls[galleryNames[i]] = i;
        var vectors = new float[(long)searches.Count * dimension];
        var enrolled = new bool[searches.Count];
        var mate = new int[searches.Count];
        var person = new int[searches.Count];
        for (int p = 0; p < searches.Count; p++)
        {
            var (identity, vector) = searches[p];
            enrolled[p] = vector.Length == dimension;
            if (enrolled[p]) vector.CopyTo(vectors, (long)p * dimension);
            mate[p] = cls.TryGetValue(identity, out int c) ? c : -1;
            if (!_people.TryGetValue(identity, out int n)) _people[identity] = n = _people.Count;
            person[p] = n;
        }
        return new ProbeSet(vectors, enrolled, mate, person);
    }

    /// <summary>The gallery restricted to the drawn classes, renumbered 0 … n − 1; <paramref name="map"/> takes an old class to its new number (−1: not drawn).</summary>
    private static GalleryMatrix SubGallery(GalleryMatrix full, int[] drawn, out int[] map)
    {
        map = Enumerable.Repeat(-1, full.Classes).ToArray();
        for (int i = 0; i < drawn.Length; i++) map[drawn[i]] = i;
        var rows = Enumerable.Range(0, full.Entries).Where(e => full.EntryClass[e] >= 0 && drawn.Length > 0 && Array.BinarySearch(drawn, full.EntryClass[e]) >= 0).ToArray();
        int d = full.Dimension;
        var vectors = new float[(long)rows.Length * d];
        for (int r = 0; r < rows.Length; r++) Array.Copy(full.Vectors, (long)rows[r] * d, vectors, (long)r * d, d);
        var m = map;
        return new GalleryMatrix(vectors, rows.Select(e => m[full.EntryClass[e]]).ToArray(), drawn.Length, d);
    }

    /// <summary>The probes for a sub-gallery: mated when their mate was drawn, left out when it was not, non-mated as before.</summary>
    private static ProbeSet SubProbes(ProbeSet probes, int[] map) =>
        probes with { MateClass = probes.MateClass.Select(c => c >= 0 ? (map[c] >= 0 ? map[c] : -2) : c).ToArray() };

    /// <summary>
    /// The items of one model that can take part: each without an identity, with a NaN or infinite value, or with a
    /// dimension other than most of the model's is an error about that item, and the rest go on.
    /// </summary>
    private List<EvaluationItem> Screen(string model, List<EvaluationItem> items)
    {
        if (items.Count > 0 && items.All(i => string.IsNullOrEmpty(i.Identity)))
            throw new FaceEvalException(FaceEvalError.MissingIdentity,
                $"None of the {items.Count:N0} embeddings of model '{model}' has an Identity, so no search can be mated or non-mated. " +
                "Give each input an Identity (a column of the detections CSV), take it from the photos' folders with Invoke-FaceEmbedding -IdentityFrom Folder, " +
                "or read saved embeddings with Import-FaceEmbedding, which takes it from each file's folder.", model);
        var usable = new List<EvaluationItem>(items.Count);
        foreach (var item in items)
        {
            if (string.IsNullOrEmpty(item.Identity)) LeaveOut(item, FaceEvalError.MissingIdentity, $"'{item.Label}' (model '{model}') has no Identity, so it can be neither enrolled nor searched; it is left out.");
            else if (EmbeddingVector.Problem(item.Vector) is { } why) LeaveOut(item, FaceEvalError.InvalidEmbedding, $"'{item.Label}' (model '{model}') is not a usable embedding: {why}. It is left out; the other embeddings are measured.");
            else usable.Add(item);
        }
        var sizes = usable.Where(i => !i.IsFailureToEnrol).GroupBy(i => i.Vector.Length).Select(g => (Dimension: g.Key, Count: g.Count()))
            .OrderByDescending(s => s.Count).ThenBy(s => s.Dimension).ToList();
        if (sizes.Count > 1)
        {
            if (sizes[0].Count == sizes[1].Count)
                throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: its embeddings have mixed dimensions and no majority tells which is right. Are embeddings of different models under one name?", model);
            int dimension = sizes[0].Dimension;
            usable.RemoveAll(item =>
            {
                if (item.IsFailureToEnrol || item.Vector.Length == dimension) return false;
                LeaveOut(item, FaceEvalError.DimensionMismatch, $"'{item.Label}' has {item.Vector.Length} dimensions, but most embeddings of model '{model}' have {dimension}: from another model or a damaged file? It is left out.");
                return true;
            });
        }
        if (usable.All(i => i.IsFailureToEnrol))
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{model}' cannot be measured: none of its {items.Count:N0} inputs has a usable embedding.", model);
        return usable;
    }

    private void LeaveOut(EvaluationItem item, FaceEvalError error, string message) =>
        _observer?.ItemError(new FaceEvalException(error, message, item.Source), item.Source);

    /// <summary>How this measurement was made, for the report.</summary>
    private IReadOnlyList<ReportSetting> Settings(EvaluationSet input, EvaluationSet? gallery, bool seededSplit)
    {
        var o = _options;
        return new[]
        {
            new ReportSetting("Gallery and probes", gallery is not null ? "gallery given apart (-Gallery), probes from the pipeline"
                : !seededSplit ? "by each input's Role (Gallery or Probe)"
                : $"seeded split (seed {o.Seed}): {NonMatedShare:P0} of the identities never enrolled; each enrolled identity's first {o.EnrolCount} image(s) by path form its template, its others search"),
            new ReportSetting("Protocol", o.Protocol == IdentificationProtocol.SplitGallery ? "two galleries G1/G2 (seeded halves of the enrolled identities), every probe searched in both, rates averaged (IJB-B/C)" : "one gallery"),
            new ReportSetting("Templates", o.TemplatePooling == TemplatePooling.Media ? "mean within a media item (MediaId), sum over media, L2-normalised (IJB)" : "none: each gallery image its own entry, an identity scores its best image"),
            new ReportSetting("Inputs", $"{input.Count + (gallery?.Count ?? 0):N0} embeddings of {input.Models.Union(gallery?.Models ?? Array.Empty<string>()).Count()} model(s)"),
            new ReportSetting("Operating point rule", o.Convention == IdentificationConvention.Strict
                ? $"Strict (NIST FRVT / ISO/IEC 19795-1): lowest threshold with FPIR at most the target; FNIR at rank {o.Rank}, ties against the mate"
                : "InsightFace (ijb_evals.py evaluation_1N): ⌊n·far⌋-th largest non-mated maximum; a hit needs the mate strictly above every other entry and the threshold"),
            new ReportSetting("Target FPIRs", string.Join(", ", o.FpirTargets.Select(Sci))),
            new ReportSetting("Bootstrap", o.BootstrapCount == 0 ? "none" : $"{o.BootstrapCount:N0} replicates over searching identities, seed {o.Seed}, {o.ConfidenceLevel:P1} level"),
            new ReportSetting("Gallery-size curve", o.GallerySizeCurve ? $"{o.GallerySizeDraws} seeded draws per size (median, 5th–95th percentile)" : "not measured"),
        };
    }
}
