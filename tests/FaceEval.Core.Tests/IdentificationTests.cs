using FaceEval.Core.Evaluation;
using FaceEval.Core.Identification;

namespace FaceEval.Core.Tests;

/// <summary>
/// 1:N identification on hand-worked cases. The standard case: gallery A, B, C on the axes (unit vectors, so the
/// IJB pooling leaves them as they are), four mated searches and five non-mated ones:
///   p1 (A) = (.5, .5, 0): A .5, B .5 (a tie at the mate: rank 2);   p2 (A) = (.6, .3, 0): rank 1, mate .6;
///   p3 (B) = (.2, .1, .2): A .2, C .2 above B .1 (rank 3);          p4 (C) = (0, 0, .9): rank 1, mate .9;
///   non-mated maxima .7, .4, .3, .2, .1.
/// </summary>
public class IdentificationTests
{
    private static EvaluationItem Item(string identity, float[] vector, string role, string label, string? media = null, string model = "m") => new()
    {
        Model = model, Identity = identity, Vector = vector, Label = label,
        ReadAttributes = () =>
        {
            var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Role"] = role };
            if (media is not null) d["MediaId"] = media;
            return d;
        },
    };

    private static EvaluationSet Standard(bool nonMated = true)
    {
        var set = new EvaluationSet();
        set.Add(Item("A", new[] { 1f, 0, 0 }, "Gallery", "gA"));
        set.Add(Item("B", new[] { 0f, 1, 0 }, "Gallery", "gB"));
        set.Add(Item("C", new[] { 0f, 0, 1 }, "Gallery", "gC"));
        set.Add(Item("A", new[] { .5f, .5f, 0 }, "Probe", "p1"));
        set.Add(Item("A", new[] { .6f, .3f, 0 }, "Probe", "p2"));
        set.Add(Item("B", new[] { .2f, .1f, .2f }, "Probe", "p3"));
        set.Add(Item("C", new[] { 0f, 0, .9f }, "Probe", "p4"));
        if (nonMated)
        {
            set.Add(Item("D", new[] { .7f, 0, 0 }, "Probe", "n1"));
            set.Add(Item("E", new[] { 0f, .4f, 0 }, "Probe", "n2"));
            set.Add(Item("F", new[] { 0f, 0, .3f }, "Probe", "n3"));
            set.Add(Item("G", new[] { .2f, .2f, 0 }, "Probe", "n4"));
            set.Add(Item("H", new[] { .1f, 0, 0 }, "Probe", "n5"));
        }
        return set;
    }

    private static IdentificationResult Run(EvaluationSet set, IdentificationOptions? options = null, EvaluationSet? gallery = null, List<string>? warnings = null, List<FaceEvalException>? errors = null) =>
        new IdentificationRun(options ?? new IdentificationOptions { FpirTargets = new[] { 0.2, 0.4 }, MaxRank = 3 }, new Recorder(warnings, errors)).Run(set, gallery).Results.Single();

    private sealed class Recorder(List<string>? warnings, List<FaceEvalException>? errors) : IEvaluationObserver
    {
        public void Progress(string activity, string status, bool completed = false, int percent = -1) { }
        public void Detail(string message) { }
        public void Warning(string message) => warnings?.Add(message);
        public void ItemError(FaceEvalException error, object? item) => errors?.Add(error);
    }

    [Fact]
    public void TiesAtTheMateCountAgainstTheMate()
    {
        var r = Run(Standard());
        // Ranks 2, 1, 3, 1: a gallery entry scoring exactly the mate's score ranks ahead of it.
        Assert.Equal(new[] { 2 / 4.0, 3 / 4.0, 4 / 4.0 }, r.Cmc);
        Assert.Equal(0.5, r.RankOneRate);
        Assert.Equal(4, r.MatedSearches);
        Assert.Equal(5, r.NonMatedSearches);
        Assert.Equal(3, r.GalleryTemplates);
    }

    [Fact]
    public void StrictThresholdIsTheLowestWithFpirAtMostTheTarget()
    {
        var r = Run(Standard());
        // 0.2 of 5: one alarm allowed; the 2nd highest maximum is .4, the lowest score above it is the mate .5.
        var p = r.OperatingPoints[0];
        Assert.Equal((double).5f, p.Threshold);
        Assert.Equal(0.2, p.AchievedFpir);
        Assert.Equal(1, p.FalseAlarms);
        Assert.Equal(0.5, p.Fnir);     // p1 (rank 2) and p3 (rank 3) missed at rank 1
        Assert.Equal(0.5, p.Tpir);
        Assert.Equal(0.2, p.Selectivity); // n1 has one entry (A .7) at or above .5
        Assert.True(p.Estimable);
        // 0.4 of 5: two alarms; above the 3rd highest maximum (.3) the lowest score is .4 itself.
        var q = r.OperatingPoints[1];
        Assert.Equal((double).4f, q.Threshold);
        Assert.Equal(0.4, q.AchievedFpir);
        Assert.Equal(0.5, q.Fnir);
        Assert.Equal(0.4, q.Selectivity);
    }

    [Fact]
    public void AMateOutsideRankRIsMissedWhateverItsScore()
    {
        var one = Run(Standard());
        var two = Run(Standard(), new IdentificationOptions { FpirTargets = new[] { 0.2 }, Rank = 2, MaxRank = 3 });
        // At rank 2, p1 (rank 2, mate .5 = T) becomes a hit; p3 (rank 3) stays a miss.
        Assert.Equal(0.5, one.OperatingPoints[0].Fnir);
        Assert.Equal(0.25, two.OperatingPoints[0].Fnir);
        Assert.Equal(2, two.OperatingPoints[0].Rank);
    }

    [Fact]
    public void WithoutNonMatedSearchesFpirIsNotEstimable()
    {
        var warnings = new List<string>();
        var r = Run(Standard(nonMated: false), warnings: warnings);
        Assert.Equal(0, r.NonMatedSearches);
        Assert.All(r.OperatingPoints, p =>
        {
            Assert.False(p.Estimable);
            Assert.True(double.IsNaN(p.Threshold));
            Assert.True(double.IsNaN(p.AchievedFpir));
            Assert.True(double.IsNaN(p.Fnir));
        });
        Assert.Equal(0.5, r.RankOneRate); // ranks need no threshold
        Assert.Contains(warnings, w => w.Contains("cannot measure FPIR"));
    }

    [Fact]
    public void TooFewNonMatedSearchesForATargetAreNotEstimable()
    {
        var r = Run(Standard(), new IdentificationOptions { FpirTargets = new[] { 0.2, 0.1 }, MaxRank = 3 });
        Assert.True(r.OperatingPoints[0].Estimable);   // 5 >= 1 / 0.2
        Assert.False(r.OperatingPoints[1].Estimable);  // 5 < 1 / 0.1
    }

    [Fact]
    public void InsightFaceConventionDiffersFromStrictWhereItShould()
    {
        var options = new IdentificationOptions { FpirTargets = new[] { 0.2, 0.4 }, MaxRank = 3, Convention = IdentificationConvention.InsightFace };
        var r = Run(Standard(), options);
        // far 0.2: index max(int(5 * 0.2) - 1, 0) = 0 of the maxima from the highest: .7 (strict chose .5).
        // Hits need the mate strictly above every other entry and above .7: only p4 (.9).
        var p = r.OperatingPoints[0];
        Assert.Equal((double).7f, p.Threshold);
        Assert.Equal(0.75, p.Fnir);
        Assert.Equal(0.0, p.AchievedFpir); // nothing strictly above .7
        // far 0.4: index 1: .4 (as strict). p2 (.6) and p4 hit; p1 ties its best other entry (.5 = .5) and misses.
        var q = r.OperatingPoints[1];
        Assert.Equal((double).4f, q.Threshold);
        Assert.Equal(0.5, q.Fnir);
        Assert.Equal(0.2, q.AchievedFpir); // only n1 (.7) is strictly above .4; n2 scores .4 exactly
        Assert.Equal(IdentificationConvention.InsightFace, r.Convention);
    }

    [Fact]
    public void InsightFaceNeedsTheMateStrictlyAboveTheThresholdWhereStrictAcceptsEqual()
    {
        // One mated search whose mate scores exactly the only non-mated maximum.
        var set = new EvaluationSet();
        set.Add(Item("A", new[] { 1f, 0 }, "Gallery", "gA"));
        set.Add(Item("B", new[] { 0f, 1 }, "Gallery", "gB"));
        set.Add(Item("A", new[] { .5f, 0 }, "Probe", "p"));
        set.Add(Item("X", new[] { .5f, 0 }, "Probe", "n"));
        var strict = Run(set, new IdentificationOptions { FpirTargets = new[] { 1.0 } });
        var insight = Run(set, new IdentificationOptions { FpirTargets = new[] { 1.0 }, Convention = IdentificationConvention.InsightFace });
        Assert.Equal(0.0, strict.OperatingPoints[0].Fnir);  // T = .5 and the mate scores .5: a hit
        Assert.Equal(1.0, insight.OperatingPoints[0].Fnir); // .5 is not strictly above .5
    }

    [Fact]
    public void InsightFaceIndexTruncatesLikePython()
    {
        // 10 non-mated maxima .1 … 1.0; far 0.29: int(10 * 0.29) = int(2.9) = 2, index 1: the 2nd highest, 0.9.
        var set = new EvaluationSet();
        set.Add(Item("A", new[] { 1f, 0 }, "Gallery", "gA"));
        set.Add(Item("A", new[] { 1f, 0 }, "Probe", "p"));
        for (int i = 1; i <= 10; i++) set.Add(Item($"N{i}", new[] { i / 10f, 0 }, "Probe", $"n{i}"));
        var r = Run(set, new IdentificationOptions { FpirTargets = new[] { 0.29, 0.05 }, Convention = IdentificationConvention.InsightFace });
        Assert.Equal((double)0.9f, r.OperatingPoints[0].Threshold);
        Assert.Equal((double)1.0f, r.OperatingPoints[1].Threshold); // int(0.5) - 1 < 0: index 0
    }

    [Fact]
    public void PoolingAveragesWithinMediaSumsOverMediaAndNormalises()
    {
        var pooled = TemplatePooler.Pool(new (float[], string?)[] { (new[] { 1f, 0 }, "m1"), (new[] { 0f, 1 }, "m1"), (new[] { 1f, 0 }, "m2") })!;
        // m1: (.5, .5); m2: (1, 0); sum (1.5, .5) / sqrt(2.5).
        Assert.Equal(1.5 / Math.Sqrt(2.5), pooled[0], 6);
        Assert.Equal(0.5 / Math.Sqrt(2.5), pooled[1], 6);
        var own = TemplatePooler.Pool(new (float[], string?)[] { (new[] { 1f, 0 }, null), (new[] { 0f, 1 }, null), (new[] { 1f, 0 }, null) })!;
        Assert.Equal(2 / Math.Sqrt(5), own[0], 6); // each image its own media item: (2, 1) / sqrt 5
        Assert.Null(TemplatePooler.Pool(new (float[], string?)[] { (Array.Empty<float>(), null) }));
    }

    [Fact]
    public void PoolingWithMediaDecidesTheMateScoreInASearch()
    {
        var set = new EvaluationSet();
        set.Add(Item("A", new[] { 1f, 0 }, "Gallery", "a1", media: "m1"));
        set.Add(Item("A", new[] { 0f, 1 }, "Gallery", "a2", media: "m1"));
        set.Add(Item("A", new[] { 1f, 0 }, "Gallery", "a3", media: "m2"));
        set.Add(Item("B", new[] { 0.35f, 0.9367f }, "Gallery", "b1"));
        set.Add(Item("A", new[] { 0f, 1 }, "Probe", "p"));
        set.Add(Item("X", new[] { 0f, 1 }, "Probe", "n"));
        // Pooled by media A scores .316 for the probe (0, 1) and B .937: the mate ranks 2. Each image its own
        // entry (-TemplatePooling None), A's best image (0, 1) scores 1: rank 1.
        var media = Run(set, new IdentificationOptions { FpirTargets = new[] { 1.0 } });
        var none = Run(set, new IdentificationOptions { FpirTargets = new[] { 1.0 }, TemplatePooling = TemplatePooling.None });
        Assert.Equal(0.0, media.RankOneRate);
        Assert.Equal(1.0, none.RankOneRate);
        Assert.Equal(2, media.GalleryTemplates);
        Assert.Equal(2, none.GalleryTemplates);
        Assert.Equal(4, none.GalleryImages);
        Assert.Equal(1.0, none.OperatingPoints[0].Selectivity); // entries are identities: X (0, 1) reaches A (1) and B (.94) at T = lowest score .937
    }

    [Fact]
    public void FailuresToEnrolAreMissesAndNonAlarmsAndAGalleryWithoutEmbeddingIsLeftOut()
    {
        var set = Standard();
        set.Add(Item("A", Array.Empty<float>(), "Probe", "p5"));   // mated, no embedding: a miss
        set.Add(Item("I", Array.Empty<float>(), "Probe", "n6"));   // non-mated, no embedding: never alarms
        set.Add(Item("J", Array.Empty<float>(), "Gallery", "gJ")); // a gallery identity without an embedding
        set.Add(Item("J", new[] { 0f, .8f, 0 }, "Probe", "pJ"));    // so J's probe searches as non-mated (max .8)
        var warnings = new List<string>();
        var r = Run(set, new IdentificationOptions { FpirTargets = new[] { 0.5 }, MaxRank = 3 }, warnings: warnings);
        Assert.Equal(2, r.FailureToEnrol);
        Assert.Equal(1, r.GalleryFailureToEnrol);
        Assert.Equal(3, r.GalleryTemplates);
        Assert.Equal(5, r.MatedSearches);
        Assert.Equal(7, r.NonMatedSearches);
        Assert.Equal(2 / 5.0, r.RankOneRate);
        // 0.5 of 7: three alarms allowed; maxima .8 .7 .4 .3 .2 .1 −∞: above the 4th (.3) the lowest score is .4.
        var p = r.OperatingPoints[0];
        Assert.Equal((double).4f, p.Threshold);
        Assert.Equal(3 / 7.0, p.AchievedFpir);
        Assert.Equal(3 / 5.0, p.Fnir); // p1, p3 and p5 missed
        Assert.Contains(warnings, w => w.Contains("left out of the gallery") && w.Contains("J"));
    }

    [Fact]
    public void AnInputWithoutAValidRoleIsAnErrorAboutItAndTheRestIsMeasured()
    {
        var set = Standard();
        set.Add(Item("A", new[] { 1f, 0, 0 }, "Witness", "w"));
        var errors = new List<FaceEvalException>();
        var r = Run(set, errors: errors);
        Assert.Equal(FaceEvalError.InvalidRole, Assert.Single(errors).Error);
        Assert.Equal(4, r.MatedSearches);
    }

    [Fact]
    public void AGalleryGivenApartHoldsTheGalleryAndThePipelineTheProbes()
    {
        var all = Standard();
        var gallery = new EvaluationSet();
        var probes = new EvaluationSet();
        foreach (var i in all.Items("m")) (i.Attributes["Role"] == "Gallery" ? gallery : probes).Add(i with { ReadAttributes = null });
        var apart = Run(probes, gallery: gallery);
        var byRole = Run(all);
        Assert.Equal(byRole.Cmc, apart.Cmc);
        Assert.Equal(byRole.OperatingPoints.Select(p => p.Fnir), apart.OperatingPoints.Select(p => p.Fnir));
    }

    [Fact]
    public void SeededSplitEnrolsTheFirstImagesByPathAndKeepsAShareUnenrolled()
    {
        var set = new EvaluationSet();
        var r = new Random(3);
        for (int id = 0; id < 10; id++)
            for (int k = 0; k < 4; k++)
                set.Add(new EvaluationItem { Model = "m", Identity = $"id{id}", Label = $"id{id}/{k}.npy", Vector = new[] { (float)r.NextDouble(), (float)r.NextDouble(), (float)r.NextDouble() } });
        var result = new IdentificationRun(new IdentificationOptions { NonMatedShare = 0.3, EnrolCount = 2, Seed = 5 }).Run(set).Results.Single();
        Assert.Equal(7, result.GalleryTemplates);
        Assert.Equal(14, result.GalleryImages);
        Assert.Equal(7 * 2, result.MatedSearches);
        Assert.Equal(3 * 4, result.NonMatedSearches);
        var other = new IdentificationRun(new IdentificationOptions { NonMatedShare = 0.3, EnrolCount = 2, Seed = 5 }).Run(set).Results.Single();
        Assert.Equal(result.OperatingPoints.Select(p => p.Fnir), other.OperatingPoints.Select(p => p.Fnir)); // seeded: the same split
    }

    [Fact]
    public void StreamedSearchAgreesWithTheDefinitionsOverTheFullScoreMatrix()
    {
        // Enough entries for several tiles and more than the kept best scores; eighths, so that every dot
        // product is exact in any summation order and scores tie often.
        var rnd = new Random(11);
        int d = 5, classes = 300, probes = 77;
        float[] Vec() => Enumerable.Range(0, d).Select(_ => (float)(Math.Round((rnd.NextDouble() - 0.5) * 8) / 8)).ToArray();
        var entryClass = Enumerable.Range(0, 2 * classes).Select(e => e % classes).ToArray(); // two images per identity
        var gallery = new GalleryMatrix(Enumerable.Range(0, entryClass.Length).SelectMany(_ => Vec()).ToArray(), entryClass, classes, d);
        var mateClass = Enumerable.Range(0, probes).Select(p => p % 3 == 0 ? -1 : rnd.Next(classes)).ToArray();
        var probeSet = new ProbeSet(Enumerable.Range(0, probes).SelectMany(_ => Vec()).ToArray(), Enumerable.Repeat(true, probes).ToArray(), mateClass, Enumerable.Range(0, probes).ToArray());
        var s = SearchScorer.Search(gallery, probeSet);

        // The definitions, from the full matrix of identity scores (best image per identity).
        float Dot(int p, int e) { float x = 0; for (int j = 0; j < d; j++) x += probeSet.Vectors[p * d + j] * gallery.Vectors[e * d + j]; return x; }
        float[] Row(int p) { var row = Enumerable.Repeat(float.NegativeInfinity, classes).ToArray(); for (int e = 0; e < entryClass.Length; e++) row[entryClass[e]] = Math.Max(row[entryClass[e]], Dot(p, e)); return row; }
        var mated = Enumerable.Range(0, probes).Where(p => mateClass[p] >= 0).ToArray();
        var nonMated = Enumerable.Range(0, probes).Where(p => mateClass[p] < 0).ToArray();
        for (int i = 0; i < mated.Length; i++)
        {
            var row = Row(mated[i]);
            float m = row[mateClass[mated[i]]];
            Assert.Equal(m, s.MateScore[i]);
            Assert.Equal(row.Where((x, c) => c != mateClass[mated[i]] && x >= m).Count(), s.OthersAtOrAbove[i]);
            Assert.Equal(row.Where((x, c) => c != mateClass[mated[i]]).Max(), s.BestOther[i]);
        }
        for (int i = 0; i < nonMated.Length; i++) Assert.Equal(Row(nonMated[i]).Max(), s.NonMatedMax[i]);
        // Selectivity at low thresholds needs more than the kept 16 best scores: rescored exactly.
        var thresholds = new[] { -0.05, 0.0, 0.125, 0.3 };
        var sel = IdentificationMetrics.Selectivity(s, thresholds);
        for (int t = 0; t < thresholds.Length; t++)
        {
            float f = IdentificationMetrics.AsFloatThreshold(thresholds[t]);
            double expected = nonMated.Average(p => Row(p).Count(x => x >= f));
            Assert.Equal(expected, sel[t], 9);
        }
    }

    [Fact]
    public void SplitGalleryAveragesTheTwoGalleries()
    {
        // Every identity enrolled in G1 or G2 (seeded halves); each probe is mated in one, non-mated in the other.
        var set = new EvaluationSet();
        var rnd = new Random(2);
        for (int id = 0; id < 20; id++)
        {
            var centre = Enumerable.Range(0, 8).Select(_ => rnd.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < 3; k++)
                set.Add(new EvaluationItem { Model = "m", Identity = $"id{id:00}", Label = $"id{id:00}/{k}", Vector = centre.Select(c => (float)(c + 0.3 * (rnd.NextDouble() - 0.5))).ToArray() });
        }
        var r = new IdentificationRun(new IdentificationOptions { Protocol = IdentificationProtocol.SplitGallery, FpirTargets = new[] { 0.1 } }).Run(set).Results.Single();
        Assert.Equal(20, r.GalleryTemplates);
        Assert.Equal(40, r.MatedSearches);     // 20 identities x 2 probes, each mated in its own gallery
        Assert.Equal(40, r.NonMatedSearches);  // and non-mated in the other
        var p = r.OperatingPoints[0];
        Assert.False(double.IsNaN(p.ThresholdG2));
        Assert.Equal(1 - p.Fnir, p.Tpir, 12);
    }

    [Fact]
    public void TheAverageOfTwoGalleriesIsTheMeanOfTheirRates()
    {
        var a = new[] { new IdentificationOperatingPoint { TargetFpir = 0.1, Threshold = 0.5, Fnir = 0.2, Tpir = 0.8, AchievedFpir = 0.1, FalseAlarms = 3, Selectivity = 1, Estimable = true } };
        var b = new[] { new IdentificationOperatingPoint { TargetFpir = 0.1, Threshold = 0.6, Fnir = 0.4, Tpir = 0.6, AchievedFpir = 0.05, FalseAlarms = 1, Selectivity = 2, Estimable = true } };
        var m = IdentificationPoints.Average(a, b)[0];
        Assert.Equal(0.7, m.Tpir, 12);
        Assert.Equal(0.3, m.Fnir, 12);
        Assert.Equal(0.5, m.Threshold);
        Assert.Equal(0.6, m.ThresholdG2);
        Assert.Equal(4, m.FalseAlarms);
    }

    [Fact]
    public void GallerySizeCurveEndsAtTheFullGalleryWithTheIndependencePrediction()
    {
        var set = new EvaluationSet();
        var rnd = new Random(4);
        for (int id = 0; id < 40; id++)
        {
            var centre = Enumerable.Range(0, 8).Select(_ => rnd.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < 3; k++)
                set.Add(new EvaluationItem { Model = "m", Identity = $"id{id:00}", Label = $"id{id:00}/{k}", Vector = centre.Select(c => (float)(c + 0.4 * (rnd.NextDouble() - 0.5))).ToArray() });
        }
        var r = new IdentificationRun(new IdentificationOptions { FpirTargets = new[] { 0.1 }, GallerySizeCurve = true, GallerySizeDraws = 5 }).Run(set).Results.Single();
        Assert.Equal(new[] { 2, 5, 10, 20 }, r.GallerySizeCurve.Select(p => p.GallerySize));
        var last = r.GallerySizeCurve[^1];
        Assert.Equal(1, last.Draws);
        Assert.Equal(r.RankOneRate, last.RankOneRate);
        Assert.Equal(r.OperatingPoints[0].Fnir, last.Fnir[0]);
        Assert.Equal(r.OperatingPoints[0].AchievedFpir, last.FpirAtFullThreshold[0]);
        // FMR = SEL / N, so the prediction at N is 1 - (1 - SEL / N)^N.
        double fmr = r.OperatingPoints[0].Selectivity / r.GalleryTemplates;
        Assert.Equal(1 - Math.Pow(1 - fmr, r.GalleryTemplates), last.PredictedFpir[0], 12);
        Assert.All(r.GallerySizeCurve.SkipLast(1), p => Assert.Equal(5, p.Draws));
    }

    [Fact]
    public void BootstrapIntervalsSurroundTheEstimates()
    {
        var set = new EvaluationSet();
        var rnd = new Random(6);
        for (int id = 0; id < 60; id++)
        {
            var centre = Enumerable.Range(0, 8).Select(_ => rnd.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < 3; k++)
                set.Add(new EvaluationItem { Model = "m", Identity = $"id{id:00}", Label = $"id{id:00}/{k}", Vector = centre.Select(c => (float)(c + 0.5 * (rnd.NextDouble() - 0.5))).ToArray() });
        }
        foreach (var convention in new[] { IdentificationConvention.Strict, IdentificationConvention.InsightFace })
        {
            var r = new IdentificationRun(new IdentificationOptions { FpirTargets = new[] { 0.1 }, BootstrapCount = 200, Convention = convention }).Run(set).Results.Single();
            var p = r.OperatingPoints[0];
            Assert.InRange(p.Fnir, p.FnirLow!.Value, p.FnirHigh!.Value);
            Assert.True(p.FnirHigh > p.FnirLow);
            Assert.InRange(r.RankOneRate, r.RankOneLow!.Value, r.RankOneHigh!.Value);
            Assert.InRange(p.Threshold, p.ThresholdLow, p.ThresholdHigh);
        }
    }
}
