using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>Every expected value below was worked out by hand from the definitions in VerificationMetrics.</summary>
public class MetricsTests
{
    // Genuine 0.9, 0.8, 0.6; impostor 0.7, 0.5, 0.4, 0.3.
    private static ScoreSet A => ScoreSet.Create(new[] { 0.9f, 0.8f, 0.6f }, new[] { 0.7f, 0.5f, 0.4f, 0.3f });

    [Fact]
    public void AucIsTheShareOfCorrectlyOrderedPairs()
    {
        // 4 + 4 + 3 of 12 genuine-impostor pairs are ordered correctly.
        Assert.Equal(11.0 / 12, VerificationMetrics.Auc(A), 12);
    }

    [Fact]
    public void AucCountsTiesAsOneHalf()
    {
        // g = 0.5: 3 impostors below, 1 equal -> 3.5, twice; g = 0.9: 4. (7 + 4) / 12.
        var s = ScoreSet.Create(new[] { 0.5f, 0.5f, 0.9f }, new[] { 0.5f, 0.1f, 0.2f, 0.3f });
        Assert.Equal(11.0 / 12, VerificationMetrics.Auc(s), 12);
        Assert.Equal(0.5, VerificationMetrics.Auc(ScoreSet.Create(new[] { 0.5f, 0.5f }, new[] { 0.5f, 0.5f, 0.5f })), 12);
    }

    [Fact]
    public void EerIsTakenAtTheMidpointThatBalancesFarAndFrr()
    {
        // Midpoint 0.65: FAR 1/4 (0.7), FRR 1/3 (0.6): the smallest gap; EER = (1/4 + 1/3) / 2.
        var (eer, threshold, far, frr) = VerificationMetrics.Eer(A);
        Assert.Equal((0.25 + 1.0 / 3) / 2, eer, 12);
        Assert.Equal(0.65, threshold, 6);
        Assert.Equal(0.25, far, 12);
        Assert.Equal(1.0 / 3, frr, 12);
    }

    [Fact]
    public void AllEqualScoresGiveAnEerOfOneHalf()
    {
        var (eer, threshold, _, _) = VerificationMetrics.Eer(ScoreSet.Create(new[] { 0.5f, 0.5f }, new[] { 0.5f, 0.5f, 0.5f }));
        Assert.Equal(0.5, eer);
        Assert.True(threshold < 0.5);
    }

    [Fact]
    public void StrictTarAtFarTakesTheLowestThresholdNotAboveTheTarget()
    {
        var p = VerificationMetrics.TarAtFar(A, new[] { 0.25, 0.1, 1.0 });
        // 0.25: one false accept allowed -> threshold 0.6 accepts all genuines and the 0.7 impostor.
        Assert.Equal(new OperatingPoint(0.25, 0.6f, 1.0, 0.25, 1, true), p[0]);
        // 0.1: none allowed -> threshold 0.8; 4 impostors cannot estimate a FAR of 0.1.
        Assert.Equal(new OperatingPoint(0.1, 0.8f, 2.0 / 3, 0, 0, false), p[1]);
        Assert.Equal(1.0 / 3, p[1].Frr, 12);
        // 1: everything accepted.
        Assert.Equal((0.3f, 1.0, 1.0, 4L), ((float)p[2].Threshold, p[2].Tar, p[2].AchievedFar, p[2].FalseAccepts));
    }

    [Fact]
    public void ATieBetweenGenuineAndImpostorAtTheThresholdIsNotSplit()
    {
        // Genuines 0.5, 0.5, 0.9 tie with the impostor 0.5. At FAR 0.25 (one false accept) 0.5 is allowed;
        // at 0.2 (none) it is not, so the two genuines at 0.5 are rejected too.
        var s = ScoreSet.Create(new[] { 0.5f, 0.5f, 0.9f }, new[] { 0.5f, 0.1f, 0.2f, 0.3f });
        var p = VerificationMetrics.TarAtFar(s, new[] { 0.25, 0.2 });
        Assert.Equal((0.5, 1.0, 0.25, 1L), (p[0].Threshold, p[0].Tar, p[0].AchievedFar, p[0].FalseAccepts));
        Assert.Equal((0.9f, 1.0 / 3, 0.0), ((float)p[1].Threshold, p[1].Tar, p[1].AchievedFar));
    }

    [Fact]
    public void ASingleImpostorCannotEstimateSmallFars()
    {
        var s = ScoreSet.Create(new[] { 0.2f, 0.8f }, new[] { 0.5f });
        var p = VerificationMetrics.TarAtFar(s, new[] { 1e-3, 1.0 });
        Assert.Equal((0.8f, 0.5, 0.0, false), ((float)p[0].Threshold, p[0].Tar, p[0].AchievedFar, p[0].Estimable));
        Assert.Equal((1.0, 1.0, true), (p[1].Tar, p[1].AchievedFar, p[1].Estimable));
    }

    [Fact]
    public void NoThresholdUnderTheTargetRejectsEverything()
    {
        var s = ScoreSet.Create(new[] { 0.5f, 0.5f }, new[] { 0.5f, 0.5f, 0.5f });
        var p = VerificationMetrics.TarAtFar(s, new[] { 0.1 })[0];
        Assert.True(p.Threshold > 0.5);
        Assert.Equal((0.0, 0.0, 0L), (p.Tar, p.AchievedFar, p.FalseAccepts));
    }

    [Fact]
    public void InsightFaceConventionUsesTheNearestRocPointAndCanExceedTheTarget()
    {
        // roc_curve keeps (fps, tps) = (0,1), (0,2), (1,2), (1,3), (4,3) after (0,0); flipped FPRs are
        // 1, .25, .25, 0, 0, 0. For 0.2 the nearest is .25 (TAR 1, threshold 0.6): above the target,
        // where the strict convention stays at FAR 0 and TAR 2/3.
        var insight = VerificationMetrics.TarAtFar(A, new[] { 0.2, 0.1 }, FarConvention.InsightFace);
        Assert.Equal((0.6f, 1.0, 0.25, 1L), ((float)insight[0].Threshold, insight[0].Tar, insight[0].AchievedFar, insight[0].FalseAccepts));
        var strict = VerificationMetrics.TarAtFar(A, new[] { 0.2 })[0];
        Assert.Equal((2.0 / 3, 0.0), (strict.Tar, strict.AchievedFar));
        // For 0.1 both find FAR 0, TAR 2/3 (the tie in distance goes to the first point of the flipped arrays).
        Assert.Equal((0.8f, 2.0 / 3, 0.0), ((float)insight[1].Threshold, insight[1].Tar, insight[1].AchievedFar));
    }

    [Fact]
    public void InsightFaceTiesGoToTheLargerFprThenTheLargerTpr()
    {
        // For 0.125 the points at FPR .25 and at FPR 0 are all .125 away: the first of the flipped arrays
        // wins, which is FPR .25 with the larger TPR (1, not 2/3).
        var p = VerificationMetrics.TarAtFar(A, new[] { 0.125 }, FarConvention.InsightFace)[0];
        Assert.Equal((0.25, 1.0), (p.AchievedFar, p.Tar));
    }

    [Fact]
    public void RocStartsAtTheOriginAndVisitsEveryDistinctScore()
    {
        var roc = VerificationMetrics.Roc(A);
        Assert.Equal(8, roc.Length);
        Assert.Equal(new RocPoint(double.PositiveInfinity, 0, 0), roc[0]);
        Assert.Equal((0.25, 2.0 / 3), (roc[3].Far, roc[3].Tar)); // threshold 0.7
        Assert.Equal((1.0, 1.0), (roc[^1].Far, roc[^1].Tar));
    }

    [Fact]
    public void NoGenuinePairsOrNanScoresAreClearErrors()
    {
        Assert.Contains("no genuine pairs", Assert.Throws<FaceEvalException>(() => ScoreSet.Create(Array.Empty<float>(), new[] { 0.1f })).Message);
        Assert.Contains("no impostor pairs", Assert.Throws<FaceEvalException>(() => ScoreSet.Create(new[] { 0.1f }, Array.Empty<float>())).Message);
        Assert.Contains("NaN", Assert.Throws<FaceEvalException>(() => ScoreSet.Create(new[] { float.NaN }, new[] { 0.1f })).Message);
    }

    [Theory]
    [InlineData(1000L, 1e-3, true)]
    [InlineData(999L, 1e-3, false)]
    [InlineData(1_000_000L, 1e-6, true)]
    [InlineData(100L, 0.29, true)]
    public void EstimableNeedsAtLeastOneOverTheTargetImpostors(long impostors, double target, bool estimable) =>
        Assert.Equal(estimable, VerificationMetrics.IsEstimable(impostors, target));
}
