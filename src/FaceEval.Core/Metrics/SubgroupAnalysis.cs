using System.Globalization;
using System.Runtime.InteropServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Who does the model fail: error rates per demographic group at one global threshold, as NIST's FRVT
/// demographic-differential reports measure them (NISTIR 8280; summarised in FRVT Part 8, NISTIR 8429), and
/// as ISO/IEC 19795-10 asks evaluations to report them.
/// </summary>
/// <remarks>
/// <para>Definitions, at the global threshold T* (the strict threshold at GroupFar over all impostor pairs,
/// <see cref="VerificationMetrics.StrictThreshold"/>: the lowest threshold whose FMR is at most the
/// target; a pair is a match when its score is at or above the threshold, so ties at T* match):</para>
/// <list type="bullet">
/// <item>FMR_d: impostor pairs with both images in group d scoring at or above T*, over all such pairs.</item>
/// <item>FNMR_d: genuine pairs with both images in d scoring below T*, over all such pairs (a pair with a
/// failure to enrol is a non-match when failures are scored as rejections).</item>
/// <item>FMR_{d,e}: impostor pairs with one image in d and one in e at or above T*, over all such pairs.</item>
/// <item>GroupThreshold_d: the strict threshold at GroupFar over d's impostor pairs alone.</item>
/// <item>A rate is not estimable (NaN, "n/e") when its group has fewer than 1/GroupFar impostor pairs
/// (FMR) or no genuine pair (FNMR).</item>
/// <item>Inequity: max_d r_d / geomean_d r_d over the groups whose rate r is estimable (NIST); not
/// estimable with fewer than two such groups or a zero rate (then the rule-of-three bound 3/n is given).</item>
/// <item>FDR = 1 − (α·max|FMR_i − FMR_j| + (1 − α)·max|FNMR_i − FNMR_j|), α = 0.5 (Pereira and Marcel, "Fairness
/// in biometrics: a figure of merit to assess biometric verification systems", IEEE T-BIOM 4(1), 2022),
/// over the estimable groups; not estimable with fewer than two of them for either rate.</item>
/// </list>
/// <para>It reads the scores already computed for the whole evaluation (no pair is scored twice): the
/// unsorted arrays of <see cref="PairScorer"/>, whose layout is row by row (i ascending, over items with an
/// embedding), and within a row the later items j with an embedding ascending, genuine and impostor scores
/// each in their own array.</para>
/// </remarks>
public static class SubgroupAnalysis
{
    /// <summary>The default target FMR of the global threshold.</summary>
    public const double DefaultGroupFar = 1e-3;

    /// <summary>α of the fairness discrepancy rate.</summary>
    public const double FdrAlpha = 0.5;

    /// <summary>The global threshold T*: the strict threshold at <paramref name="groupFar"/> over every pair of the set.</summary>
    public static double GlobalThreshold(ScoreSet all, double groupFar) => VerificationMetrics.StrictThreshold(all.Genuine, all.Impostor, all.ImpostorCount, groupFar);

    /// <summary>Scores every pair of <paramref name="vectors"/> and breaks them down (for tests and small sets; the evaluation reuses its own scores).</summary>
    public static SubgroupBreakdown Measure(string model, IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities, IReadOnlyList<GroupAttribute> attributes,
        double groupFar = DefaultGroupFar, int bootstrap = 0, int seed = 0, double level = 0.95, CancellationToken cancellation = default)
    {
        var scores = PairScorer.ScoreAllPairs(vectors, identities);
        var all = ScoreSet.Create(scores.Genuine, scores.Impostor, scores.GenuineFailures, scores.ImpostorFailures);
        var input = new SubgroupInput { Identity = identities, Enrolled = vectors.Select(v => v.Length > 0).ToArray(), Attributes = attributes };
        return Measure(model, input, scores, GlobalThreshold(all, groupFar), groupFar, bootstrap, seed, level, cancellation);
    }

    /// <summary>Breaks the scored pairs down by every attribute of <paramref name="input"/> at the global threshold <paramref name="threshold"/>.</summary>
    /// <param name="model">Named on every row.</param>
    /// <param name="input">The scored items, in the order scored, with their attributes.</param>
    /// <param name="scores">The scores in <see cref="PairScorer"/>'s layout (not sorted).</param>
    /// <param name="threshold">T*, from <see cref="GlobalThreshold"/>.</param>
    /// <param name="groupFar">The target FMR that set T*: also the estimability rule and the group thresholds' target.</param>
    /// <param name="bootstrap">Replicates of the within-group identity bootstrap; 0 for none.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="level">Two-sided level of the intervals.</param>
    /// <param name="cancellation">Checked between replicates.</param>
    /// <param name="method">How each group's FMR and FNMR interval is made from the within-group replicates, at the fixed T*:
    /// Percentile (this function's default) or Bca of the replicates, or Wilson / ClopperPearson on the group's effective number of
    /// pairs (<see cref="RateInterval"/>: n_eff from the leave-one-identity-out variance at the fixed T*; a group with no
    /// error gets [0, clustered rule of three]). The inequity indices and FDR keep percentile intervals.</param>
    public static SubgroupBreakdown Measure(string model, SubgroupInput input, PairScores scores, double threshold, double groupFar,
        int bootstrap = 0, int seed = 0, double level = 0.95, CancellationToken cancellation = default, IntervalMethod method = IntervalMethod.Percentile)
    {
        if (!(groupFar > 0 && groupFar <= 1)) throw new ArgumentOutOfRangeException(nameof(groupFar), groupFar, "GroupFar is a target FMR in (0, 1].");
        if (bootstrap == 1 || bootstrap < 0) throw new ArgumentOutOfRangeException(nameof(bootstrap), bootstrap, "0 (no intervals) or at least 2 replicates.");
        int n = input.Identity.Count;
        if (input.Enrolled.Count != n) throw new ArgumentException($"{n} identities but {input.Enrolled.Count} enrolment flags.", nameof(input));
        var ids = IdentityIndex.Of(input.Identity, out _);
        var ok = input.Enrolled.ToArray();
        var tallies = new List<AttributeTally>();
        foreach (var attribute in input.Attributes)
        {
            if (attribute.Values.Count != n) throw new ArgumentException($"Attribute '{attribute.Name}' has {attribute.Values.Count} values for {n} items.", nameof(input));
            tallies.Add(new AttributeTally(attribute, ids, ok, bootstrap > 0));
        }
        Walk(ids, ok, scores, threshold, tallies);

        var groups = new List<GroupRate>();
        var cross = new List<CrossGroupRate>();
        var indices = new List<GroupInequity>();
        for (int a = 0; a < tallies.Count; a++)
        {
            var t = tallies[a];
            var rows = t.Rows(model, threshold, groupFar);
            var crossRows = t.CrossRows(model, groupFar);
            var index = Indices(model, t.Attribute.Name, rows, groupFar, threshold, t.Unlabelled);
            if (bootstrap > 0)
            {
                (rows, index) = t.Bootstrap(rows, index, bootstrap, unchecked(seed + 7919 * a), level, groupFar, cancellation, method);
            }
            groups.AddRange(rows);
            cross.AddRange(crossRows);
            indices.Add(index);
        }
        return new SubgroupBreakdown(groups.ToArray(), cross.ToArray(), indices.ToArray(), groupFar, threshold);
    }

    /// <summary>NIST's max over geometric mean of the rates; NaN with fewer than two rates or a rate of 0.</summary>
    public static double MaxOverGeometricMean(IReadOnlyList<double> rates)
    {
        if (rates.Count < 2 || rates.Any(r => !(r > 0))) return double.NaN;
        double meanLog = rates.Average(Math.Log);
        return rates.Max() / Math.Exp(meanLog);
    }

    /// <summary>The fairness discrepancy rate 1 − (α·max|ΔFMR| + (1 − α)·max|ΔFNMR|); NaN with fewer than two of either.</summary>
    public static double FairnessDiscrepancyRate(IReadOnlyList<double> fmr, IReadOnlyList<double> fnmr, double alpha = FdrAlpha)
    {
        if (fmr.Count < 2 || fnmr.Count < 2) return double.NaN;
        return 1 - (alpha * (fmr.Max() - fmr.Min()) + (1 - alpha) * (fnmr.Max() - fnmr.Min()));
    }

    /// <summary>The summary indices of one attribute's rows, with a note on what could not be estimated.</summary>
    public static GroupInequity Indices(string model, string attribute, IReadOnlyList<GroupRate> rows, double groupFar, double threshold, int unlabelled = 0)
    {
        var notes = new List<string>();
        var fmr = rows.Where(r => r.FmrEstimable).ToList();
        var fnmr = rows.Where(r => r.FnmrEstimable).ToList();
        var fmrLeft = rows.Where(r => !r.FmrEstimable).Select(r => r.Group).ToList();
        var fnmrLeft = rows.Where(r => !r.FnmrEstimable).Select(r => r.Group).ToList();
        if (fmrLeft.Count > 0)
            notes.Add($"FMR n/e (fewer than {MinimumPairs(groupFar):N0} impostor pairs) and left out of the FMR indices: {string.Join(", ", fmrLeft)}");
        if (fnmrLeft.Count > 0)
            notes.Add($"FNMR n/e (no genuine pair) and left out of the FNMR indices: {string.Join(", ", fnmrLeft)}");
        double fmrRatio = Ratio(fmr.Select(r => (r.Group, r.Fmr, r.ImpostorPairs)).ToList(), "FMR", "impostor", notes);
        double fnmrRatio = Ratio(fnmr.Select(r => (r.Group, r.Fnmr, r.GenuinePairs)).ToList(), "FNMR", "genuine", notes);
        double fdr = FairnessDiscrepancyRate(fmr.Select(r => r.Fmr).ToList(), fnmr.Select(r => r.Fnmr).ToList());
        if (double.IsNaN(fdr)) notes.Add("FDR not estimable: fewer than two groups with an estimable FMR and FNMR");
        if (unlabelled > 0) notes.Add($"{unlabelled:N0} image(s) without a value for {attribute} are left out");
        return new GroupInequity
        {
            Model = model, Attribute = attribute, Groups = rows.Count, Unlabelled = unlabelled, GroupFar = groupFar, Threshold = threshold,
            FmrInequity = fmrRatio, FnmrInequity = fnmrRatio, Fdr = fdr, Note = string.Join("; ", notes),
        };
    }

    private static double Ratio(List<(string Group, double Rate, long Pairs)> rates, string name, string kind, List<string> notes)
    {
        if (rates.Count < 2)
        {
            notes.Add($"{name} inequity not estimable: fewer than two groups with an estimable {name}");
            return double.NaN;
        }
        var zero = rates.Where(r => r.Rate == 0).ToList();
        if (zero.Count > 0)
        {
            notes.Add($"{name} inequity not estimable: {name} is 0 in " + string.Join(", ", zero.Select(z =>
                string.Create(CultureInfo.InvariantCulture, $"{z.Group} (0 of {z.Pairs:N0} {kind} pairs; rule of three: below {Short(3.0 / z.Pairs)} at 95%)"))));
            return double.NaN;
        }
        return MaxOverGeometricMean(rates.Select(r => r.Rate).ToList());
    }

    /// <summary>A rate for a note: 0.0158 or 1.58e-4.</summary>
    private static string Short(double rate) => rate.ToString(rate >= 0.01 ? "0.####" : "0.##e0", CultureInfo.InvariantCulture);

    /// <summary>The fewest impostor pairs that measure <paramref name="groupFar"/>: 1/GroupFar (<see cref="VerificationMetrics.IsEstimable"/>).</summary>
    private static long MinimumPairs(double groupFar) => (long)Math.Ceiling(1 / groupFar - 1e-9);

    /// <summary>
    /// One pass per attribute over every pair in the scorer's layout: each pair's score (or its failure to
    /// enrol) goes to the tallies of the groups that hold both its images. Rows of images the attribute
    /// leaves out are skipped whole, their scores counted past.
    /// </summary>
    private static void Walk(int[] ids, bool[] ok, PairScores scores, double threshold, List<AttributeTally> tallies)
    {
        int n = ids.Length;
        // Scores per row, as the scorer lays them out: row i holds the later enrolled items j, genuine and impostor apart.
        var rowGenuine = new long[n];
        var rowImpostor = new long[n];
        var enrolledAfter = new Dictionary<int, long>();
        long enrolledSoFar = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            long same = enrolledAfter.GetValueOrDefault(ids[i]);
            if (ok[i])
            {
                rowGenuine[i] = same;
                rowImpostor[i] = enrolledSoFar - same;
                enrolledAfter[ids[i]] = same + 1;
                enrolledSoFar++;
            }
        }
        long genuineTotal = rowGenuine.Sum(), impostorTotal = rowImpostor.Sum();
        if (genuineTotal != scores.Genuine.LongLength || impostorTotal != scores.Impostor.LongLength)
            throw new ArgumentException($"The scores do not follow the scorer's layout for these items: {scores.Genuine.LongLength:N0} genuine and {scores.Impostor.LongLength:N0} impostor scores, the items give {genuineTotal:N0} and {impostorTotal:N0}.", nameof(scores));
        foreach (var t in tallies) t.Pass(ids, ok, scores.Genuine, scores.Impostor, threshold, rowGenuine, rowImpostor);
    }

    /// <summary>The pairs of one attribute, by group (and by identity within a group, for the bootstrap).</summary>
    private sealed class AttributeTally
    {
        public GroupAttribute Attribute { get; }
        public int Unlabelled { get; }
        private readonly string[] _names;
        private readonly int[] _group; // per item, -1 for none
        private readonly int[] _local; // per item, its identity's index within its group
        private readonly int G;
        private readonly int[] _images, _failures, _identities;
        private readonly float[][] _genuine, _impostor; // scored pairs within each group
        private readonly int[] _gCount, _mCount;
        private readonly long[] _genuineFailures, _impostorFailures;
        private readonly long[] _cellPairs, _cellMatches; // G x G, (min, max)
        // For the bootstrap: per group, per identity genuine pairs and non-matches; per identity pair impostor pairs and matches.
        private readonly long[][]? _idGenuine, _idNonMatch;
        private readonly Dictionary<long, (long Pairs, long Matches)>[]? _idImpostor;

        public AttributeTally(GroupAttribute attribute, int[] ids, bool[] ok, bool forBootstrap)
        {
            Attribute = attribute;
            int n = ids.Length;
            _names = attribute.Values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            G = _names.Length;
            var index = _names.Select((name, k) => (name, k)).ToDictionary(x => x.name, x => x.k, StringComparer.Ordinal);
            _group = new int[n];
            _local = new int[n];
            _images = new int[G];
            _failures = new int[G];
            _identities = new int[G];
            var localIds = new Dictionary<(int Group, int Id), int>();
            var enrolledPerIdentity = new Dictionary<(int Group, int Id), long>();
            var enrolled = new long[G];
            int unlabelled = 0;
            for (int i = 0; i < n; i++)
            {
                string? v = attribute.Values[i];
                if (string.IsNullOrEmpty(v)) { _group[i] = -1; unlabelled++; continue; }
                int d = _group[i] = index[v];
                _images[d]++;
                if (!ok[i]) _failures[d]++;
                if (!localIds.TryGetValue((d, ids[i]), out int local)) localIds[(d, ids[i])] = local = _identities[d]++;
                _local[i] = local;
                if (ok[i]) { enrolled[d]++; enrolledPerIdentity[(d, ids[i])] = enrolledPerIdentity.GetValueOrDefault((d, ids[i])) + 1; }
            }
            foreach (var v in attribute.LeftOutFailures ?? Array.Empty<string?>())
            {
                if (string.IsNullOrEmpty(v)) { unlabelled++; continue; }
                if (!index.TryGetValue(v, out int d)) continue; // a group with no scored image has no pairs to report
                _images[d]++;
                _failures[d]++;
            }
            Unlabelled = unlabelled;
            // Exact sizes: C(k, 2) genuine scores per identity and group, the rest of the group's C(e, 2) impostor.
            var genuineSize = new long[G];
            foreach (var ((d, _), k) in enrolledPerIdentity) genuineSize[d] += k * (k - 1) / 2;
            _genuine = new float[G][];
            _impostor = new float[G][];
            for (int d = 0; d < G; d++)
            {
                _genuine[d] = new float[genuineSize[d]];
                _impostor[d] = new float[enrolled[d] * (enrolled[d] - 1) / 2 - genuineSize[d]];
            }
            _gCount = new int[G];
            _mCount = new int[G];
            _genuineFailures = new long[G];
            _impostorFailures = new long[G];
            _cellPairs = new long[G * G];
            _cellMatches = new long[G * G];
            if (forBootstrap)
            {
                _idGenuine = new long[G][];
                _idNonMatch = new long[G][];
                _idImpostor = new Dictionary<long, (long, long)>[G];
                for (int d = 0; d < G; d++)
                {
                    _idGenuine[d] = new long[_identities[d]];
                    _idNonMatch[d] = new long[_identities[d]];
                    _idImpostor[d] = new Dictionary<long, (long, long)>();
                }
            }
        }

        /// <summary>Tallies every pair whose two images both have a group of this attribute.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Pass(int[] ids, bool[] ok, float[] genuine, float[] impostor, double threshold, long[] rowGenuine, long[] rowImpostor)
        {
            int n = ids.Length;
            var grp = _group;
            bool boot = _idGenuine is not null;
            // A score is a match when it is at or above T*. T* is a score (a float) or just above one, so
            // comparing the float score with the double threshold is exact.
            long g = 0, m = 0;
            for (int i = 0; i < n; i++)
            {
                int a = grp[i];
                if (a < 0) { g += rowGenuine[i]; m += rowImpostor[i]; continue; }
                int id = ids[i];
                var gen = _genuine[a];
                var imp = _impostor[a];
                int gc = _gCount[a], mc = _mCount[a];
                int rowCell = a * G;
                if (!ok[i])
                {
                    // A failure to enrol: every pair of the row is a rejection.
                    for (int j = i + 1; j < n; j++)
                    {
                        int b = grp[j];
                        if (b < 0) continue;
                        if (ids[j] == id)
                        {
                            if (b != a) continue;
                            _genuineFailures[a]++;
                            if (boot) { _idGenuine![a][_local[i]]++; _idNonMatch![a][_local[i]]++; }
                        }
                        else
                        {
                            _cellPairs[a <= b ? rowCell + b : b * G + a]++;
                            if (b != a) continue;
                            _impostorFailures[a]++;
                            if (boot) Impostor(a, i, j, false);
                        }
                    }
                    continue;
                }
                for (int j = i + 1; j < n; j++)
                {
                    int b = grp[j];
                    bool same = ids[j] == id;
                    if (!ok[j])
                    {
                        if (b < 0) continue;
                        if (same)
                        {
                            if (b != a) continue;
                            _genuineFailures[a]++;
                            if (boot) { _idGenuine![a][_local[i]]++; _idNonMatch![a][_local[i]]++; }
                        }
                        else
                        {
                            _cellPairs[a <= b ? rowCell + b : b * G + a]++;
                            if (b != a) continue;
                            _impostorFailures[a]++;
                            if (boot) Impostor(a, i, j, false);
                        }
                        continue;
                    }
                    if (same)
                    {
                        float score = genuine[g++];
                        if (b != a) continue; // a genuine pair across groups belongs to neither group's FNMR
                        gen[gc++] = score;
                        if (boot) { _idGenuine![a][_local[i]]++; if (!(score >= threshold)) _idNonMatch![a][_local[i]]++; }
                    }
                    else
                    {
                        float score = impostor[m++];
                        if (b < 0) continue;
                        bool match = score >= threshold;
                        int cell = a <= b ? rowCell + b : b * G + a;
                        _cellPairs[cell]++;
                        if (match) _cellMatches[cell]++;
                        if (b != a) continue;
                        imp[mc++] = score;
                        if (boot) Impostor(a, i, j, match);
                    }
                }
                _gCount[a] = gc;
                _mCount[a] = mc;
            }
        }

        private void Impostor(int a, int i, int j, bool match)
        {
            int k = Math.Min(_local[i], _local[j]), l = Math.Max(_local[i], _local[j]);
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_idImpostor![a], (long)k * _identities[a] + l, out _);
            entry = (entry.Pairs + 1, entry.Matches + (match ? 1 : 0));
        }

        public GroupRate[] Rows(string model, double threshold, double groupFar)
        {
            var rows = new GroupRate[G];
            for (int d = 0; d < G; d++)
            {
                var gen = _genuine[d];
                var imp = _impostor[d];
                long genuinePairs = gen.LongLength + _genuineFailures[d];
                long impostorPairs = imp.LongLength + _impostorFailures[d];
                // ScoreSet sorts the scores (and the ROC needs one); a group without it sorts them here.
                ScoreSet? set = genuinePairs > 0 && impostorPairs > 0 && gen.Length + imp.Length > 0
                    ? ScoreSet.Adopt(gen, imp, _genuineFailures[d], _impostorFailures[d]) : null;
                if (set is null) { FloatSort.Sort(gen); FloatSort.Sort(imp); }
                long falseMatches = ScoreSet.AtOrAbove(imp, threshold);
                long falseNonMatches = genuinePairs - ScoreSet.AtOrAbove(gen, threshold);
                bool fmrOk = impostorPairs > 0 && VerificationMetrics.IsEstimable(impostorPairs, groupFar);
                bool fnmrOk = genuinePairs > 0;
                double fmr = fmrOk ? (double)falseMatches / impostorPairs : double.NaN;
                double fnmr = fnmrOk ? (double)falseNonMatches / genuinePairs : double.NaN;
                double groupThreshold = fmrOk ? VerificationMetrics.StrictThreshold(gen, imp, impostorPairs, groupFar) : double.NaN;
                var roc = set is null ? Array.Empty<RocPoint>() : VerificationMetrics.ThinnedRoc(set);
                rows[d] = new GroupRate
                {
                    Model = model, Attribute = Attribute.Name, Group = _names[d], Identities = _identities[d], Images = _images[d],
                    GenuinePairs = genuinePairs, ImpostorPairs = impostorPairs, FailureToEnrol = _failures[d],
                    FalseMatches = falseMatches, FalseNonMatches = falseNonMatches,
                    Fmr = fmr, Fnmr = fnmr, FmrEstimable = fmrOk, FnmrEstimable = fnmrOk,
                    FmrRuleOfThree = fmrOk && falseMatches == 0 ? 3.0 / impostorPairs : double.NaN,
                    FnmrRuleOfThree = fnmrOk && falseNonMatches == 0 ? 3.0 / genuinePairs : double.NaN,
                    Threshold = threshold, GroupFar = groupFar, GroupThreshold = groupThreshold, ThresholdShift = groupThreshold - threshold,
                    Roc = roc,
                };
            }
            return rows;
        }

        public CrossGroupRate[] CrossRows(string model, double groupFar)
        {
            var rows = new List<CrossGroupRate>();
            for (int a = 0; a < G; a++)
                for (int b = a; b < G; b++)
                {
                    long pairs = _cellPairs[a * G + b], matches = _cellMatches[a * G + b];
                    bool ok = pairs > 0 && VerificationMetrics.IsEstimable(pairs, groupFar);
                    rows.Add(new CrossGroupRate
                    {
                        Model = model, Attribute = Attribute.Name, GroupA = _names[a], GroupB = _names[b],
                        ImpostorPairs = pairs, FalseMatches = matches, Fmr = ok ? (double)matches / pairs : double.NaN, Estimable = ok,
                    });
                }
            return rows.ToArray();
        }

        /// <summary>
        /// Group <paramref name="d"/>'s FMR and FNMR with each of its identities left out in turn (every pair of that
        /// identity removed; T* fixed), and the trials of each identity: its impostor pairs within the group (a pair
        /// counts for both its identities, as in <see cref="EffectiveSampleSize.WithoutErrors"/>' m₀) and its genuine pairs.
        /// </summary>
        private (double[] FmrJack, double[] FmrTrials, double[] FnmrJack, double[] FnmrTrials) LeaveOneOut(int d, (long Key, (long Pairs, long Matches) Value)[] impostorPairs)
        {
            int count = _identities[d];
            var pairsOf = new double[count];
            var matchesOf = new double[count];
            double pairs = 0, matches = 0;
            foreach (var (key, value) in impostorPairs)
            {
                int a = (int)(key / count), b = (int)(key % count);
                pairsOf[a] += value.Pairs; matchesOf[a] += value.Matches;
                if (b != a) { pairsOf[b] += value.Pairs; matchesOf[b] += value.Matches; }
                pairs += value.Pairs; matches += value.Matches;
            }
            var genuineOf = _idGenuine![d].Select(v => (double)v).ToArray();
            double genuine = genuineOf.Sum(), nonMatches = _idNonMatch![d].Sum();
            var fmrJack = new double[count];
            var fnmrJack = new double[count];
            for (int k = 0; k < count; k++)
            {
                double p = pairs - pairsOf[k], g = genuine - genuineOf[k];
                fmrJack[k] = p > 0 ? (matches - matchesOf[k]) / p : double.NaN;
                fnmrJack[k] = g > 0 ? (nonMatches - _idNonMatch[d][k]) / g : double.NaN;
            }
            return (fmrJack, pairsOf, fnmrJack, genuineOf);
        }

        /// <summary>
        /// Percentile intervals of each group's FMR and FNMR and of the indices: in each replicate every group
        /// draws its own identities with replacement (as many as it has), an identity drawn c times counting
        /// its genuine pairs c times and an impostor pair of identities drawn c and c' times counting c·c'
        /// times (no pair between two copies of one identity), at the same threshold T*.
        /// </summary>
        public (GroupRate[] Rows, GroupInequity Index) Bootstrap(GroupRate[] rows, GroupInequity index, int replicates, int seed, double level, double groupFar, CancellationToken cancellation,
            IntervalMethod method = IntervalMethod.Percentile)
        {
            var random = new Random(seed);
            var fmr = new double[G][];
            var fnmr = new double[G][];
            for (int d = 0; d < G; d++) { fmr[d] = new double[replicates]; fnmr[d] = new double[replicates]; }
            var fmrIneq = new double[replicates];
            var fnmrIneq = new double[replicates];
            var fdr = new double[replicates];
            var impostorPairs = _idImpostor!.Select(dict => dict.Select(e => (e.Key, e.Value)).ToArray()).ToArray();
            for (int r = 0; r < replicates; r++)
            {
                cancellation.ThrowIfCancellationRequested();
                for (int d = 0; d < G; d++)
                {
                    int count = _identities[d];
                    var c = new double[count];
                    for (int k = 0; k < count; k++) c[random.Next(count)]++;
                    double gw = 0, gn = 0;
                    for (int k = 0; k < count; k++) { gw += c[k] * _idGenuine![d][k]; gn += c[k] * _idNonMatch![d][k]; }
                    double mw = 0, mm = 0;
                    foreach (var (key, value) in impostorPairs[d])
                    {
                        double w = c[key / count] * c[key % count];
                        mw += w * value.Pairs;
                        mm += w * value.Matches;
                    }
                    fmr[d][r] = rows[d].FmrEstimable && mw > 0 ? mm / mw : double.NaN;
                    fnmr[d][r] = rows[d].FnmrEstimable && gw > 0 ? gn / gw : double.NaN;
                }
                var fm = Enumerable.Range(0, G).Where(d => rows[d].FmrEstimable).Select(d => fmr[d][r]).ToList();
                var fn = Enumerable.Range(0, G).Where(d => rows[d].FnmrEstimable).Select(d => fnmr[d][r]).ToList();
                fmrIneq[r] = fm.Any(double.IsNaN) ? double.NaN : MaxOverGeometricMean(fm);
                fnmrIneq[r] = fn.Any(double.IsNaN) ? double.NaN : MaxOverGeometricMean(fn);
                fdr[r] = fm.Any(double.IsNaN) || fn.Any(double.IsNaN) ? double.NaN : FairnessDiscrepancyRate(fm, fn);
            }
            double lowQ = (1 - level) / 2, highQ = 1 - lowQ;
            (double? Low, double? High) Interval(double[] values, bool estimable) =>
                estimable ? (Metrics.Bootstrap.Quantile(values, lowQ), Metrics.Bootstrap.Quantile(values, highQ)) : (null, null);
            var withIntervals = rows.Select((row, d) =>
            {
                if (method == IntervalMethod.Percentile)
                {
                    var (fl, fh) = Interval(fmr[d], row.FmrEstimable);
                    var (nl, nh) = Interval(fnmr[d], row.FnmrEstimable);
                    return row with { FmrLow = fl, FmrHigh = fh, FnmrLow = nl, FnmrHigh = nh };
                }
                var (fmrJack, fmrTrials, fnmrJack, fnmrTrials) = LeaveOneOut(d, impostorPairs[d]);
                (double? Low, double? High) Rate(double rate, double[] jack, double total, double[] trials, double[] reps, bool estimable)
                {
                    if (!estimable || double.IsNaN(rate)) return (null, null);
                    var b = RateInterval.Of(method, rate, jack, total, trials, level, reps);
                    return (b.Interval.Low, b.Interval.High);
                }
                var (ml, mh) = Rate(row.Fmr, fmrJack, row.ImpostorPairs, fmrTrials, fmr[d], row.FmrEstimable);
                var (gl, gh) = Rate(row.Fnmr, fnmrJack, row.GenuinePairs, fnmrTrials, fnmr[d], row.FnmrEstimable);
                return row with { FmrLow = ml, FmrHigh = mh, FnmrLow = gl, FnmrHigh = gh };
            }).ToArray();
            var (il, ih) = Interval(fmrIneq, !double.IsNaN(index.FmrInequity));
            var (jl, jh) = Interval(fnmrIneq, !double.IsNaN(index.FnmrInequity));
            var (dl, dh) = Interval(fdr, !double.IsNaN(index.Fdr));
            // A replicate whose draw leaves a group without a rate (no pair, or a zero rate for a ratio) cannot
            // give that index; the interval is over the others, which the note says.
            var notes = new List<string>();
            if (index.Note.Length > 0) notes.Add(index.Note);
            void Missing(string name, double estimate, double[] values)
            {
                int k = values.Count(double.IsNaN);
                if (!double.IsNaN(estimate) && k > 0) notes.Add($"{k:N0} of {values.Length:N0} bootstrap replicates could not give the {name} (a group drawn without pairs or with a zero rate) and are left out of its interval");
            }
            Missing("FMR inequity", index.FmrInequity, fmrIneq);
            Missing("FNMR inequity", index.FnmrInequity, fnmrIneq);
            Missing("FDR", index.Fdr, fdr);
            return (withIntervals, index with
            {
                FmrInequityLow = il, FmrInequityHigh = ih, FnmrInequityLow = jl, FnmrInequityHigh = jh, FdrLow = dl, FdrHigh = dh, Note = string.Join("; ", notes),
            });
        }
    }
}
