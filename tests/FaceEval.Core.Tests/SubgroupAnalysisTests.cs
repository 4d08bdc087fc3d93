using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>
/// The subgroup breakdown on small sets worked by hand: the definitions of SubgroupAnalysis (NIST per-group
/// FMR/FNMR at the global strict threshold, max/geomean, FDR with α = 0.5, n/e below 1/GroupFar pairs).
/// </summary>
public class SubgroupAnalysisTests
{
    // Eight images: identities a1, a2 (group F) and b1, b2 (group M), two images each, in this order.
    private static readonly string[] s_ids = { "a1", "a1", "a2", "a2", "b1", "b1", "b2", "b2" };
    private static readonly string[] s_sex = { "F", "F", "F", "F", "M", "M", "M", "M" };

    /// <summary>
    /// The score of each pair i &lt; j: genuine (0,1) 0.9, (2,3) 0.15, (4,5) 0.8, (6,7) 0.3 (ties T*);
    /// F impostors (0,2) 0.7, (0,3) 0.5, (1,2) 0.5, (1,3) 0.2; M impostors (4,6) 0.3 (ties T*), (4,7) 0.2,
    /// (5,6) 0.1, (5,7) 0.1; across F and M 0.1, except (1,5) 0.6.
    /// </summary>
    private static float[,] Matrix()
    {
        var s = new float[8, 8];
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) s[i, j] = 0.1f;
        void Set(int i, int j, float v) { s[i, j] = v; s[j, i] = v; }
        Set(0, 1, 0.9f); Set(2, 3, 0.15f); Set(4, 5, 0.8f); Set(6, 7, 0.3f);
        Set(0, 2, 0.7f); Set(0, 3, 0.5f); Set(1, 2, 0.5f); Set(1, 3, 0.2f);
        Set(4, 6, 0.3f); Set(4, 7, 0.2f); Set(5, 6, 0.1f); Set(5, 7, 0.1f);
        Set(1, 5, 0.6f);
        return s;
    }

    /// <summary>The scores of a matrix in the scorer's layout: rows i ascending over enrolled items, later enrolled j ascending.</summary>
    private static PairScores Layout(float[,] s, string[] ids, bool[] ok)
    {
        var genuine = new List<float>();
        var impostor = new List<float>();
        long gf = 0, mf = 0;
        for (int i = 0; i < ids.Length; i++)
            for (int j = i + 1; j < ids.Length; j++)
            {
                bool same = ids[i] == ids[j];
                if (!ok[i] || !ok[j]) { if (same) gf++; else mf++; continue; }
                (same ? genuine : impostor).Add(s[i, j]);
            }
        return new PairScores(genuine.ToArray(), impostor.ToArray(), gf, mf);
    }

    private static SubgroupBreakdown Measure(float[,] s, string[] ids, bool[] ok, double groupFar, params GroupAttribute[] attributes)
    {
        var scores = Layout(s, ids, ok);
        var all = ScoreSet.Create(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures);
        var input = new SubgroupInput { Identity = ids, Enrolled = ok, Attributes = attributes };
        return SubgroupAnalysis.Measure("m", input, scores, SubgroupAnalysis.GlobalThreshold(all, groupFar), groupFar);
    }

    private static bool[] All(int n) => Enumerable.Repeat(true, n).ToArray();

    [Fact]
    public void TwoGroupsWithTiesAtTheThresholdMatchTheHandWorkedRates()
    {
        var b = Measure(Matrix(), s_ids, All(8), 0.25, new GroupAttribute("Sex", s_sex));

        // 24 impostor scores, 0.25 allows 6 false matches: the 7th highest is 0.2, so T* is the next score of all
        // (genuine or impostor) above it, 0.3 (FMR 5/24); the pairs scoring exactly 0.3 are matches.
        Assert.Equal(0.3f, (float)b.Threshold);
        var f = b.Groups.Single(g => g.Group == "F");
        var m = b.Groups.Single(g => g.Group == "M");
        Assert.Equal(new[] { "F", "M" }, b.Groups.Select(g => g.Group));
        Assert.Equal((2, 4, 2L, 4L, 0), (f.Identities, f.Images, f.GenuinePairs, f.ImpostorPairs, f.FailureToEnrol));
        Assert.Equal((3L, 1L), (f.FalseMatches, f.FalseNonMatches));
        Assert.Equal(0.75, f.Fmr, 12); // 0.7, 0.5, 0.5 of 4
        Assert.Equal(0.5, f.Fnmr, 12); // 0.15 < 0.3
        Assert.Equal(0.25, m.Fmr, 12); // only (4,6), tied at 0.3
        Assert.Equal(0.0, m.Fnmr, 12); // (6,7) tied at 0.3 is accepted
        Assert.True(f.Estimable && m.Estimable);
        Assert.Equal(1.5, m.FnmrRuleOfThree, 12); // 3 / 2 genuine pairs
        Assert.True(double.IsNaN(m.FmrRuleOfThree));
        // Group thresholds: F alone allows 1 false match of 4, the 2nd highest impostor is 0.5, the next score 0.7.
        Assert.Equal(0.7f, (float)f.GroupThreshold);
        Assert.Equal(0.7 - 0.3, f.ThresholdShift, 6);
        Assert.Equal(0.3f, (float)m.GroupThreshold);
        Assert.Equal(0.0, m.ThresholdShift, 6);

        // Cross-group: 16 pairs between F and M, (1,5) at 0.6 matches.
        var cells = b.Cross.ToDictionary(c => (c.GroupA, c.GroupB));
        Assert.Equal(3, cells.Count);
        Assert.Equal((16L, 1L), (cells[("F", "M")].ImpostorPairs, cells[("F", "M")].FalseMatches));
        Assert.Equal(1.0 / 16, cells[("F", "M")].Fmr, 12);
        Assert.Equal(0.75, cells[("F", "F")].Fmr, 12);
        Assert.Equal(0.25, cells[("M", "M")].Fmr, 12);

        // max / geomean of 0.75 and 0.25 = 0.75 / sqrt(0.1875) = sqrt(3); FNMR has a zero: not estimable.
        var index = Assert.Single(b.Indices);
        Assert.Equal(Math.Sqrt(3), index.FmrInequity, 12);
        Assert.True(double.IsNaN(index.FnmrInequity));
        Assert.Contains("FNMR is 0 in M (0 of 2 genuine pairs; rule of three: below 1.5 at 95%)", index.Note);
        // FDR = 1 - (0.5 * |0.75 - 0.25| + 0.5 * |0.5 - 0|) = 0.5.
        Assert.Equal(0.5, index.Fdr, 12);
    }

    [Fact]
    public void WilsonGroupIntervalsFollowTheirHandWorkedEffectiveSizes()
    {
        var scores = Layout(Matrix(), s_ids, All(8));
        var all = ScoreSet.Create(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures);
        var input = new SubgroupInput { Identity = s_ids, Enrolled = All(8), Attributes = new[] { new GroupAttribute("Sex", s_sex) } };
        var b = SubgroupAnalysis.Measure("m", input, scores, SubgroupAnalysis.GlobalThreshold(all, 0.25), 0.25, bootstrap: 200, seed: 1, method: IntervalMethod.Wilson);
        var f = b.Groups.Single(g => g.Group == "F");
        var m = b.Groups.Single(g => g.Group == "M");
        // Korn–Graubard with 2 identities (1 degree of freedom): n_eff shrinks by (z₀.₉₇₅ / t₁,₀.₉₇₅)².
        double kg = Math.Pow(Distributions.NormalQuantile(0.975) / Distributions.StudentQuantile(0.975, 1), 2);
        // F's FNMR 1/2: without a1 it is 1/1, without a2 0/1; jackknife V = ½ · (0.25 + 0.25) = 0.25, n_eff = 0.25 / 0.25 = 1.
        var fnmr = WilsonInterval.TwoSided(0.5, 1 * kg, 0.95);
        Assert.Equal(fnmr.Low, f.FnmrLow!.Value, 9);
        Assert.Equal(fnmr.High, f.FnmrHigh!.Value, 9);
        // F's FMR 3/4 on its 4 impostor pairs, all between a1 and a2: leaving either out leaves none, and every bootstrap draw with both
        // gives 3/4 again, so nothing varies: n_eff = n₀ = (4 + 4)² / (4² + 4²) = 2 (each pair counted for both identities).
        var fmr = WilsonInterval.TwoSided(0.75, 2 * kg, 0.95);
        Assert.Equal(fmr.Low, f.FmrLow!.Value, 9);
        Assert.Equal(fmr.High, f.FmrHigh!.Value, 9);
        // M's FNMR 0 of 2 genuine pairs, one per identity: [0, 1 − 0.05^(1/n₀)] with n₀ = (1 + 1)² / (1² + 1²) = 2.
        Assert.Equal(0, m.FnmrLow!.Value);
        Assert.Equal(1 - Math.Sqrt(0.05), m.FnmrHigh!.Value, 12);
    }

    [Fact]
    public void AGroupTooSmallForTheTargetIsNotEstimableNeverZero()
    {
        // Site S2 = images 5 and 7 (b1's and b2's second): no genuine pair and 1 impostor pair, fewer than 1/0.25.
        var site = new[] { "S1", "S1", "S1", "S1", "S1", "S2", "S1", "S2" };
        var b = Measure(Matrix(), s_ids, All(8), 0.25, new GroupAttribute("Site", site));
        var s1 = b.Groups.Single(g => g.Group == "S1");
        var s2 = b.Groups.Single(g => g.Group == "S2");
        Assert.Equal((0L, 1L, 0L), (s2.GenuinePairs, s2.ImpostorPairs, s2.FalseMatches));
        Assert.False(s2.FmrEstimable);
        Assert.False(s2.FnmrEstimable);
        Assert.True(double.IsNaN(s2.Fmr) && double.IsNaN(s2.Fnmr) && double.IsNaN(s2.GroupThreshold));
        // S1: genuine (0,1) 0.9 and (2,3) 0.15; 13 impostor pairs, of which 0.7, 0.5, 0.5 and (4,6) 0.3 match.
        Assert.Equal((2L, 13L), (s1.GenuinePairs, s1.ImpostorPairs));
        Assert.Equal(4.0 / 13, s1.Fmr, 12);
        Assert.Equal(0.5, s1.Fnmr, 12);
        var between = b.Cross.Single(c => c.GroupA == "S1" && c.GroupB == "S2");
        Assert.Equal((10L, 1L), (between.ImpostorPairs, between.FalseMatches));
        Assert.False(b.Cross.Single(c => c.GroupA == "S2" && c.GroupB == "S2").Estimable);
        var index = Assert.Single(b.Indices);
        Assert.True(double.IsNaN(index.FmrInequity) && double.IsNaN(index.FnmrInequity) && double.IsNaN(index.Fdr));
        Assert.Contains("FMR n/e (fewer than 4 impostor pairs) and left out of the FMR indices: S2", index.Note);
    }

    [Fact]
    public void FailuresToEnrolAreRejectionsOfTheirGroupAndUnlabelledImagesAreLeftOut()
    {
        // Image 3 (a2's second) failed to enrol: genuine (2,3) and its three F impostor pairs are rejections.
        var ok = All(8);
        ok[3] = false;
        var sex = (string?[])s_sex.Clone();
        sex[7] = null; // b2's second image has no value: left out of Sex, with its pairs
        var b = Measure(Matrix(), s_ids, ok, 0.25, new GroupAttribute("Sex", sex));
        var f = b.Groups.Single(g => g.Group == "F");
        var m = b.Groups.Single(g => g.Group == "M");
        Assert.Equal((1, 2L, 4L), (f.FailureToEnrol, f.GenuinePairs, f.ImpostorPairs));
        Assert.Equal(0.5, f.Fnmr, 12); // (2,3) is a failure to enrol: a non-match
        // 18 scored impostors + 6 with image 3 = 24; 6 allowed: 0.7 0.6 0.5 0.3 0.2 lie above 0.1, the 7th highest,
        // so T* is the lowest score above 0.1: 0.2. F's matches: 0.7 and 0.5 of 4 (two pairs with image 3 never match).
        Assert.Equal(0.2f, (float)b.Threshold);
        Assert.Equal(0.5, f.Fmr, 12);
        // M without image 7: b1, b2; genuine (4,5); impostors (4,6) and (5,6): 2 pairs, fewer than 1/0.25.
        Assert.Equal((2, 3, 1L, 2L), (m.Identities, m.Images, m.GenuinePairs, m.ImpostorPairs));
        Assert.False(m.FmrEstimable);
        Assert.True(double.IsNaN(m.Fmr));
        Assert.Equal(1, b.Indices[0].Unlabelled);
    }

    [Fact]
    public void ReadsThePairScorersOwnLayout()
    {
        // Vectors with a failure to enrol: the breakdown from PairScorer's arrays equals the one from a matrix of the same dot products.
        var r = new Random(5);
        int n = 30;
        var ids = Enumerable.Range(0, n).Select(i => $"id{i / 3}").ToArray();
        var vectors = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 4).Select(_ => (float)Math.Round(r.NextDouble() - 0.5, 1)).ToArray()).ToArray();
        vectors[4] = Array.Empty<float>();
        var groups = Enumerable.Range(0, n).Select(i => (i / 3) % 3 == 0 ? "x" : (i / 3) % 3 == 1 ? "y" : "z").ToArray();
        var attribute = new GroupAttribute("G", groups);
        var direct = SubgroupAnalysis.Measure("m", vectors, ids, new[] { attribute }, 0.05);

        var s = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                s[i, j] = vectors[i].Length == 0 || vectors[j].Length == 0 ? 0 : System.Numerics.Tensors.TensorPrimitives.Dot(vectors[i], vectors[j]);
        var fromMatrix = Measure(s, ids, vectors.Select(v => v.Length > 0).ToArray(), 0.05, attribute);
        Assert.Equal(fromMatrix.Threshold, direct.Threshold);
        Assert.Equal(fromMatrix.Groups.Select(g => (g.Fmr, g.Fnmr, g.FalseMatches, g.ImpostorPairs)), direct.Groups.Select(g => (g.Fmr, g.Fnmr, g.FalseMatches, g.ImpostorPairs)));
        Assert.Equal(fromMatrix.Cross.Select(c => (c.FalseMatches, c.ImpostorPairs)), direct.Cross.Select(c => (c.FalseMatches, c.ImpostorPairs)));
        // Scores in another layout do not go unnoticed.
        var shuffled = PairScorer.ScoreAllPairs(vectors, ids);
        var input = new SubgroupInput { Identity = ids.Take(n - 1).ToArray(), Enrolled = vectors.Take(n - 1).Select(v => v.Length > 0).ToArray(), Attributes = new[] { new GroupAttribute("G", groups.Take(n - 1).ToArray()) } };
        Assert.Throws<ArgumentException>(() => SubgroupAnalysis.Measure("m", input, shuffled, 0.5, 0.05));
    }

    [Fact]
    public void ReplicatesThatCannotGiveAnIndexAreLeftOutOfItsIntervalAndCounted()
    {
        // Two identities per group: a replicate that draws one identity twice has no impostor pair in that group,
        // so no FMR there and no FMR inequity or FDR; the estimate on all identities has them.
        var scores = Layout(Matrix(), s_ids, All(8));
        var all = ScoreSet.Create(scores.Genuine, scores.Impostor);
        var input = new SubgroupInput { Identity = s_ids, Enrolled = All(8), Attributes = new[] { new GroupAttribute("Sex", s_sex) } };
        var b = SubgroupAnalysis.Measure("m", input, scores, SubgroupAnalysis.GlobalThreshold(all, 0.25), 0.25, bootstrap: 100, seed: 2);
        var index = Assert.Single(b.Indices);
        Assert.Equal(Math.Sqrt(3), index.FmrInequity, 12);
        var m = System.Text.RegularExpressions.Regex.Match(index.Note, @"(\d+) of 100 bootstrap replicates could not give the FMR inequity");
        Assert.True(m.Success, index.Note);
        Assert.InRange(int.Parse(m.Groups[1].Value), 50, 100); // each group draws the same identity twice half the time
        Assert.Contains("could not give the FDR", index.Note);
    }

    [Fact]
    public void TheIndicesFollowTheirDefinitions()
    {
        Assert.Equal(4 / Math.Pow(1 * 2 * 4, 1.0 / 3), SubgroupAnalysis.MaxOverGeometricMean(new[] { 1e-3, 2e-3, 4e-3 }), 12);
        Assert.Equal(1.0, SubgroupAnalysis.MaxOverGeometricMean(new[] { 0.01, 0.01 }), 12);
        Assert.True(double.IsNaN(SubgroupAnalysis.MaxOverGeometricMean(new[] { 0.01, 0.0 })));
        Assert.True(double.IsNaN(SubgroupAnalysis.MaxOverGeometricMean(new[] { 0.01 })));
        Assert.Equal(1 - (0.5 * 0.03 + 0.5 * 0.2), SubgroupAnalysis.FairnessDiscrepancyRate(new[] { 0.01, 0.04, 0.02 }, new[] { 0.1, 0.3 }), 12);
        Assert.Equal(1.0, SubgroupAnalysis.FairnessDiscrepancyRate(new[] { 0.01, 0.01 }, new[] { 0.2, 0.2 }), 12);
        Assert.True(double.IsNaN(SubgroupAnalysis.FairnessDiscrepancyRate(new[] { 0.01 }, new[] { 0.2, 0.2 })));
    }

    [Fact]
    public void TheBootstrapResamplesIdentitiesWithinGroupsReproduciblyAndBracketsTheRates()
    {
        var r = new Random(11);
        var vectors = new List<float[]>();
        var ids = new List<string>();
        var groups = new List<string>();
        for (int id = 0; id < 40; id++)
        {
            var centre = Enumerable.Range(0, 8).Select(_ => r.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < 4; k++)
            {
                vectors.Add(centre.Select(c => (float)(c + 0.5 * (r.NextDouble() - 0.5))).ToArray());
                ids.Add($"id{id}");
                groups.Add(id % 2 == 0 ? "even" : "odd");
            }
        }
        var attribute = new[] { new GroupAttribute("Parity", groups) };
        var a = SubgroupAnalysis.Measure("m", vectors, ids, attribute, 0.01, bootstrap: 200, seed: 3);
        var b = SubgroupAnalysis.Measure("m", vectors, ids, attribute, 0.01, bootstrap: 200, seed: 3);
        var plain = SubgroupAnalysis.Measure("m", vectors, ids, attribute, 0.01);
        Assert.Equal(a.Groups.Select(g => (g.FmrLow, g.FmrHigh, g.FnmrLow, g.FnmrHigh)), b.Groups.Select(g => (g.FmrLow, g.FmrHigh, g.FnmrLow, g.FnmrHigh)));
        Assert.All(plain.Groups, g => Assert.Null(g.FmrLow));
        foreach (var g in a.Groups)
        {
            Assert.InRange(g.Fmr, g.FmrLow!.Value, g.FmrHigh!.Value);
            Assert.InRange(g.Fnmr, g.FnmrLow!.Value, g.FnmrHigh!.Value);
            Assert.True(g.FmrHigh > g.FmrLow, "identities differ, so the resampled FMR varies");
        }
        // The estimates are those without the bootstrap.
        Assert.Equal(plain.Groups.Select(g => g.Fmr), a.Groups.Select(g => g.Fmr));
        var index = a.Indices[0];
        if (!double.IsNaN(index.Fdr)) Assert.InRange(index.Fdr, index.FdrLow!.Value - 1e-12, index.FdrHigh!.Value + 1e-12);
    }
}
