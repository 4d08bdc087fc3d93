// Coverage study of the interval methods of Measure-FaceVerification (#20). See bench/README.md.
//
// usage: dotnet run -c Release --project bench/coverage -- [--sets 400] [--replicates 500 (use 200: what Wilson uses by default)] [--threads 2] [--seed 20] [--impostor-cap 100000] [--quick] [--csv out.csv] [--only NAME,NAME] [--differences]
//
// Each evaluation set is simulated at the level of scores, from identity-level models with a known population:
//   genuine pair (j, k) of identity i:  mu_g + sqrt(0.4)·d_i + sqrt(0.15)·(q_ij + q_ik) + sqrt(0.3)·e       (variance 1)
//   impostor pair of images of i and k: sqrt(0.1)·(u_i + u_k) + sqrt(0.2)·v_ik + sqrt(0.6)·h                 (variance 1)
// with d (identity difficulty), q (image quality), u (identity "wolfishness"), v (identity-pair affinity) and the
// noises e, h all standard normal. Pairs sharing an identity are correlated on both sides, as in real data.
// A score of a random pair of the population is then exactly N(mu_g, 1) (genuine) or N(0, 1) (impostor), so the
// population truth is exact: the threshold of FAR f is Phi^-1(1 - f), FNMR there Phi(threshold - mu_g), and the
// EER Phi(-mu_g / 2); mu_g is set so that the true FNMR at the regime's target is the regime's rate. (Exact, not
// estimated: the issue's "population 50 times larger" is a finite stand-in for this.) With more impostor pairs than
// --impostor-cap, that many are drawn uniformly from all of them (so FAR stays unbiased).
using System.Diagnostics;
using System.Globalization;
using FaceEval;
using FaceEval.Core.Metrics;

var inv = CultureInfo.InvariantCulture;
int sets = 400, replicates = 500, threads = 2, seed = 20, impostorCap = 100_000;
string? csv = null, only = null;
bool quick = false, differences = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--sets": sets = int.Parse(args[++i], inv); break;
        case "--replicates": replicates = int.Parse(args[++i], inv); break;
        case "--threads": threads = int.Parse(args[++i], inv); break;
        case "--seed": seed = int.Parse(args[++i], inv); break;
        case "--csv": csv = args[++i]; break;
        case "--only": only = args[++i]; break;
        case "--impostor-cap": impostorCap = int.Parse(args[++i], inv); break;
        case "--quick": quick = true; break;
        case "--differences": differences = true; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

// Regimes: (identities, images per identity, target FAR, true FNMR at it). The issue's case first.
var regimes = new List<Regime>
{
    new("issue 60x5 FAR1e-1", 60, 5, 1e-1, 0.0062),
    new("issue 60x5 FAR1e-2", 60, 5, 1e-2, 0.0541),
};
foreach (var (n, m) in new[] { (30, 2), (30, 5), (30, 10), (100, 2), (100, 5), (100, 10), (300, 2), (300, 5), (1000, 2), (1000, 5) })
    foreach (double r in new[] { 0.001, 0.01, 0.1 })
        regimes.Add(new($"{n}x{m} FNMR{r:0.###%}", n, m, 1e-2, r));
// The threshold's own variability matters most where the genuine density at the threshold is high: large FAR, large FNMR.
regimes.Add(new("100x5 FAR1e-1 FNMR10%", 100, 5, 1e-1, 0.10));
regimes.Add(new("300x5 FAR1e-3 FNMR1%", 300, 5, 1e-3, 0.01));
if (quick) regimes = regimes.Where(r => r.Identities <= 100).ToList();
if (only is not null) regimes = regimes.Where(r => only.Split(',').Any(o => r.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();

string[] methods = ["Percentile", "BCa", "Wilson", "ClopperPearson", "Wilson-jackknife", "Wilson-z", "Wilson-fixed", "Wilson-pairs"];
Console.WriteLine($"# coverage study, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC: {sets} sets per regime (1,000 for the issue's case at FAR 1e-1), {replicates} bootstrap replicates, seed {seed}, at most {impostorCap:N0} impostor pairs per set, level 95 %");
Console.WriteLine("Methods: Percentile/BCa = identity bootstrap; Wilson/ClopperPearson (the default) = on n_eff from the identity jackknife's variance (threshold re-chosen),");
Console.WriteLine("with fewer than 300 identities the larger of that and the identity bootstrap's variance, with Korn-Graubard's degrees-of-freedom factor (z/t[identities-1])^2;");
Console.WriteLine("Wilson-jackknife = the jackknife's variance alone at every size; Wilson-z = the jackknife alone without Korn-Graubard's factor;");
Console.WriteLine("Wilson-fixed = Wilson on Schuckers' n_eff at the fixed estimated threshold; Wilson-pairs = Wilson on all pairs as if independent.");
var total = Stopwatch.StartNew();
if (differences)
{
    IntervalMethod[] dm = [IntervalMethod.Wilson, IntervalMethod.Percentile, IntervalMethod.Bca];
    Console.WriteLine("Paired differences: model B has twice A's FNMR at the target (same identities, images and pairs; correlation 0.5 of the pair noise).");
    Console.WriteLine("Coverage of TAR(A) - TAR(B) at the target and of EER(A) - EER(B); a miss is optimistic when the interval overstates A's advantage.");
    Console.WriteLine();
    Console.WriteLine("| regime | metric | true difference | method | coverage | misses opt/pess | mean width |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var regime in regimes)
    {
        var watch = Stopwatch.StartNew();
        var tally = new Tally[2, dm.Length];
        for (int a = 0; a < 2; a++) for (int b = 0; b < dm.Length; b++) tally[a, b] = new Tally();
        Parallel.For(0, sets, new ParallelOptions { MaxDegreeOfParallelism = threads }, s =>
        {
            var outcome = RunDifference(regime, dm, replicates, SetSeed(seed, "difference/" + regime.Name, s), impostorCap);
            lock (tally)
                for (int a = 0; a < 2; a++) for (int b = 0; b < dm.Length; b++) tally[a, b].Add(outcome[a, b]);
        });
        double fnmrB = Math.Min(0.5, 2 * regime.Fnmr);
        double meanB = regime.Threshold - Distributions.NormalQuantile(fnmrB);
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < dm.Length; b++)
            {
                var t = tally[a, b];
                double truth = a == 0 ? fnmrB - regime.Fnmr : regime.TrueEer - Distributions.NormalCdf(-meanB / 2);
                Console.WriteLine($"| {regime.Name} | {(a == 0 ? $"TAR@{regime.Far:0e0}" : "EER")} | {truth:0.###%} | {dm[b]} | {t.Coverage:0.0%} | {t.Optimistic}/{t.Pessimistic} | {t.MeanWidth:0.####%} |");
            }
        Console.Error.WriteLine($"differences {regime.Name}: {sets} sets in {watch.Elapsed.TotalSeconds:F1} s");
    }
    Console.WriteLine();
    Console.WriteLine($"Run time {total.Elapsed.TotalMinutes:F1} min on {threads} thread(s).");
    return 0;
}
var rows = new List<string>();
using var file = csv is null ? null : new StreamWriter(csv);
file?.WriteLine("regime,identities,images,far,true_fnmr,true_eer,metric,method,sets,coverage,optimistic,pessimistic,upper_coverage,mean_width,zero_error_sets,approximate_sets");
Console.WriteLine();
Console.WriteLine("| regime | metric | truth | method | coverage | misses opt/pess | one-sided upper covers | mean width | sets with 0 errors | flagged approximate |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
for (int ri = 0; ri < regimes.Count; ri++)
{
    var regime = regimes[ri];
    int count = regime.Name == "issue 60x5 FAR1e-1" ? Math.Max(sets, 1000) : sets;
    var watch = Stopwatch.StartNew();
    var tally = new Tally[2, methods.Length];
    for (int a = 0; a < 2; a++) for (int b = 0; b < methods.Length; b++) tally[a, b] = new Tally();
    Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, s =>
    {
        var outcome = RunSet(regime, methods, replicates, SetSeed(seed, regime.Name, s), impostorCap);
        lock (tally)
            for (int a = 0; a < 2; a++) for (int b = 0; b < methods.Length; b++) tally[a, b].Add(outcome[a, b]);
    });
    for (int a = 0; a < 2; a++)
    {
        string metric = a == 0 ? $"FNMR@{regime.Far:0e0}" : "EER";
        double truth = a == 0 ? regime.Fnmr : regime.TrueEer;
        for (int b = 0; b < methods.Length; b++)
        {
            var t = tally[a, b];
            Console.WriteLine($"| {regime.Name} | {metric} | {truth:0.###%} | {methods[b]} | {t.Coverage:0.0%} | {t.Optimistic}/{t.Pessimistic} | {t.UpperCoverage:0.0%} | {t.MeanWidth:0.####%} | {t.ZeroErrors} | {t.Approximate} |");
            file?.WriteLine(string.Join(",", regime.Name, regime.Identities, regime.Images, regime.Far.ToString(inv), regime.Fnmr.ToString(inv), regime.TrueEer.ToString(inv), metric, methods[b], t.N,
                t.Coverage.ToString(inv), t.Optimistic, t.Pessimistic, t.UpperCoverage.ToString(inv), t.MeanWidth.ToString(inv), t.ZeroErrors, t.Approximate));
        }
    }
    Console.Error.WriteLine($"{regime.Name}: {count} sets in {watch.Elapsed.TotalSeconds:F1} s");
}
Console.WriteLine();
Console.WriteLine($"Run time {total.Elapsed.TotalMinutes:F1} min on {threads} thread(s).");
return 0;

// The seed of set s of a regime: from the base seed, the regime's name and s (FNV-1a), the same in every run.
static int SetSeed(int seed, string regime, int set)
{
    uint h = 2166136261;
    foreach (char c in $"{seed}/{regime}/{set}") { h ^= c; h *= 16777619; }
    return (int)(h & int.MaxValue);
}

static Outcome[,] RunSet(Regime regime, string[] methods, int replicates, int seed, int impostorCap)
{
    var pairs = Simulate(regime, new Random(seed), impostorCap);
    var targets = new[] { regime.Far };
    const double level = 0.95;
    var draws = BootstrapReplicates.Draw(pairs, targets, replicates, seed);
    var (jackTar, jackEer) = IdentityJackknife.Values(pairs, targets);
    // The estimates on all pairs, by the ordinary (unweighted) metrics.
    var genuine = new List<float>();
    var impostor = new List<float>();
    var genuineOf = new double[pairs.Identities];
    for (int p = 0; p < pairs.Scores.Length; p++)
    {
        if (pairs.A[p] == pairs.B[p]) { genuine.Add(pairs.Scores[p]); genuineOf[pairs.A[p]]++; }
        else impostor.Add(pairs.Scores[p]);
    }
    var set = ScoreSet.Create(genuine.ToArray(), impostor.ToArray());
    var point = VerificationMetrics.TarAtFar(set, targets)[0];
    double fnmr = 1 - point.Tar, eer = VerificationMetrics.Eer(set).Eer;
    double eerTrials = 4 / (1.0 / genuine.Count + 1.0 / impostor.Count);
    // Errors per identity at the estimated threshold, for Schuckers' fixed-threshold design effect.
    var errorsOf = new double[pairs.Identities];
    for (int p = 0; p < pairs.Scores.Length; p++)
        if (pairs.A[p] == pairs.B[p] && pairs.Scores[p] < point.Threshold) errorsOf[pairs.A[p]]++;
    var result = new Outcome[2, methods.Length];
    for (int b = 0; b < methods.Length; b++)
    {
        for (int a = 0; a < 2; a++)
        {
            double rate = a == 0 ? fnmr : eer, truth = a == 0 ? regime.Fnmr : regime.TrueEer;
            double trials = a == 0 ? genuine.Count : eerTrials;
            var jack = a == 0 ? jackTar[0].Select(v => 1 - v).ToArray() : jackEer;
            var reps = a == 0 ? draws.Tar[0].Select(v => 1 - v).ToArray() : draws.Eer;
            RateBounds bounds;
            switch (methods[b])
            {
                case "Percentile": bounds = RateInterval.Of(IntervalMethod.Percentile, rate, jack, trials, genuineOf, level, reps); break;
                case "BCa": bounds = RateInterval.Of(IntervalMethod.Bca, rate, jack, trials, genuineOf, level, reps); break;
                case "Wilson": bounds = RateInterval.Of(IntervalMethod.Wilson, rate, jack, trials, genuineOf, level, reps, largerVariance: true); break;
                case "ClopperPearson": bounds = RateInterval.Of(IntervalMethod.ClopperPearson, rate, jack, trials, genuineOf, level, reps, largerVariance: true); break;
                case "Wilson-jackknife": bounds = RateInterval.Of(IntervalMethod.Wilson, rate, jack, trials, genuineOf, level); break;
                case "Wilson-z": bounds = RateInterval.Of(IntervalMethod.Wilson, rate, jack, trials, genuineOf, level, dfAdjust: false); break;
                case "Wilson-fixed" when a == 0:
                    if (rate == 0) goto case "Wilson-z";
                    var sch = EffectiveSampleSize.Schuckers(errorsOf, genuineOf);
                    bounds = new RateBounds(WilsonInterval.TwoSided(rate, sch.Effective, level), WilsonInterval.Upper(rate, sch.Effective, level), sch.Effective, false);
                    break;
                case "Wilson-fixed": goto case "Wilson-z"; // the EER has no fixed threshold: the jackknife n_eff
                case "Wilson-pairs":
                    if (rate == 0) { double u = RateInterval.ZeroErrorUpper(trials, level); bounds = new RateBounds(new Interval(0, u), u, trials, true); break; }
                    bounds = new RateBounds(WilsonInterval.TwoSided(rate, trials, level), WilsonInterval.Upper(rate, trials, level), trials, false);
                    break;
                default: throw new InvalidOperationException(methods[b]);
            }
            var iv = bounds.Interval;
            result[a, b] = new Outcome(iv.Low <= truth && truth <= iv.High, iv.High < truth, iv.Low > truth, bounds.Upper >= truth, iv.High - iv.Low,
                rate == 0, a == 0 ? VerificationIntervals.IsApproximate(rate, bounds.EffectiveTrials, pairs.Identities) : VerificationIntervals.IsEerApproximate(rate, bounds.EffectiveTrials, genuineOf));
        }
    }
    return result;
}

static LabelledPairs Simulate(Regime regime, Random random, int impostorCap)
{
    var (scores, a, b, _) = SimulateTwo(regime, random, null, impostorCap);
    return LabelledPairs.Create(scores, a, b, regime.Identities);
}

// One evaluation set scored by model A and, when second is given, by a model B on the same pairs: B shares every
// identity, image and identity-pair effect of A and half of each pair's own noise (correlation 0.5; the other half from
// its own generator, so that A's draws are those of Simulate), with genuine mean second.Mean. Both are exactly N(mean, 1)
// and N(0, 1) over the population, so B's truth is known the same way.
static (float[] A, int[] IdentityA, int[] IdentityB, float[]? B) SimulateTwo(Regime regime, Random random, (double Mean, Random Noise)? second, int impostorCap)
{
    int n = regime.Identities, m = regime.Images;
    const double r = 0.5;
    double rr = Math.Sqrt(1 - r * r);
    double spareB = double.NaN;
    double NormalB()
    {
        var g = second!.Value.Noise;
        if (!double.IsNaN(spareB)) { double x = spareB; spareB = double.NaN; return x; }
        double rad = Math.Sqrt(-2 * Math.Log(1 - g.NextDouble())), t = 2 * Math.PI * g.NextDouble();
        spareB = rad * Math.Sin(t);
        return rad * Math.Cos(t);
    }
    var scoresB = second is null ? null : new List<float>();
    // Box-Muller, both values used.
    double spare = double.NaN;
    double Normal()
    {
        if (!double.IsNaN(spare)) { double s = spare; spare = double.NaN; return s; }
        double r = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), t = 2 * Math.PI * random.NextDouble();
        spare = r * Math.Sin(t);
        return r * Math.Cos(t);
    }
    var d = new double[n];
    var u = new double[n];
    var q = new double[n, m];
    for (int i = 0; i < n; i++)
    {
        d[i] = Normal(); u[i] = Normal();
        for (int j = 0; j < m; j++) q[i, j] = Normal();
    }
    var scores = new List<float>();
    var a = new List<int>();
    var b = new List<int>();
    double sd = Math.Sqrt(0.4), sq = Math.Sqrt(0.15), se = Math.Sqrt(0.3);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            for (int k = j + 1; k < m; k++)
            {
                double shared = sd * d[i] + sq * (q[i, j] + q[i, k]), e = Normal();
                scores.Add((float)(regime.GenuineMean + shared + se * e));
                scoresB?.Add((float)(second!.Value.Mean + shared + se * (r * e + rr * NormalB())));
                a.Add(i); b.Add(i);
            }
    long impostorPairs = (long)n * (n - 1) / 2 * m * m;
    double su = Math.Sqrt(0.1), sv = Math.Sqrt(0.2), sh = Math.Sqrt(0.6);
    var v = new double[n, n];
    for (int i = 0; i < n; i++) for (int k = i + 1; k < n; k++) v[i, k] = Normal();
    if (impostorPairs <= impostorCap)
    {
        for (int i = 0; i < n; i++)
            for (int k = i + 1; k < n; k++)
                for (int j = 0; j < m * m; j++)
                {
                    double shared = su * (u[i] + u[k]) + sv * v[i, k], h = Normal();
                    scores.Add((float)(shared + sh * h));
                    scoresB?.Add((float)(shared + sh * (r * h + rr * NormalB())));
                    a.Add(i); b.Add(k);
                }
    }
    else
    {
        // More pairs than the cap: a uniform sample of the impostor image pairs (with replacement, negligible at these sizes).
        for (int t = 0; t < impostorCap; t++)
        {
            int i = random.Next(n), k = random.Next(n - 1);
            if (k >= i) k++;
            (i, k) = (Math.Min(i, k), Math.Max(i, k));
            double shared = su * (u[i] + u[k]) + sv * v[i, k], h = Normal();
            scores.Add((float)(shared + sh * h));
            scoresB?.Add((float)(shared + sh * (r * h + rr * NormalB())));
            a.Add(i); b.Add(k);
        }
    }
    return (scores.ToArray(), a.ToArray(), b.ToArray(), scoresB?.ToArray());
}

// Paired differences (Compare-FaceModel, the report's Decision section): model B with twice A's FNMR at the target
// (capped at 50 %), scored on the same pairs; coverage of the true TAR(A) − TAR(B) and EER(A) − EER(B).
static Outcome[,] RunDifference(Regime regime, IntervalMethod[] methods, int replicates, int seed, int impostorCap)
{
    double fnmrB = Math.Min(0.5, 2 * regime.Fnmr);
    double meanB = regime.Threshold - Distributions.NormalQuantile(fnmrB);
    var (scoresA, first, second, scoresB) = SimulateTwo(regime, new Random(seed), (meanB, new Random(unchecked(seed * 31 + 7))), impostorCap);
    var paired = PairedScores.Create(["a", "b"], [scoresA, scoresB!],
        first.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), second.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
    double trueTar = fnmrB - regime.Fnmr;
    double trueEer = regime.TrueEer - Distributions.NormalCdf(-meanB / 2);
    var result = new Outcome[2, methods.Length];
    for (int k = 0; k < methods.Length; k++)
    {
        var c = PairedBootstrap.Compare(paired, [regime.Far], replicates, seed, 0.95, method: methods[k]).Comparisons;
        for (int a = 0; a < 2; a++)
        {
            var row = c.Single(x => x.Metric == (a == 0 ? PairedBootstrap.Tar : PairedBootstrap.Eer));
            double truth = a == 0 ? trueTar : trueEer;
            // A miss is optimistic when the interval claims a larger advantage of A than there is (TAR: above; EER: below).
            bool above = row.Lower > truth, below = row.Upper < truth;
            bool optimistic = a == 0 ? above : below;
            result[a, k] = new Outcome(!above && !below, optimistic, (above || below) && !optimistic, true, row.Upper - row.Lower, false, false);
        }
    }
    return result;
}

record Regime(string Name, int Identities, int Images, double Far, double Fnmr)
{
    public double Threshold => Distributions.NormalQuantile(1 - Far);
    public double GenuineMean => Threshold - Distributions.NormalQuantile(Fnmr);
    public double TrueEer => Distributions.NormalCdf(-GenuineMean / 2);
}

record Outcome(bool Covered, bool Optimistic, bool Pessimistic, bool UpperCovered, double Width, bool ZeroErrors, bool Approximate);

sealed class Tally
{
    public int N, Covered, Optimistic, Pessimistic, UpperCovered, ZeroErrors, Approximate;
    public double WidthSum;
    public void Add(Outcome o)
    {
        N++;
        if (o.Covered) Covered++;
        if (o.Optimistic) Optimistic++;
        if (o.Pessimistic) Pessimistic++;
        if (o.UpperCovered) UpperCovered++;
        if (o.ZeroErrors) ZeroErrors++;
        if (o.Approximate) Approximate++;
        WidthSum += o.Width;
    }
    public double Coverage => (double)Covered / N;
    public double UpperCoverage => (double)UpperCovered / N;
    public double MeanWidth => WidthSum / N;
}
