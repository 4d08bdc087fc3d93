namespace FaceEval.Core.Metrics;

/// <summary>
/// Scores as calibrated log-likelihood ratios, and the cost of using them: Brümmer and du Preez (2006),
/// "Application-independent evaluation of speaker detection", Computer Speech and Language 20 (Cllr, and
/// minCllr by the pool-adjacent-violators algorithm); van Leeuwen and Brümmer (2007), "An introduction to
/// application-independent evaluation of speaker recognition systems" (linear calibration by logistic
/// regression at an effective prior of 1/2, as in the FoCal and BOSARIS toolkits). llr is in nats, Cllr in bits.
/// </summary>
public static class Calibration
{
    /// <summary>Ridge on the slope and intercept of the standardised scores (see <see cref="FitLinear"/>).</summary>
    internal const double Ridge = 1e-6;

    /// <summary>
    /// Cllr = ½ · [mean over genuine pairs of log₂(1 + e^(−llr)) + mean over impostor pairs of log₂(1 + e^(llr))],
    /// in bits (Brümmer and du Preez 2006, eq. 11). 0 for perfect llrs, 1 for a system that always says 0;
    /// an llr of +∞ for a genuine pair (−∞ for an impostor) costs 0, the wrong infinity costs +∞.
    /// </summary>
    /// <exception cref="ArgumentException">No genuine or no impostor llr, or a NaN.</exception>
    public static double Cllr(ReadOnlySpan<double> genuineLlr, ReadOnlySpan<double> impostorLlr)
    {
        if (genuineLlr.IsEmpty || impostorLlr.IsEmpty) throw new ArgumentException("Cllr needs genuine and impostor llrs.", nameof(genuineLlr));
        double genuine = 0, impostor = 0;
        foreach (var l in genuineLlr) genuine += Softplus(-Checked(l));
        foreach (var l in impostorLlr) impostor += Softplus(Checked(l));
        return 0.5 * (genuine / genuineLlr.Length + impostor / impostorLlr.Length) / Math.Log(2);

        static double Checked(double l) => double.IsNaN(l) ? throw new ArgumentException("An llr is NaN.", nameof(genuineLlr)) : l;
    }

    /// <summary>
    /// minCllr: the Cllr of the best monotone (non-decreasing) map from score to llr on these pairs
    /// (Brümmer and du Preez 2006, §4.2; BOSARIS opt_loglr / min_cllr). Scores are sorted and equal scores
    /// pooled into one block first (a map cannot tell tied pairs apart); pool-adjacent-violators then merges
    /// neighbouring blocks until the share of genuine pairs, the posterior P(genuine | block), never falls
    /// from one block to the next. A block's llr is logit(posterior) − ln(Ng / Ni), the posterior log-odds
    /// less the prior log-odds of the set. A block of only genuine pairs has llr +∞, one of only impostors
    /// −∞: each costs 0 (the only pairs it holds are on its right side), as in Brümmer's reference code.
    /// </summary>
    /// <exception cref="ArgumentException">No genuine or no impostor score, or a NaN.</exception>
    public static double MinCllr(ReadOnlySpan<double> genuine, ReadOnlySpan<double> impostor)
    {
        if (genuine.IsEmpty || impostor.IsEmpty) throw new ArgumentException("minCllr needs genuine and impostor scores.", nameof(genuine));
        int n = genuine.Length + impostor.Length;
        var scores = new double[n];
        var isGenuine = new bool[n];
        genuine.CopyTo(scores);
        impostor.CopyTo(scores.AsSpan(genuine.Length));
        for (int i = 0; i < genuine.Length; i++) isGenuine[i] = true;
        foreach (var s in scores) if (double.IsNaN(s)) throw new ArgumentException("A score is NaN.", nameof(genuine));
        Array.Sort(scores, isGenuine);

        // Blocks of equal scores, then pool-adjacent-violators on a stack of (genuine, impostor) counts.
        var g = new List<long>();
        var m = new List<long>();
        for (int i = 0; i < n;)
        {
            long bg = 0, bm = 0;
            double t = scores[i];
            for (; i < n && scores[i] == t; i++) { if (isGenuine[i]) bg++; else bm++; }
            // The new block's posterior bg / (bg + bm) must not be below the one before; while it is, pool.
            while (g.Count > 0 && g[^1] * (bg + bm) > bg * (g[^1] + m[^1]))
            {
                bg += g[^1]; bm += m[^1];
                g.RemoveAt(g.Count - 1); m.RemoveAt(m.Count - 1);
            }
            g.Add(bg); m.Add(bm);
        }

        // With llr = ln((k Ni) / (m Ng)) for a block of k genuine and m impostor pairs:
        // genuine cost log₂(1 + e^(−llr)) = log₂(1 + m Ng / (k Ni)), impostor cost log₂(1 + k Ni / (m Ng)).
        double ng = genuine.Length, ni = impostor.Length, genuineCost = 0, impostorCost = 0;
        for (int b = 0; b < g.Count; b++)
        {
            if (g[b] > 0) genuineCost += g[b] * Log1p(m[b] * ng / (g[b] * ni));
            if (m[b] > 0) impostorCost += m[b] * Log1p(g[b] * ni / (m[b] * ng));
        }
        return 0.5 * (genuineCost / ng + impostorCost / ni) / Math.Log(2);
    }

    /// <summary>
    /// llr(s) = a·s + b by logistic regression weighted to an effective prior of 1/2: the genuine pairs
    /// share a total weight of ½, the impostor pairs the other ½, and (a, b) minimise
    /// ½ · mean_genuine ln(1 + e^(−llr)) + ½ · mean_impostor ln(1 + e^(llr)), which is Cllr on these pairs
    /// (in nats) — so llr, not the posterior log-odds of this set's class sizes, comes out (van Leeuwen and
    /// Brümmer 2007, §3; FoCal's train_llr_fusion at prior 0.5).
    /// <para>Solved by Newton's method with a backtracking line search on the convex objective, on scores
    /// standardised to mean 0 and standard deviation 1 (mapped back at the end). A ridge of
    /// 10⁻⁶ · (a'² + b'²) / 2 on the standardised coefficients makes the objective strictly convex: on data
    /// the line cannot separate it moves the fit by about a millionth; on perfectly separated data, where
    /// the unpenalised optimum is an infinite slope, it stops the slope where the penalty outweighs the
    /// vanishing gain (an llr of roughly ±14 at the nearest pairs), so the fit stays finite.</para>
    /// </summary>
    /// <exception cref="ArgumentException">No genuine or no impostor score, or one that is not finite.</exception>
    public static LlrLine FitLinear(ReadOnlySpan<double> genuine, ReadOnlySpan<double> impostor)
    {
        if (genuine.IsEmpty || impostor.IsEmpty) throw new ArgumentException("A calibration needs genuine and impostor scores.", nameof(genuine));
        double sum = 0, squares = 0;
        foreach (var s in genuine) { if (!double.IsFinite(s)) throw new ArgumentException("Every calibrated score must be finite.", nameof(genuine)); sum += s; }
        foreach (var s in impostor) { if (!double.IsFinite(s)) throw new ArgumentException("Every calibrated score must be finite.", nameof(impostor)); sum += s; }
        int n = genuine.Length + impostor.Length;
        double mean = sum / n;
        foreach (var s in genuine) squares += (s - mean) * (s - mean);
        foreach (var s in impostor) squares += (s - mean) * (s - mean);
        double sd = Math.Sqrt(squares / n);
        if (!(sd > 0)) sd = 1;
        var zg = new double[genuine.Length];
        var zi = new double[impostor.Length];
        for (int i = 0; i < zg.Length; i++) zg[i] = (genuine[i] - mean) / sd;
        for (int i = 0; i < zi.Length; i++) zi[i] = (impostor[i] - mean) / sd;
        double wg = 0.5 / zg.Length, wi = 0.5 / zi.Length;

        double a = 0, b = 0, value = Objective(a, b);
        for (int iteration = 0; iteration < 200; iteration++)
        {
            // Gradient and Hessian of the objective at (a, b).
            double ga = Ridge * a, gb = Ridge * b, haa = Ridge, hab = 0, hbb = Ridge;
            Accumulate(zg, wg, -1);
            Accumulate(zi, wi, +1);
            double det = haa * hbb - hab * hab;
            double da = -(hbb * ga - hab * gb) / det, db = -(haa * gb - hab * ga) / det;
            double decrement = -(ga * da + gb * db); // the Newton decrement squared: twice the predicted gain
            if (!(decrement > 1e-24)) break;
            double step = 1, next = Objective(a + da, b + db);
            while (next > value - 1e-4 * step * decrement && step > 1e-10)
            {
                step /= 2;
                next = Objective(a + step * da, b + step * db);
            }
            if (!(next <= value)) break; // no progress is possible in floating point
            a += step * da;
            b += step * db;
            value = next;

            void Accumulate(double[] z, double w, int side)
            {
                // side −1: genuine, cost softplus(−u); side +1: impostor, cost softplus(u); u = a z + b.
                foreach (var x in z)
                {
                    double u = a * x + b;
                    double p = Sigmoid(u);
                    double d = side > 0 ? p : p - 1, h = p * (1 - p);
                    ga += w * d * x; gb += w * d;
                    haa += w * h * x * x; hab += w * h * x; hbb += w * h;
                }
            }
        }
        return new LlrLine(a / sd, b - a * mean / sd);

        double Objective(double sa, double sb)
        {
            double total = 0.5 * Ridge * (sa * sa + sb * sb);
            foreach (var x in zg) total += wg * Softplus(-(sa * x + sb));
            foreach (var x in zi) total += wi * Softplus(sa * x + sb);
            return total;
        }
    }

    /// <summary>
    /// For every model: <see cref="FitLinear"/> on all its scored pairs gives Slope and Intercept; Cllr is
    /// measured by identity-disjoint two-fold cross-fitting, so no pair is judged by a map fitted on it or
    /// on its people. The identities are split in two halves by a seeded shuffle (the first ⌊n/2⌋ and the
    /// rest); a half holds the genuine pairs of its identities and the impostor pairs whose two identities
    /// both fall in it. The map fitted on one half gives the llrs of the other half's pairs, and the reverse;
    /// Cllr is taken over the pooled llrs of both halves. Impostor pairs across the halves belong to neither
    /// and are left out of the evaluation (a map fitted on either half would have seen one of their
    /// identities). MinCllr (<see cref="MinCllr"/>) is taken on the same pooled pairs, so CalibrationLoss =
    /// Cllr − MinCllr compares like with like. Pairs with a failure to enrol have no score to calibrate and
    /// are left out of everything (counted in FailurePairs). Cllr, MinCllr and CalibrationLoss are NaN
    /// when a half has no genuine or no impostor scored pair.
    /// </summary>
    /// <exception cref="FaceEvalException">CannotMeasure: a model has no scored genuine or no scored impostor pair.</exception>
    public static IReadOnlyList<ModelCalibration> Measure(PairedScores pairs, int seed = 0)
    {
        var order = Enumerable.Range(0, pairs.Identities).ToArray();
        new Random(seed).Shuffle(order);
        var firstHalf = new bool[pairs.Identities];
        for (int r = 0; r < order.Length / 2; r++) firstHalf[order[r]] = true;
        return Enumerable.Range(0, pairs.Models.Count).Select(m => Measure(pairs, m, firstHalf, seed)).ToArray();
    }

    /// <summary>One model's calibration with the halves given (see <see cref="Measure(PairedScores, int)"/>).</summary>
    internal static ModelCalibration Measure(PairedScores pairs, int model, bool[] firstHalf, int seed)
    {
        var scores = pairs.Scores(model);
        // Scored pairs by side (0: genuine, 1: impostor) and by half (0, 1; 2: across).
        var bins = new List<double>[2, 3];
        for (int c = 0; c < 2; c++) for (int h = 0; h < 3; h++) bins[c, h] = new List<double>();
        long failures = 0;
        for (int p = 0; p < scores.Length; p++)
        {
            if (float.IsNegativeInfinity(scores[p])) { failures++; continue; }
            bool ha = firstHalf[pairs.A[p]], hb = firstHalf[pairs.B[p]];
            bins[pairs.IsGenuine(p) ? 0 : 1, ha != hb ? 2 : ha ? 0 : 1].Add(scores[p]);
        }
        var allGenuine = Enumerable.Range(0, 3).SelectMany(h => bins[0, h]).ToArray();
        var allImpostor = Enumerable.Range(0, 3).SelectMany(h => bins[1, h]).ToArray();
        string name = pairs.Models[model];
        if (allGenuine.Length == 0 || allImpostor.Length == 0)
            throw new FaceEvalException(FaceEvalError.CannotMeasure, $"Model '{name}' has no scored {(allGenuine.Length == 0 ? "genuine" : "impostor")} pair: its scores cannot be calibrated.", name);
        var line = FitLinear(allGenuine, allImpostor);

        double cllr = double.NaN, minCllr = double.NaN;
        ReliabilityBin[] reliability = Array.Empty<ReliabilityBin>();
        long evaluatedGenuine = bins[0, 0].Count + bins[0, 1].Count, evaluatedImpostor = bins[1, 0].Count + bins[1, 1].Count;
        if (bins[0, 0].Count > 0 && bins[1, 0].Count > 0 && bins[0, 1].Count > 0 && bins[1, 1].Count > 0)
        {
            var fitted = new[] { FitLinear(bins[0, 0].ToArray(), bins[1, 0].ToArray()), FitLinear(bins[0, 1].ToArray(), bins[1, 1].ToArray()) };
            // Half h is judged by the map of the other half.
            double[] Llrs(int side) => Enumerable.Range(0, 2).SelectMany(h => bins[side, h].Select(s => fitted[1 - h].Llr(s))).ToArray();
            double[] genuineLlr = Llrs(0), impostorLlr = Llrs(1);
            cllr = Cllr(genuineLlr, impostorLlr);
            reliability = Reliability(genuineLlr, impostorLlr);
            minCllr = MinCllr(bins[0, 0].Concat(bins[0, 1]).ToArray(), bins[1, 0].Concat(bins[1, 1]).ToArray());
        }
        return new ModelCalibration
        {
            Model = name, Slope = line.Slope, Intercept = line.Intercept,
            Cllr = cllr, MinCllr = minCllr, CalibrationLoss = cllr - minCllr,
            GenuinePairs = allGenuine.Length, ImpostorPairs = allImpostor.Length,
            EvaluatedGenuinePairs = evaluatedGenuine, EvaluatedImpostorPairs = evaluatedImpostor,
            FailurePairs = failures, Seed = seed, Reliability = reliability,
        };
    }

    /// <summary>
    /// A reliability diagram of llrs (DeGroot and Fienberg 1983, "The comparison and evaluation of forecasters",
    /// applied at the prior the llrs are calibrated for): each pair's predicted probability of being genuine at
    /// a prior of ½ is p = σ(llr); pairs fall in <paramref name="bins"/> equal bins of p over [0, 1] (a p of
    /// exactly 1 in the last). With G genuine and I impostor pairs in all, a genuine pair weighs 1/G and an
    /// impostor 1/I, so both classes count as equally likely, as the prior of ½ says. Per bin holding g genuine
    /// and i impostor pairs: MeanPredicted = (Σ_genuine p / G + Σ_impostor p / I) / (g/G + i/I) and
    /// Observed = (g/G) / (g/G + i/I). Empty bins are left out.
    /// </summary>
    /// <exception cref="ArgumentException">No genuine or no impostor llr, a NaN, or fewer than one bin.</exception>
    public static ReliabilityBin[] Reliability(ReadOnlySpan<double> genuineLlr, ReadOnlySpan<double> impostorLlr, int bins = 10)
    {
        if (genuineLlr.IsEmpty || impostorLlr.IsEmpty) throw new ArgumentException("A reliability diagram needs genuine and impostor llrs.", nameof(genuineLlr));
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "At least one bin.");
        var count = new long[2, bins];
        var sum = new double[2, bins];
        void Add(ReadOnlySpan<double> llrs, int side)
        {
            foreach (double l in llrs)
            {
                if (double.IsNaN(l)) throw new ArgumentException("An llr is NaN.", nameof(genuineLlr));
                double p = Sigmoid(l);
                int b = Math.Min(bins - 1, (int)(p * bins));
                count[side, b]++;
                sum[side, b] += p;
            }
        }
        Add(genuineLlr, 0);
        Add(impostorLlr, 1);
        double g = genuineLlr.Length, i = impostorLlr.Length;
        var result = new List<ReliabilityBin>();
        for (int b = 0; b < bins; b++)
        {
            if (count[0, b] + count[1, b] == 0) continue;
            double weight = count[0, b] / g + count[1, b] / i;
            result.Add(new ReliabilityBin
            {
                Low = (double)b / bins, High = (double)(b + 1) / bins,
                MeanPredicted = (sum[0, b] / g + sum[1, b] / i) / weight,
                Observed = count[0, b] / g / weight,
                GenuinePairs = count[0, b], ImpostorPairs = count[1, b],
            });
        }
        return result.ToArray();
    }

    /// <summary>ln(1 + e^x) without overflow or loss for large |x|.</summary>
    private static double Softplus(double x) => x > 0 ? x + Log1p(Math.Exp(-x)) : Log1p(Math.Exp(x));

    /// <summary>ln(1 + y), accurate for small y (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", Theorem 4).</summary>
    internal static double Log1p(double y)
    {
        double u = 1 + y;
        return u == 1 ? y : double.IsPositiveInfinity(u) ? u : Math.Log(u) * y / (u - 1);
    }

    private static double Sigmoid(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));
}
