using FaceEval.Core.Evaluation;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Tests;

/// <summary>What a verification run tells its observer, recorded.</summary>
internal sealed class RecordingObserver : IEvaluationObserver
{
    public List<string> Warnings { get; } = new();
    public List<(FaceEvalException Error, object? Item)> ItemErrors { get; } = new();
    public void Progress(string activity, string status, bool completed = false, int percent = -1) { }
    public void Detail(string message) { }
    public void Warning(string message) => Warnings.Add(message);
    public void ItemError(FaceEvalException error, object? item) => ItemErrors.Add((error, item));
}

public class VerificationRunTests
{
    /// <summary>Three people, three images each, on the unit circle in 2-D: well separated, every pair scorable.</summary>
    internal static List<EvaluationItem> People(string model = "m", int dimension = 2)
    {
        var items = new List<EvaluationItem>();
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < 3; i++)
            {
                double angle = p * 2.1 + i * 0.1;
                var v = new float[dimension];
                v[0] = (float)Math.Cos(angle);
                v[1] = (float)Math.Sin(angle);
                string label = $"/crops/p{p}/{i}.png";
                items.Add(new EvaluationItem { Model = model, Vector = v, Identity = $"p{p}", Label = label, Source = label });
            }
        return items;
    }

    internal static EvaluationSet Set(IEnumerable<EvaluationItem> items)
    {
        var set = new EvaluationSet();
        foreach (var item in items) set.Add(item);
        return set;
    }

    private static VerificationOptions Options(string? pairList = null) => new() { FoldCount = 0, FarTargets = new[] { 0.1 }, PairListPath = pairList };

    public static TheoryData<string, float[], FaceEvalError, string> BadItems() => new()
    {
        { "NaN", new[] { float.NaN, 1f }, FaceEvalError.InvalidEmbedding, "index 0 is NaN" },
        { "infinity", new[] { 0f, float.PositiveInfinity }, FaceEvalError.InvalidEmbedding, "index 1 is infinite" },
        { "minus infinity", new[] { float.NegativeInfinity, 0f }, FaceEvalError.InvalidEmbedding, "infinite" },
        { "a norm that overflows", new[] { 3e38f, 3e38f }, FaceEvalError.InvalidEmbedding, "norm" },
        { "another dimension", new[] { 0.6f, 0.8f, 0f }, FaceEvalError.DimensionMismatch, "3 dimensions" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public void OneBadItemIsAnErrorNamingItAndTheRestAreMeasured(string what, float[] vector, FaceEvalError error, string expected)
    {
        var good = People();
        var bad = new EvaluationItem { Model = "m", Vector = vector, Identity = "p1", Label = $"/crops/p1/{what}.png", Source = "the bad one" };
        var observer = new RecordingObserver();
        var outcome = new VerificationRun(Options(), observer).Run(Set(good.Append(bad)), Array.Empty<ScoredPair>());
        var (e, item) = Assert.Single(observer.ItemErrors);
        Assert.Equal(error, e.Error);
        Assert.Equal("the bad one", item);
        Assert.Contains($"/crops/p1/{what}.png", e.Message);
        Assert.Contains(expected, e.Message);
        var expectedResult = new VerificationRun(Options()).Run(Set(People()), Array.Empty<ScoredPair>()).Results[0];
        var r = Assert.Single(outcome.Results);
        Assert.Equal((expectedResult.GenuinePairs, expectedResult.ImpostorPairs, expectedResult.Auc), (r.GenuinePairs, r.ImpostorPairs, r.Auc));
        Assert.False(double.IsNaN(r.Eer));
    }

    [Theory]
    [MemberData(nameof(BadItems))]
    public void OneBadItemIsAnErrorWithAPairListToo(string what, float[] vector, FaceEvalError error, string expected)
    {
        using var dir = new TempDir();
        string list = dir.File("pairs.csv");
        File.WriteAllText(list, $"Reference,Difference,IsMatch\n0,1,1\n0,2,1\n{what},0,1\n0,0,0\n");
        var items = new List<EvaluationItem>
        {
            new() { Model = "m", Vector = new[] { 1f, 0f }, Label = "/x/0.png", Source = "0" },
            new() { Model = "m", Vector = new[] { 0.8f, 0.6f }, Label = "/x/1.png", Source = "1" },
            new() { Model = "m", Vector = new[] { 0f, 1f }, Label = "/x/2.png", Source = "2" },
            new() { Model = "m", Vector = vector, Label = $"/x/{what}.png", Source = "bad" },
        };
        var observer = new RecordingObserver();
        var r = Assert.Single(new VerificationRun(Options(list), observer).Run(Set(items), Array.Empty<ScoredPair>()).Results);
        var (e, item) = Assert.Single(observer.ItemErrors);
        Assert.Equal(error, e.Error);
        Assert.Equal("bad", item);
        Assert.Contains(expected, e.Message);
        Assert.Equal(2, r.GenuinePairs); // the bad item's pair is left out, as a missing image is
    }

    [Fact]
    public void IntervalsOnMorePairsThanCanBeStoredStopWithTheFixNotOutOfMemory()
    {
        // 65,537 embeddings make 2,147,516,416 pairs, just above Array.MaxLength: the sorted path cannot hold them.
        const int n = 65_537;
        var items = Enumerable.Range(0, n).Select(i => new EvaluationItem
        {
            Model = "m", Vector = new[] { MathF.Cos(i), MathF.Sin(i) }, Identity = $"p{i / 2}", Label = $"/crops/p{i / 2}/{i}.png",
        });
        var options = new VerificationOptions { FoldCount = 0, FarTargets = new[] { 0.1 }, BootstrapCount = 10 };
        var e = Assert.Throws<FaceEvalException>(() => new VerificationRun(options, new RecordingObserver()).Run(Set(items), Array.Empty<ScoredPair>()));
        Assert.Equal(FaceEvalError.CannotMeasure, e.Error);
        Assert.Contains("2,147,516,416 pairs", e.Message);
        Assert.Contains("-ImpostorSample", e.Message);
    }

    [Fact]
    public void MixedDimensionsWithNoMajorityCannotBeMeasuredAndSaySo()
    {
        var items = People().Take(4).Concat(People(dimension: 3).Skip(5)).ToList();
        var e = Assert.Throws<FaceEvalException>(() => new VerificationRun(Options(), new RecordingObserver()).Run(Set(items), Array.Empty<ScoredPair>()));
        Assert.Equal(FaceEvalError.CannotMeasure, e.Error);
        Assert.Contains("4 have 2 dimensions and 4 have 3", e.Message);
    }

    [Fact]
    public void FailuresToEnrolAreNotBadItems()
    {
        var items = People();
        items.Add(new EvaluationItem { Model = "m", Vector = Array.Empty<float>(), Identity = "p0", Label = "/crops/p0/noface.png" });
        var observer = new RecordingObserver();
        var r = Assert.Single(new VerificationRun(Options(), observer).Run(Set(items), Array.Empty<ScoredPair>()).Results);
        Assert.Empty(observer.ItemErrors);
        Assert.Equal(1, r.FailureToEnrol);
    }

    [Fact]
    public void APairListOfOneFoldFallsBackToShuffledFoldsWithAWarning()
    {
        using var dir = new TempDir();
        string list = dir.File("one-fold.csv");
        File.WriteAllText(list, "Reference,Difference,IsMatch,Fold\n0,1,1,7\n2,3,1,7\n0,2,0,7\n1,3,0,7\n");
        var items = new[] { new[] { 1f, 0f }, new[] { 0.8f, 0.6f }, new[] { 0f, 1f }, new[] { 0.6f, 0.8f } }
            .Select((v, i) => new EvaluationItem { Model = "m", Vector = v, Label = $"/x/{i}.png" });
        var observer = new RecordingObserver();
        var options = new VerificationOptions { FoldCount = 2, FarTargets = new[] { 0.5 }, PairListPath = list };
        var r = Assert.Single(new VerificationRun(options, observer).Run(Set(items), Array.Empty<ScoredPair>()).Results);
        Assert.Equal(2, r.Folds);
        Assert.Contains(observer.Warnings, w => w.Contains("one fold") && w.Contains("one-fold.csv"));
    }

    private static (VerificationOutcome Outcome, RecordingObserver Observer) RunModels(params IEnumerable<EvaluationItem>[] models)
    {
        var observer = new RecordingObserver();
        var outcome = new VerificationRun(Options(), observer).Run(Set(models.SelectMany(m => m)), Array.Empty<ScoredPair>());
        return (outcome, observer);
    }

    private static string? InputsSetting(VerificationOutcome outcome) => outcome.Settings.SingleOrDefault(s => s.Name == "Inputs per model")?.Value;

    [Fact]
    public void ModelsOnTheSameInputsDrawNoWarning()
    {
        var (outcome, observer) = RunModels(People("eagle"), People("dingo"));
        Assert.DoesNotContain(observer.Warnings, w => w.Contains("different inputs"));
        Assert.Contains("the same 9 inputs", InputsSetting(outcome));
    }

    [Fact]
    public void ModelsOnDifferentInputsAreWarnedAboutOnceNamingTheModelsAndTheDifference()
    {
        var dingo = People("dingo").Where(i => i.Label is not ("/crops/p1/1.png" or "/crops/p2/0.png"));
        var (outcome, observer) = RunModels(People("eagle"), dingo);
        string warning = Assert.Single(observer.Warnings, w => w.Contains("different inputs"));
        Assert.Contains("'dingo' 7", warning);
        Assert.Contains("'eagle' 9", warning);
        Assert.Contains("'dingo' lacks 2 that another model has (p1/1, p2/0)", warning);
        Assert.DoesNotContain("'eagle' lacks", warning);
        Assert.Contains("'dingo' lacks 2", InputsSetting(outcome));
        Assert.Equal(2, outcome.Results.Count);
    }

    [Fact]
    public void DifferentImagesInEqualCountsAreADifferenceToo()
    {
        var dingo = People("dingo").Select(i => i.Label == "/crops/p0/0.png" ? i with { Label = "/crops/p0/other.png" } : i);
        var (_, observer) = RunModels(People("eagle"), dingo);
        string warning = Assert.Single(observer.Warnings, w => w.Contains("different inputs"));
        Assert.Contains("'dingo' lacks 1 that another model has (p0/0)", warning);
        Assert.Contains("'eagle' lacks 1 that another model has (p0/other)", warning);
    }

    [Fact]
    public void AFailureToEnrolIsPresentButAnItemLeftOutIsNot()
    {
        var noFace = People("dingo").Select(i => i.Label == "/crops/p0/0.png" ? i with { Vector = Array.Empty<float>() } : i);
        var (_, observer) = RunModels(People("eagle"), noFace);
        Assert.DoesNotContain(observer.Warnings, w => w.Contains("different inputs"));

        var nan = People("dingo").Select(i => i.Label == "/crops/p0/0.png" ? i with { Vector = new[] { float.NaN, 0f } } : i);
        (_, observer) = RunModels(People("eagle"), nan);
        Assert.Contains("'dingo' lacks 1 that another model has (p0/0)", Assert.Single(observer.Warnings, w => w.Contains("different inputs")));
    }

    [Fact]
    public void AModelThatCannotBeMeasuredIsAnErrorAboutItAndTheOthersAreMeasured()
    {
        var lone = new EvaluationItem { Model = "lone", Vector = new[] { 1f, 0f }, Identity = "p0", Label = "/crops/p0/0.png" };
        var noIdentity = People("anonymous").Select(i => i with { Identity = null });
        var (outcome, observer) = RunModels(People("eagle"), new[] { lone }, noIdentity);
        Assert.Equal("eagle", Assert.Single(outcome.Results).Model);
        Assert.Equal(new[] { FaceEvalError.MissingIdentity, FaceEvalError.CannotMeasure }, observer.ItemErrors.Select(e => e.Error.Error).Order());
        Assert.Contains(observer.ItemErrors, e => e.Error.Error == FaceEvalError.CannotMeasure && (string?)e.Item == "lone" && e.Error.Message.Contains("single embedding"));
        // When no model can be measured, that is the run's error, as before.
        var e = Assert.Throws<FaceEvalException>(() => RunModels(new[] { lone }));
        Assert.Equal(FaceEvalError.CannotMeasure, e.Error);
    }

    [Fact]
    public void WithAPairListOnlyTheItemsItNamesAreCompared()
    {
        using var dir = new TempDir();
        string list = dir.File("pairs.csv");
        File.WriteAllText(list, "Reference,Difference,IsMatch\n0,1,1\n2,3,1\n0,2,0\n1,3,0\n");
        IEnumerable<EvaluationItem> Model(string model, params int[] images) =>
            images.Select(i => new EvaluationItem { Model = model, Vector = new[] { (float)Math.Cos(i), (float)Math.Sin(i) }, Label = $"/x/{model}/{i}.png" });
        var options = Options(list);
        var observer = new RecordingObserver();
        new VerificationRun(options, observer).Run(Set(Model("eagle", 0, 1, 2, 3).Concat(Model("dingo", 0, 1, 2, 3, 9))), Array.Empty<ScoredPair>());
        Assert.DoesNotContain(observer.Warnings, w => w.Contains("different inputs"));
        observer = new RecordingObserver();
        new VerificationRun(options, observer).Run(Set(Model("eagle", 0, 1, 2, 3).Concat(Model("dingo", 0, 1, 2))), Array.Empty<ScoredPair>());
        Assert.Contains("'dingo' lacks 1 that another model has (3)", Assert.Single(observer.Warnings, w => w.Contains("different inputs")));
        Assert.Contains(observer.Warnings, w => w.Contains("input of model 'dingo'"));
    }

    [Theory]
    [InlineData(FailureToEnrolHandling.Reject)]
    [InlineData(FailureToEnrolHandling.Exclude)]
    public void TransferCheckAndCalibrationAreTheEnginesOnThePairsOfTheMeasuredItems(FailureToEnrolHandling handling)
    {
        var r = new Random(3);
        var items = new List<EvaluationItem>();
        for (int p = 0; p < 10; p++)
        {
            var centre = Enumerable.Range(0, 4).Select(_ => r.NextDouble() - 0.5).ToArray();
            for (int i = 0; i < 3; i++)
            {
                var v = centre.Select(c => (float)(c + 0.4 * (r.NextDouble() - 0.5))).ToArray();
                string label = $"/crops/p{p}/{i}.png";
                items.Add(new EvaluationItem { Model = "m", Vector = p == 2 && i == 1 ? Array.Empty<float>() : v, Identity = $"p{p}", Label = label, Source = label });
            }
        }
        var targets = new[] { 0.1, 0.05 };
        var options = new VerificationOptions { FoldCount = 0, FarTargets = targets, TransferCheck = 7, Calibrate = true, Seed = 4, FailureToEnrol = handling };
        var result = Assert.Single(new VerificationRun(options).Run(Set(items), Array.Empty<ScoredPair>()).Results);

        var kept = handling == FailureToEnrolHandling.Exclude ? items.Where(i => !i.IsFailureToEnrol).ToList() : items;
        var pairs = PairedScores.AllPairs(new[] { "m" }, new IReadOnlyList<float[]>[] { kept.Select(i => i.Vector).ToArray() }, kept.Select(i => i.Identity!).ToArray());
        var transfer = TransferCheck.Run(pairs, targets, 7, 4);
        Assert.Equal(7, result.TransferSplits);
        for (int k = 0; k < targets.Length; k++)
        {
            var p = result.OperatingPoints[k];
            Assert.Equal((transfer[k].TransferFarRatio, transfer[k].TransferFarRatioMax, transfer[k].TransferTar), (p.TransferFarRatio, p.TransferFarRatioMax, p.TransferTar));
            Assert.False(double.IsNaN(p.TransferFarRatio));
        }
        var expected = Calibration.Measure(pairs, 4)[0];
        Assert.Equal(expected with { Reliability = [] }, result.Calibration! with { Reliability = [] });
        Assert.Equal(expected.Reliability, result.Calibration!.Reliability);
        Assert.Equal(handling == FailureToEnrolHandling.Reject ? kept.Count - 1 : 0, result.Calibration!.FailurePairs); // the failure to enrol pairs with every other item
    }

    /// <summary>Two models of the nine items of <see cref="People"/>, the second a noisier copy of the first.</summary>
    private static EvaluationSet TwoModels()
    {
        var r = new Random(5);
        var noisy = People("dingo").Select(i => i with { Vector = i.Vector.Select(x => x + (float)(0.8 * (r.NextDouble() - 0.5))).ToArray() });
        return Set(People("eagle").Concat(noisy));
    }

    [Fact]
    public void CompareModelsGivesTheComparisonRunsResultAndTellsNothingTwice()
    {
        var options = Options() with { CompareModels = true, BootstrapCount = 150, Seed = 2 };
        var quiet = new RecordingObserver();
        var plain = new VerificationRun(Options() with { BootstrapCount = 150, Seed = 2 }, quiet).Run(TwoModels(), Array.Empty<ScoredPair>());
        Assert.Empty(plain.Comparisons);

        var observer = new RecordingObserver();
        var outcome = new VerificationRun(options, observer).Run(TwoModels(), Array.Empty<ScoredPair>());
        var expected = new ComparisonRun { FarTargets = options.FarTargets, BootstrapCount = 150, Seed = 2 }.Run(TwoModels());
        Assert.Equal(expected, outcome.Comparisons);
        Assert.Equal(quiet.Warnings, observer.Warnings); // the comparison's screening is not told again
        Assert.Contains(outcome.Settings, s => s.Name == "Model comparison" && s.Value.Contains("150 replicates"));

        // Below the comparison's minimum, -BootstrapCount does not set its replicates: the default does.
        var fewer = new VerificationRun(Options() with { CompareModels = true, BootstrapCount = 20 }).Run(TwoModels(), Array.Empty<ScoredPair>());
        Assert.Equal(new ComparisonRun { FarTargets = options.FarTargets, BootstrapCount = VerificationOptions.ComparisonDefaultReplicates }.Run(TwoModels()), fewer.Comparisons);
    }

    [Fact]
    public void CompareModelsNeedsTwoModelsAndUsesTheSamePairsAsAskedFor()
    {
        var one = new VerificationRun(Options() with { CompareModels = true }).Run(Set(People("eagle")), Array.Empty<ScoredPair>());
        Assert.Empty(one.Comparisons);

        var sampled = new VerificationRun(Options() with { CompareModels = true, ImpostorSample = 10, Seed = 6 }).Run(TwoModels(), Array.Empty<ScoredPair>());
        Assert.Equal(new ComparisonRun { FarTargets = Options().FarTargets, ImpostorSample = 10, Seed = 6, BootstrapCount = VerificationOptions.ComparisonDefaultReplicates }.Run(TwoModels()), sampled.Comparisons);
    }

    [Fact]
    public void ComparisonOnAPairListScoresOnlyItsPairsForEveryModel()
    {
        string list = Path.Combine(Path.GetTempPath(), $"pairs-{Guid.NewGuid():N}.csv");
        // Two genuine and two impostor pairs of People(), by label; the fifth names an image no model has.
        File.WriteAllText(list, "Reference,Difference,IsMatch\n/crops/p0/0.png,/crops/p0/1.png,1\n/crops/p0/0.png,/crops/p0/2.png,1\n" +
            "/crops/p0/0.png,/crops/p1/0.png,0\n/crops/p0/1.png,/crops/p1/1.png,0\n/crops/p2/0.png,/crops/p9/9.png,0\n");
        try
        {
            var observer = new RecordingObserver();
            var compared = new ComparisonRun(observer) { FarTargets = new[] { 0.5 }, BootstrapCount = 100, PairListPath = list }.Run(TwoModels());
            Assert.Contains(observer.Warnings, w => w.Contains("1 of 5 pairs"));

            // The same comparison by hand: the four pairs scored by each model, into the paired bootstrap.
            var set = TwoModels();
            float[] Vector(string model, string label) => set.Items(model).Single(i => i.Label == label).Vector;
            var pairs = new[] { ("p0/0", "p0/1"), ("p0/0", "p0/2"), ("p0/0", "p1/0"), ("p0/1", "p1/1") };
            float[] Scores(string model) => pairs.Select(p => System.Numerics.Tensors.TensorPrimitives.Dot(Vector(model, $"/crops/{p.Item1}.png"), Vector(model, $"/crops/{p.Item2}.png"))).ToArray();
            var scored = PairedScores.Create(new[] { "dingo", "eagle" }, new[] { Scores("dingo"), Scores("eagle") }, new[] { "p0", "p0", "p0", "p0" }, new[] { "p0", "p0", "p1", "p1" });
            var expected = PairedBootstrap.Compare(scored, new[] { 0.5 }, 100, 0, 0.95, method: IntervalMethod.Wilson).Comparisons; // ComparisonRun's default method
            Assert.Equal(expected.Select(c => (c.Metric, c.ValueA, c.ValueB, c.Lower, c.Upper, c.GenuineOnlyA + c.GenuineOnlyB)),
                compared.Select(c => (c.Metric, c.ValueA, c.ValueB, c.Lower, c.Upper, c.GenuineOnlyA + c.GenuineOnlyB)));
        }
        finally
        {
            File.Delete(list);
        }
    }

    [Fact]
    public void ComparisonOnASampleUsesEveryGenuinePairAndTheSameImpostorsForEveryModel()
    {
        ComparisonRun Run(long sample, int seed = 3) => new() { FarTargets = new[] { 0.5 }, BootstrapCount = 100, ImpostorSample = sample, Seed = seed };
        var all = new ComparisonRun { FarTargets = new[] { 0.5 }, BootstrapCount = 100, Seed = 3 }.Run(TwoModels());
        Assert.Equal(all, Run(27).Run(TwoModels())); // People() has 27 impostor pairs: a sample of all of them is all of them
        var sampled = Run(5).Run(TwoModels());
        Assert.Equal(sampled, Run(5).Run(TwoModels()));
        // At most the 5 sampled impostor pairs can be decided apart, at any threshold.
        Assert.All(sampled, c => Assert.InRange(c.ImpostorOnlyA + c.ImpostorOnlyB, 0, 5));
        Assert.NotEqual(sampled, Run(5, seed: 4).Run(TwoModels()));
    }
}
