using FaceEval.Core.Evaluation;
using FaceEval.Core.IO;
using FaceEval.Core.Metrics;
using FaceEval.Core.Reporting;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace FaceEval.PowerShell;

/// <summary>How pairs that involve an input without an embedding are treated.</summary>
public enum FailureToEnrolHandling
{
    /// <summary>Scored as rejections at every threshold (NIST): they lower TAR and never raise FAR.</summary>
    Reject,
    /// <summary>Left out of every pair; the count is still reported.</summary>
    Exclude,
}

/// <summary>Measures verification accuracy per model from embeddings or from scored pairs.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "FaceVerification", SupportsShouldProcess = true)]
[OutputType(typeof(VerificationResult))]
public sealed class MeasureFaceVerificationCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public double[] FarTargets { get; set; } = VerificationEvaluator.DefaultFarTargets;

    [Parameter]
    public FarConvention Convention { get; set; } = FarConvention.Strict;

    [Parameter]
    public FailureToEnrolHandling FailureToEnrol { get; set; } = FailureToEnrolHandling.Reject;

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PairListFileCompleter))]
    public string? PairList { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public int Folds { get; set; } = 10;

    [Parameter]
    public int Seed { get; set; }

    /// <summary>Bootstrap replicates (identities resampled with replacement) for intervals on TAR and EER; 0 for none.</summary>
    [Parameter]
    [ValidateRange(0, 100000)]
    public int Bootstrap { get; set; }

    [Parameter]
    [ValidateRange(0.5, 0.999)]
    public double ConfidenceLevel { get; set; } = 0.95;

    /// <summary>Score all genuine pairs but only this many impostor pairs, drawn uniformly (seeded by -Seed).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long ImpostorSample { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RocPath { get; set; }

    /// <summary>Folder for roc, det and scores plots, each as PNG and SVG.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PlotPath { get; set; }

    /// <summary>Self-contained HTML report (tables, embedded plots, settings, counts).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReportPath { get; set; }

    private readonly List<(FaceEmbedding Embedding, PSObject Source)> _embeddings = new();
    private readonly List<(string Model, float Score, bool IsMatch, int? Fold)> _scored = new();

    protected override void BeginProcessing()
    {
        if (Bootstrap == 1)
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Bootstrap), Bootstrap, "-Bootstrap is 0 (no intervals) or at least 2 replicates."), "InvalidBootstrap", ErrorCategory.InvalidArgument, Bootstrap));
        if (Bootstrap > 0 && (ImpostorSample > 0 || PairList is not null))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Bootstrap resamples the identities of all pairs of the input embeddings; it cannot be combined with -ImpostorSample or -PairList."), "BootstrapNeedsAllPairs", ErrorCategory.InvalidArgument, Bootstrap));
        if (Folds == 1)
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Folds), Folds, "-Folds is 0 (no k-fold accuracy) or at least 2."), "InvalidFolds", ErrorCategory.InvalidArgument, Folds));
        foreach (var t in FarTargets)
            if (!(t > 0 && t <= 1))
                ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(FarTargets), t, "FAR targets are in (0, 1]."), "InvalidFarTarget", ErrorCategory.InvalidArgument, t));
    }

    protected override void ProcessRecord()
    {
        if (InputObject is null) return;
        if (InputObject.BaseObject is FaceEmbedding e)
        {
            _embeddings.Add((e, InputObject));
            return;
        }
        var score = InputObject.Properties["Score"]?.Value ?? InputObject.Properties["Similarity"]?.Value;
        var match = InputObject.Properties["IsMatch"]?.Value ?? InputObject.Properties["SameIdentity"]?.Value;
        if (score is null || match is null)
        {
            WriteError(new ErrorRecord(new ArgumentException("Pipe FaceEmbedding objects, or scored pairs with Score (or Similarity) and IsMatch (or SameIdentity) properties."),
                "UnsupportedInput", ErrorCategory.InvalidArgument, InputObject));
            return;
        }
        try
        {
            float s = LanguagePrimitives.ConvertTo<float>(score is PSObject ps ? ps.BaseObject : score);
            bool m = match is bool b ? b : match is PSObject { BaseObject: bool pb } ? pb : FaceEval.Core.Metrics.PairList.ParseMatch(match.ToString()!);
            string model = InputObject.Properties["Model"]?.Value?.ToString() ?? "";
            int? fold = InputObject.Properties["Fold"]?.Value is { } f ? LanguagePrimitives.ConvertTo<int>(f) : null;
            if (!float.IsFinite(s)) throw new ArgumentException($"The score '{score}' is not a finite number: NaN and infinite scores are errors, not rejections.");
            _scored.Add((model, s, m, fold));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or PSInvalidCastException)
        {
            WriteError(new ErrorRecord(ex, "InvalidScore", ErrorCategory.InvalidData, InputObject));
        }
    }

    protected override void EndProcessing()
    {
        var results = new List<VerificationResult>();
        try
        {
            foreach (var group in _scored.GroupBy(p => p.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
                results.Add(FromScoredPairs(group.Key, group.ToList()));
            foreach (var group in _embeddings.GroupBy(p => p.Embedding.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
                results.Add(PairList is null ? FromAllPairs(group.Key, group.ToList()) : FromPairList(group.Key, group.ToList()));
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "CannotMeasure", ErrorCategory.InvalidData, null));
        }
        if (results.Count == 0)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("Nothing to measure: no embeddings or scored pairs came in."), "NoInput", ErrorCategory.InvalidArgument, null));
        if (RocPath is not null) WriteRoc(results);
        if (PlotPath is not null || ReportPath is not null) WritePlotsAndReport(results);
        foreach (var r in results) WriteObject(r);
    }

    private VerificationResult FromScoredPairs(string model, List<(string Model, float Score, bool IsMatch, int? Fold)> pairs)
    {
        if (Bootstrap > 0) throw new ArgumentException("-Bootstrap resamples identities: pipe embeddings with an Identity, not scored pairs.");
        var set = ScoreSet.Create(pairs.Where(p => p.IsMatch).Select(p => p.Score).ToArray(), pairs.Where(p => !p.IsMatch).Select(p => p.Score).ToArray());
        (double, double, int)? kFold = null;
        if (pairs.All(p => p.Fold is not null))
        {
            var (mean, std, acc, _) = KFold.Accuracy(pairs.Select(p => p.Score).ToArray(), pairs.Select(p => p.IsMatch).ToArray(), pairs.Select(p => p.Fold!.Value).ToArray());
            kFold = (mean, std, acc.Length);
        }
        return VerificationEvaluator.Evaluate(model, set, FarTargets, Convention, folds: Folds, seed: Seed, kFold: kFold);
    }

    private VerificationResult FromAllPairs(string model, List<(FaceEmbedding Embedding, PSObject Source)> items)
    {
        var usable = new List<FaceEmbedding>();
        foreach (var (e, source) in items)
        {
            if (string.IsNullOrEmpty(e.Identity))
                WriteError(new ErrorRecord(new ArgumentException($"'{e}' has no Identity, so its pairs cannot be labelled genuine or impostor; it is left out."), "MissingIdentity", ErrorCategory.InvalidData, source));
            else usable.Add(e);
        }
        int failures = usable.Count(e => e.Vector.Length == 0);
        if (FailureToEnrol == FailureToEnrolHandling.Exclude) usable.RemoveAll(e => e.Vector.Length == 0);
        WarnAboutNorms(usable);
        WriteProgress(new ProgressRecord(2, $"Measuring model '{model}'", $"Scoring all pairs of {usable.Count} embeddings"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        PairScores scores;
        try
        {
            var vectors = usable.Select(e => e.Vector).ToArray();
            var labels = usable.Select(e => e.Identity!).ToArray();
            scores = ImpostorSample > 0 ? SampledPairScorer.Score(vectors, labels, ImpostorSample, Seed) : PairScorer.ScoreAllPairs(vectors, labels);
            WriteVerbose($"Model '{model}': scored {scores.Genuine.LongLength + scores.Impostor.LongLength:N0} pairs in {watch.Elapsed.TotalSeconds:F2} s.");
        }
        catch (FaceEvalException e)
        {
            throw new ArgumentException($"Model '{model}': {e.Message}", e);
        }
        WriteProgress(new ProgressRecord(2, $"Measuring model '{model}'", "Done") { RecordType = ProgressRecordType.Completed });
        watch.Restart();
        var set = ScoreSet.Adopt(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures);
        WriteVerbose($"Model '{model}': sorted the scores in {watch.Elapsed.TotalSeconds:F2} s.");
        var log = new List<string>();
        var result = VerificationEvaluator.Evaluate(model, set, FarTargets, Convention, failures, FailureToEnrol == FailureToEnrolHandling.Exclude, Folds, Seed, log: log.Add);
        foreach (var line in log) WriteVerbose($"Model '{model}': {line}.");
        if (Bootstrap > 0)
        {
            WriteProgress(new ProgressRecord(2, $"Measuring model '{model}'", $"Bootstrap: {Bootstrap} replicates"));
            watch.Restart();
            result.AddIntervals(LabelledPairs.AllPairs(usable.Select(e => e.Vector).ToArray(), usable.Select(e => e.Identity!).ToArray()), Bootstrap, Seed, ConfidenceLevel);
            WriteVerbose($"Model '{model}': {Bootstrap} bootstrap replicates in {watch.Elapsed.TotalSeconds:F2} s.");
            WriteProgress(new ProgressRecord(2, $"Measuring model '{model}'", "Done") { RecordType = ProgressRecordType.Completed });
        }
        return result;
    }

    private VerificationResult FromPairList(string model, List<(FaceEmbedding Embedding, PSObject Source)> items)
    {
        string path = PathInput.ResolveOne(this, PairList!);
        var pairs = FaceEval.Core.Metrics.PairList.Read(path);
        var byKey = new Dictionary<string, FaceEmbedding>(StringComparer.OrdinalIgnoreCase);
        foreach (var (e, _) in items)
        {
            string file = e.ImagePath ?? e.NpyPath ?? e.SourcePath;
            foreach (var key in new[] { file, Path.GetFileName(file), Path.GetFileNameWithoutExtension(file) }) byKey.TryAdd(key, e);
        }
        WarnAboutNorms(items.Select(i => i.Embedding));
        ScoredPairList scored;
        try
        {
            scored = PairListScorer.Score(pairs, key => byKey.TryGetValue(key, out var e) ? e.Vector : null, FailureToEnrol == FailureToEnrolHandling.Exclude);
        }
        catch (FaceEvalException e)
        {
            throw new ArgumentException(e.Message, e);
        }
        if (scored.Missing > 0) WriteWarning($"{scored.Missing} of {pairs.Count} pairs of the pair list name images that are not in the input; they were left out.");
        (double, double, int)? kFold = null;
        if (scored.Folds is not null)
        {
            var (mean, std, acc, _) = KFold.Accuracy(scored.Scores, scored.IsMatch, scored.Folds);
            kFold = (mean, std, acc.Length);
        }
        int failuresToEnrol = items.Count(i => i.Embedding.Vector.Length == 0);
        return VerificationEvaluator.Evaluate(model, scored.Set, FarTargets, Convention, failuresToEnrol, FailureToEnrol == FailureToEnrolHandling.Exclude, Folds, Seed, kFold);
    }

    private void WarnAboutNorms(IEnumerable<FaceEmbedding> embeddings)
    {
        int off = embeddings.Count(e => e.Vector.Length > 0 && EmbeddingComparer.IsOffUnitNorm(e.Vector));
        if (off > 0)
            WriteWarning($"{off} embedding(s) have a norm off 1 by more than {EmbeddingComparer.NormTolerance}: scores are dot products of the vectors as returned, not re-normalised.");
    }

    /// <summary>Renders the plots once for both outputs. A failure here is reported per file and never costs the results.</summary>
    private void WritePlotsAndReport(List<VerificationResult> results)
    {
        IReadOnlyList<RenderedPlot>? plots = null;
        void Attempt(string path, string errorId, Action write)
        {
            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
            {
                WriteError(new ErrorRecord(new IOException($"Could not write '{path}': {e.Message}", e), errorId, ErrorCategory.WriteError, path));
            }
        }
        WriteProgress(new ProgressRecord(3, "Measure-FaceVerification", "Drawing plots"));
        if (PlotPath is not null)
        {
            string folder = PathInput.ResolveOne(this, PlotPath);
            if (ShouldProcess(folder, "Write ROC, DET and score distribution plots (PNG and SVG)"))
                Attempt(folder, "PlotFailed", () =>
                {
                    plots = VerificationPlots.Render(results);
                    foreach (var file in VerificationPlots.Write(plots, folder)) WriteVerbose($"Wrote {file}.");
                });
        }
        if (ReportPath is not null)
        {
            string path = PathInput.ResolveOne(this, ReportPath);
            if (ShouldProcess(path, "Write the HTML report"))
                Attempt(path, "ReportFailed", () =>
                {
                    string html = VerificationReport.Html(results, Settings(), plots ??= VerificationPlots.Render(results));
                    AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(html), overwrite: true);
                    WriteVerbose($"Wrote {path}.");
                });
        }
        WriteProgress(new ProgressRecord(3, "Measure-FaceVerification", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>How this measurement was made, for the report (file names only, never a URL).</summary>
    private IEnumerable<KeyValuePair<string, string>> Settings()
    {
        KeyValuePair<string, string> S(string k, string v) => new(k, v);
        string pairs = _embeddings.Count == 0 ? "scored pairs from the input"
            : PairList is not null ? $"pair list {Path.GetFileName(PairList)}"
            : ImpostorSample > 0 ? $"all genuine pairs, {ImpostorSample:N0} impostor pairs sampled (seed {Seed})"
            : "all genuine and all impostor pairs of the input embeddings";
        yield return S("Pairs", pairs);
        yield return S("Inputs", _embeddings.Count > 0 ? $"{_embeddings.Count:N0} embeddings of {_embeddings.Select(e => e.Embedding.Model).Distinct().Count()} model(s)" : $"{_scored.Count:N0} scored pairs");
        yield return S("TAR at FAR rule", Convention == FarConvention.Strict ? "Strict (FAR never above the target)" : "InsightFace (nearest ROC point)");
        yield return S("Target FARs", string.Join(", ", FarTargets.Select(t => t.ToString("0.#####e0", CultureInfo.InvariantCulture))));
        yield return S("Failures to enrol", FailureToEnrol == FailureToEnrolHandling.Reject ? "pairs scored as rejections" : "pairs excluded");
        yield return S("k-fold", Folds == 0 ? "not measured" : $"{Folds} folds, seed {Seed} (folds of the pair list when it defines them)");
        yield return S("Bootstrap", Bootstrap == 0 ? "none" : $"{Bootstrap:N0} replicates over identities, seed {Seed}, {ConfidenceLevel:P1} level");
    }

    private void WriteRoc(IEnumerable<VerificationResult> results)
    {
        string path = PathInput.ResolveOne(this, RocPath!);
        if (!ShouldProcess(path, "Write the ROC points")) return;
        var csv = new StringBuilder("model,threshold,far,tar\n");
        foreach (var r in results)
            foreach (var p in r.Roc)
                csv.Append(CultureInfo.InvariantCulture, $"{r.Model},{p.Threshold.ToString("R", CultureInfo.InvariantCulture)},{p.Far.ToString("R", CultureInfo.InvariantCulture)},{p.Tar.ToString("R", CultureInfo.InvariantCulture)}\n");
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(csv.ToString()), overwrite: true);
    }
}
