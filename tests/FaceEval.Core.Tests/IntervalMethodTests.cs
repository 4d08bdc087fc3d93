using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>The interval methods of #20 on hand-worked cases: every value below is worked out from the definitions in the comments, or is a published table value.</summary>
public class IntervalMethodTests
{
    [Fact]
    public void DistributionFunctionsMatchTabulatedValues()
    {
        Assert.Equal(1.959963984540054, Distributions.NormalQuantile(0.975), 12);
        Assert.Equal(-1.959963984540054, Distributions.NormalQuantile(0.025), 12);
        Assert.Equal(0.9750021048517795, Distributions.NormalCdf(1.96), 13);
        Assert.Equal(-4.753424308822899, Distributions.NormalQuantile(1e-6), 9);
        // I_0.5(2, 3) = Σ_{j=2..4} C(4, j) / 16 = 11/16.
        Assert.Equal(11.0 / 16, Distributions.IncompleteBeta(0.5, 2, 3), 13);
        Assert.Equal(0.660482273581907, Distributions.IncompleteBeta(0.3, 2.5, 7.25), 12); // mpmath betainc
        Assert.Equal(Math.Log(24), Distributions.LogGamma(5), 12);
    }

    [Fact]
    public void WilsonAndClopperPearsonReproduceNewcombesExample()
    {
        // Newcombe 1998 (Statistics in Medicine 17:857), 81 of 263: Wilson 0.2553–0.3662, exact 0.2527–0.3676.
        var wilson = WilsonInterval.TwoSided(81.0 / 263, 263, 0.95);
        Assert.Equal(0.2553, wilson.Low, 4);
        Assert.Equal(0.3662, wilson.High, 4);
        var exact = ClopperPearsonInterval.TwoSided(81.0 / 263, 263, 0.95);
        Assert.Equal(0.252736745585271, exact.Low, 9);
        Assert.Equal(0.367621922601351, exact.High, 9);
        // Half of p = 0.5 at n = 100: centre 0.5, half-width z/(1 + z²/n) · √(0.0025 + z²/40000).
        double z = 1.959963984540054, half = z / (1 + z * z / 100) * Math.Sqrt(0.0025 + z * z / 40000);
        Assert.Equal(0.5 - half, WilsonInterval.TwoSided(0.5, 100, 0.95).Low, 12);
        // Fractional (effective) counts: x = 3.5 of n = 100 (mpmath beta quantiles).
        var fractional = ClopperPearsonInterval.TwoSided(0.035, 100, 0.95);
        Assert.Equal(0.00852028310740358, fractional.Low, 9);
        Assert.Equal(0.0922896420414816, fractional.High, 9);
    }

    [Fact]
    public void AllCorrectGivesTheClusteredRuleOfThreeNeverAZeroWidthInterval()
    {
        // Three identities of ten genuine pairs each, no error: ρ cannot be estimated, so ρ = 1 and n₀ = N / m₀ = 30 / 10 = 3.
        double[] trials = [10, 10, 10];
        var schuckers = EffectiveSampleSize.Schuckers([0, 0, 0], trials);
        Assert.Equal(3, schuckers.Effective, 12);
        Assert.Equal(10, schuckers.DesignEffect, 12);
        double upper = 1 - Math.Pow(0.05, 1.0 / 3); // 0.6316
        foreach (var method in Enum.GetValues<IntervalMethod>())
        {
            var b = RateInterval.Of(method, 0, [0, 0, 0], 30, trials, 0.95, [0, 0, 0, 0]);
            Assert.Equal(0, b.Interval.Low);
            Assert.Equal(upper, b.Interval.High, 12);
            Assert.Equal(upper, b.Upper, 12);
            Assert.True(b.NoErrorObserved);
        }
        // The exact form of the rule of three: 3/n for large n.
        Assert.InRange(RateInterval.ZeroErrorUpper(1000, 0.95), 0.00299, 0.003);
    }

    [Fact]
    public void AllWrongGivesAnIntervalUpToOneOnTheConservativeEffectiveSize()
    {
        // Every pair an error: n_eff = n₀ = 3, Wilson's lower bound at p̂ = 1 is n/(n + z²).
        double[] trials = [10, 10, 10];
        double z2 = Math.Pow(1.959963984540054, 2);
        var wilson = RateInterval.Of(IntervalMethod.Wilson, 1, [1, 1, 1], 30, trials, 0.95, dfAdjust: false);
        Assert.Equal(3 / (3 + z2), wilson.Interval.Low, 12);
        Assert.Equal(1, wilson.Interval.High);
        // Clopper–Pearson at x = n: lower = (α/2)^(1/n).
        var exact = RateInterval.Of(IntervalMethod.ClopperPearson, 1, [1, 1, 1], 30, trials, 0.95, dfAdjust: false);
        Assert.Equal(Math.Pow(0.025, 1.0 / 3), exact.Interval.Low, 9);
    }

    [Fact]
    public void OneIdentityDominatingTheErrorsShrinksTheEffectiveSize()
    {
        // Four identities of five trials; identity 0 fails all five, the others none: p̂ = 5/20 = 0.25.
        double[] errors = [5, 0, 0, 0], trials = [5, 5, 5, 5];
        // Schuckers: residuals eᵢ − p̂mᵢ = 3.75, −1.25 ×3; within-identity cross products 14.0625 − 2.8125 = 11.25 and
        // 1.5625 − 0.3125 = 1.25 (×3), 15 in all, over p̂(1 − p̂)·Σmᵢ(mᵢ − 1) = 0.1875 · 80 = 15: ρ̂ = 1, deff = 1 + 4·1 = 5, n_eff = 4.
        var s = EffectiveSampleSize.Schuckers(errors, trials);
        Assert.Equal(0.25, s.Rate, 12);
        Assert.Equal(1, s.Rho, 12);
        Assert.Equal(5, s.DesignEffect, 12);
        Assert.Equal(4, s.Effective, 12);
        // Jackknife: leaving identity 0 out gives 0/15, any other 5/15; mean 0.25; V = 3/4 · (0.0625 + 3 · (1/12)²) = 0.0625,
        // so n_eff = 0.1875 / 0.0625 = 3.
        double[] leaveOneOut = [0, 1.0 / 3, 1.0 / 3, 1.0 / 3];
        Assert.Equal(0.0625, EffectiveSampleSize.JackknifeVariance(leaveOneOut), 12);
        var b = RateInterval.Of(IntervalMethod.Wilson, 0.25, leaveOneOut, 20, trials, 0.95, dfAdjust: false);
        Assert.Equal(3, b.EffectiveTrials, 12);
        Assert.Equal(WilsonInterval.TwoSided(0.25, 3, 0.95), b.Interval);
        // Spread over the identities instead (one error each of four, p̂ = 0.2): no clustering is seen, n_eff = N.
        var spread = EffectiveSampleSize.Schuckers([1, 1, 1, 1], trials);
        Assert.Equal(0, spread.Rho, 12);
        Assert.Equal(20, spread.Effective, 12);
        Assert.True(b.Interval.High - b.Interval.Low > WilsonInterval.TwoSided(0.25, 20, 0.95).High - WilsonInterval.TwoSided(0.25, 20, 0.95).Low);
    }

    [Fact]
    public void BcaIsThePercentileIntervalWithoutBiasOrSkewAndShiftsWithTheBias()
    {
        var replicates = Enumerable.Range(1, 99).Select(v => (double)v).ToArray();
        double[] symmetric = [-2, -1, 0, 1, 2];
        // 49 below 50 and one equal (counting one half): share 0.5, z₀ = 0; symmetric jackknife: a = 0.
        var (z0, a) = BcaInterval.Corrections(50, replicates, symmetric);
        Assert.Equal(0, z0, 12);
        Assert.Equal(0, a, 12);
        Assert.Equal(PercentileInterval.TwoSided(replicates, 0.9).Low, BcaInterval.TwoSided(50, replicates, symmetric, 0.9).Low, 9);
        Assert.Equal(PercentileInterval.TwoSided(replicates, 0.9).High, BcaInterval.TwoSided(50, replicates, symmetric, 0.9).High, 9);
        // Estimate 85: 84 below, one equal, share 84.5/99; bounds at Φ(2z₀ ∓ z) of the replicates.
        double bias = Distributions.NormalQuantile(84.5 / 99), z = Distributions.NormalQuantile(0.95);
        var shifted = BcaInterval.TwoSided(85, replicates, symmetric, 0.9);
        Assert.Equal(Bootstrap.Quantile(replicates, Distributions.NormalCdf(2 * bias - z)), shifted.Low, 12);
        Assert.Equal(Bootstrap.Quantile(replicates, Distributions.NormalCdf(2 * bias + z)), shifted.High, 12);
        // Acceleration: Σd³ / (6 (Σd²)^{3/2}) with d = θ̄ − θ₍ᵢ₎; jackknife 0, 0, 0, 4 has mean 1, d = 1, 1, 1, −3: (3 − 27) / (6 · 12^{1.5}).
        Assert.Equal(-24 / (6 * Math.Pow(12, 1.5)), BcaInterval.Corrections(50, replicates, [0, 0, 0, 4]).Acceleration, 12);
    }

    [Fact]
    public void JackknifeValuesAreTheMetricsWithoutEachIdentity()
    {
        // Four identities, two images each (one genuine pair each), all pairs of the 8 images.
        float[] gen = [0.9f, 0.8f, 0.3f, 0.85f];
        var scores = new List<float>();
        var a = new List<int>();
        var b = new List<int>();
        for (int i = 0; i < 4; i++) { scores.Add(gen[i]); a.Add(i); b.Add(i); }
        var r = new Random(3);
        for (int i = 0; i < 4; i++)
            for (int k = i + 1; k < 4; k++)
                for (int n = 0; n < 4; n++) { scores.Add((float)Math.Round(r.NextDouble() * 0.6, 2)); a.Add(i); b.Add(k); }
        var pairs = LabelledPairs.Create(scores.ToArray(), a.ToArray(), b.ToArray(), 4);
        var targets = new[] { 0.1, 0.25 };
        var (tar, eer) = IdentityJackknife.Values(pairs, targets);
        for (int left = 0; left < 4; left++)
        {
            var keep = Enumerable.Range(0, scores.Count).Where(p => a[p] != left && b[p] != left).ToList();
            var set = ScoreSet.Create(keep.Where(p => a[p] == b[p]).Select(p => scores[p]).ToArray(), keep.Where(p => a[p] != b[p]).Select(p => scores[p]).ToArray());
            var points = VerificationMetrics.TarAtFar(set, targets);
            for (int k = 0; k < targets.Length; k++) Assert.Equal(points[k].Tar, tar[k][left], 12);
            Assert.Equal(VerificationMetrics.Eer(set).Eer, eer[left], 12);
        }
    }

    [Fact]
    public void VerificationIntervalsWithNoFalseRejectGiveAOneSidedBoundAboveZero()
    {
        // Genuine scores all above every impostor score: TAR 100 % at each target, no error to see.
        var scores = new List<float>();
        var a = new List<int>();
        var b = new List<int>();
        int ids = 40;
        var r = new Random(5);
        for (int i = 0; i < ids; i++)
            for (int n = 0; n < 3; n++) { scores.Add(0.8f + (float)r.NextDouble() * 0.1f); a.Add(i); b.Add(i); } // 3 genuine pairs of 3 images
        for (int i = 0; i < ids; i++)
            for (int k = i + 1; k < ids; k++)
                for (int n = 0; n < 9; n++) { scores.Add((float)r.NextDouble() * 0.5f); a.Add(i); b.Add(k); }
        var pairs = LabelledPairs.Create(scores.ToArray(), a.ToArray(), b.ToArray(), ids);
        foreach (var method in Enum.GetValues<IntervalMethod>())
        {
            var v = VerificationIntervals.Compute(pairs, [0.01], method, 0.95, 200, false, 1);
            double upper = 1 - Math.Pow(0.05, 1.0 / ids); // n₀ = 120 / 3 = 40 identities
            Assert.Equal(upper, v.FnmrUpper[0], 12);
            Assert.Equal(1 - upper, v.Tar[0].Low, 12);
            Assert.Equal(1, v.Tar[0].High);
            Assert.True(v.TarApproximate[0]);
            Assert.Equal(method, v.Method);
            Assert.True(v.Eer.High > 0);
        }
    }

    [Fact]
    public void DegreesOfFreedomAdjustmentShrinksTheEffectiveSizeByTheSquaredQuantileRatio()
    {
        // Student t: t(0.975; 29) = 2.045229642132703 (tables), t(0.975; 1) = tan(0.475π) = 12.7062.
        Assert.Equal(2.045229642132703, Distributions.StudentQuantile(0.975, 29), 9);
        Assert.Equal(Math.Tan(0.475 * Math.PI), Distributions.StudentQuantile(0.975, 1), 8);
        double ratio = 1.959963984540054 / 2.045229642132703;
        Assert.Equal(100 * ratio * ratio, EffectiveSampleSize.DegreesOfFreedomAdjusted(100, 29, 0.975), 8);
        // Thirty identities, one error in each of six: the Wilson interval is that of the adjusted n_eff.
        var trials = Enumerable.Repeat(10.0, 30).ToArray();
        var jack = Enumerable.Range(0, 30).Select(i => i < 6 ? 5.0 / 290 : 6.0 / 290).ToArray();
        double nEff = EffectiveSampleSize.FromVariance(0.02, EffectiveSampleSize.JackknifeVariance(jack), 300);
        var b = RateInterval.Of(IntervalMethod.Wilson, 0.02, jack, 300, trials, 0.95);
        Assert.Equal(nEff * ratio * ratio, b.EffectiveTrials, 9);
        Assert.Equal(WilsonInterval.TwoSided(0.02, nEff * ratio * ratio, 0.95).Low, b.Interval.Low, 12);
        Assert.Equal(WilsonInterval.TwoSided(0.02, nEff * ratio * ratio, 0.95).High, b.Interval.High, 12);
        double one = Distributions.NormalQuantile(0.95) / Distributions.StudentQuantile(0.95, 29);
        Assert.Equal(WilsonInterval.Upper(0.02, nEff * one * one, 0.95), b.Upper, 12);
    }

    // All pairs of 30 identities × 4 images: random 6-dimensional vectors around a centre per identity (seed 9).
    private static LabelledPairs ThirtyIdentitiesOfFourImages()
    {
        var r = new Random(9);
        var vectors = new List<float[]>();
        var ids = new List<string>();
        for (int id = 0; id < 30; id++)
        {
            var centre = Enumerable.Range(0, 6).Select(_ => r.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < 4; k++) { vectors.Add(centre.Select(c => (float)(c + 0.5 * (r.NextDouble() - 0.5))).ToArray()); ids.Add($"id{id}"); }
        }
        return LabelledPairs.AllPairs(vectors, ids);
    }

    [Fact]
    public void TarIntervalsTakeTheLargerOfJackknifeAndBootstrapVarianceBelowThreeHundredIdentities()
    {
        // 30 identities × 4 images: below EffectiveSampleSize.JackknifeAloneIdentities, so FNMR's n_eff is that of
        // the larger of the two variances, each shrunk by Korn–Graubard's factor (29 degrees of freedom).
        var pairs = ThirtyIdentitiesOfFourImages();
        double[] targets = [0.1, 0.01];
        var genuine = Enumerable.Range(0, pairs.A.Length).Where(p => pairs.A[p] == pairs.B[p]).Select(p => pairs.Scores[p]).ToArray();
        var impostor = Enumerable.Range(0, pairs.A.Length).Where(p => pairs.A[p] != pairs.B[p]).Select(p => pairs.Scores[p]).ToArray();
        var points = VerificationMetrics.TarAtFar(ScoreSet.Create(genuine, impostor), targets);
        var jackknifeAlone = VerificationIntervals.Compute(pairs, targets, IntervalMethod.Wilson, 0.95, 0, false, 4);
        var withBootstrap = VerificationIntervals.Compute(pairs, targets, IntervalMethod.Wilson, 0.95, 200, false, 4);
        var draws = BootstrapReplicates.Draw(pairs, targets, 200, 4);
        int widened = 0;
        for (int k = 0; k < targets.Length; k++)
        {
            double fnmr = 1 - points[k].Tar;
            Assert.InRange(fnmr, 0.001, 0.999);
            double fromBootstrap = EffectiveSampleSize.DegreesOfFreedomAdjusted(
                EffectiveSampleSize.FromVariance(fnmr, EffectiveSampleSize.BootstrapVariance(draws.Tar[k]), genuine.Length), 29, 0.975);
            double expected = Math.Min(jackknifeAlone.TarEffectivePairs[k], fromBootstrap);
            Assert.Equal(expected, withBootstrap.TarEffectivePairs[k], 9);
            if (fromBootstrap < jackknifeAlone.TarEffectivePairs[k]) widened++;
        }
        Assert.True(widened > 0, "the bootstrap's variance should be the larger at one target at least on this set");
    }

    [Fact]
    public void PercentileMethodKeepsTheEarlierBootstrapIntervals()
    {
        // The Percentile method is the earlier -BootstrapCount interval: same draws, same percentiles.
        var pairs = ThirtyIdentitiesOfFourImages();
        double[] targets = [0.1, 0.01];
        var before = Bootstrap.Intervals(pairs, targets, 200, seed: 4);
        var now = VerificationIntervals.Compute(pairs, targets, IntervalMethod.Percentile, 0.95, 200, false, 4);
        for (int k = 0; k < targets.Length; k++)
        {
            if (before.Tar[k].High == 1 && before.Tar[k].Low == 1) continue; // no error: now the rule of three
            Assert.Equal(before.Tar[k].Low, now.Tar[k].Low, 12);
            Assert.Equal(before.Tar[k].High, now.Tar[k].High, 12);
            Assert.Equal(before.Threshold[k], now.Threshold[k]);
        }
        Assert.Equal(before.Eer.Low, now.Eer.Low, 12);
        Assert.Equal(before.Eer.High, now.Eer.High, 12);
    }

    [Fact]
    public void WilsonCanTakeTheLargerOfTheJackknifeAndBootstrapVariances()
    {
        // Bootstrap variance: 0.1, 0.2, 0.3 (NaN skipped), mean 0.2, Σd² = 0.02, over B − 1 = 2: 0.01.
        Assert.Equal(0.01, EffectiveSampleSize.BootstrapVariance([0.1, double.NaN, 0.2, 0.3]), 12);
        Assert.True(double.IsNaN(EffectiveSampleSize.BootstrapVariance([0.1, double.NaN])));
        double[] trials = [5, 5, 5, 5];
        // Jackknife 0, 1/3, 1/3, 1/3: V = 0.0625 (the hand-worked case above), n_eff = 0.1875 / 0.0625 = 3.
        double[] leaveOneOut = [0, 1.0 / 3, 1.0 / 3, 1.0 / 3];
        // Replicates of variance 0.1875 / 2 = 0.09375 (two values 0.25 ± √0.046875, B − 1 = 1): larger, n_eff = 2.
        double d = Math.Sqrt(0.046875);
        var wider = RateInterval.Of(IntervalMethod.Wilson, 0.25, leaveOneOut, 20, trials, 0.95, [0.25 - d, 0.25 + d], dfAdjust: false, largerVariance: true);
        Assert.Equal(2, wider.EffectiveTrials, 9);
        // Without largerVariance (rates at a fixed threshold: subgroups) the replicates do not enter: the jackknife's n_eff = 3.
        Assert.Equal(3, RateInterval.Of(IntervalMethod.Wilson, 0.25, leaveOneOut, 20, trials, 0.95, [0.25 - d, 0.25 + d], dfAdjust: false).EffectiveTrials, 12);
        Assert.Equal(WilsonInterval.TwoSided(0.25, 2, 0.95).High, wider.Interval.High, 9);
        // Replicates that vary less than the jackknife: the jackknife's n_eff = 3 stays.
        var same = RateInterval.Of(IntervalMethod.ClopperPearson, 0.25, leaveOneOut, 20, trials, 0.95, [0.24, 0.26], dfAdjust: false, largerVariance: true);
        Assert.Equal(3, same.EffectiveTrials, 12);
        // No jackknife variance (every value NaN): the bootstrap's alone.
        var only = RateInterval.Of(IntervalMethod.Wilson, 0.25, [double.NaN, double.NaN], 20, trials, 0.95, [0.25 - d, 0.25 + d], dfAdjust: false, largerVariance: true);
        Assert.Equal(2, only.EffectiveTrials, 9);
    }

    [Theory]
    [InlineData(299, true)]
    [InlineData(300, false)]
    public void TheLargerVarianceAppliesOnlyBelowThreeHundredIdentities(int identities, bool bootstrapEnters)
    {
        // The coverage study's switch (EffectiveSampleSize.JackknifeAloneIdentities): from 300 identities the
        // jackknife alone held the level for the EER and FNMR, so replicates that vary far more no longer widen them.
        Assert.Equal(300, EffectiveSampleSize.JackknifeAloneIdentities);
        var trials = Enumerable.Repeat(10.0, identities).ToArray();
        var leaveOneOut = Enumerable.Range(0, identities).Select(i => 0.05 + (i % 2 == 0 ? 1e-4 : -1e-4)).ToArray();
        double[] replicates = [0.02, 0.08, 0.03, 0.07];
        var jackknifeOnly = RateInterval.Of(IntervalMethod.Wilson, 0.05, leaveOneOut, 10.0 * identities, trials, 0.95, replicates, dfAdjust: false);
        var asked = RateInterval.Of(IntervalMethod.Wilson, 0.05, leaveOneOut, 10.0 * identities, trials, 0.95, replicates, dfAdjust: false, largerVariance: true);
        double expected = bootstrapEnters ? 0.05 * 0.95 / EffectiveSampleSize.BootstrapVariance(replicates) : jackknifeOnly.EffectiveTrials;
        Assert.Equal(expected, asked.EffectiveTrials, 9);
        Assert.Equal(bootstrapEnters, asked.EffectiveTrials < jackknifeOnly.EffectiveTrials);
    }

    [Fact]
    public void TheEersIntervalIsApproximateWithAboutOneGenuinePairPerIdentity()
    {
        // m0 = sum m^2 / sum m. 40 identities of 1 genuine pair (2 images): m0 = 1, approximate although 100 errors are expected.
        var single = Enumerable.Repeat(1.0, 40).ToArray();
        Assert.True(VerificationIntervals.IsEerApproximate(0.1, 1000, single));
        Assert.False(VerificationIntervals.IsApproximate(0.1, 1000, 40));
        // 3 images (3 genuine pairs each): m0 = 3, not approximate; as for TAR below 30 identities or 10 expected errors.
        var three = Enumerable.Repeat(3.0, 40).ToArray();
        Assert.False(VerificationIntervals.IsEerApproximate(0.1, 1000, three));
        Assert.True(VerificationIntervals.IsEerApproximate(0.1, 99, three));
        Assert.True(VerificationIntervals.IsEerApproximate(0.1, 1000, three[..29]));
        // Mixed: {1, 1, 2} x 14: sum 56, squares 84, m0 = 1.5 (approximate); {1, 3} x 20: sum 80, squares 200, m0 = 2.5 (not).
        var mixed = Enumerable.Range(0, 42).Select(i => i % 3 == 2 ? 2.0 : 1.0).ToArray();
        Assert.True(VerificationIntervals.IsEerApproximate(0.1, 1000, mixed));
        var wider = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 1.0 : 3.0).ToArray();
        Assert.False(VerificationIntervals.IsEerApproximate(0.1, 1000, wider));
    }
}
