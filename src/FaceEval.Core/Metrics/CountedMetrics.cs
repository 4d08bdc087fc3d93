namespace FaceEval.Core.Metrics;

/// <summary>
/// Verification metrics from <see cref="PairCounts"/> (all pairs, merged), by exactly the rules of
/// <see cref="VerificationMetrics"/> on the sorted scores, so the numbers are the same: strict and
/// InsightFace TAR at FAR (threshold, TAR, achieved FAR, false accepts), EER and its threshold, AUC (the
/// Mann-Whitney statistic, a tie counting one half), the score histogram, genuine and impostor statistics.
/// <para>The scores are seen as a descending stream of groups: one per distinct value where the value is known
/// exactly (every genuine score; impostor scores in resolved buckets), one per unresolved impostor bucket
/// otherwise. Each rule reads the stream only near where its answer lies; when that needs the values inside an
/// unresolved bucket, the bucket (and its unresolved neighbours, which a rule often needs next) is added to
/// <see cref="Needed"/>, and the caller refines the counts for a plan with those buckets and asks again.</para>
/// The ROC is the exception: it is sampled at the stream's groups (every distinct value where resolved,
/// every bucket's lowest value elsewhere), so it has other points than the sorted path's, each an exact
/// point of the same curve.
/// </summary>
public sealed class CountedMetrics
{
    private readonly PairCounts _c;
    private readonly float[] _genuine;      // ascending
    private readonly long[] _belowBucket;   // impostors in the buckets below each bucket
    private readonly Dictionary<int, int> _slot = new();
    // The stream, from the highest value down.
    private readonly List<uint> _key = new();
    private readonly List<long> _g = new(), _i = new(), _tpAbove = new(), _fpAbove = new();
    private readonly List<int> _opaque = new(); // the bucket of an unresolved group, else -1
    private readonly long _scoredImpostors;

    /// <summary>Sorts the genuine scores and lays out the stream.</summary>
    /// <exception cref="FaceEvalException">CannotMeasure when there are no pairs to measure (the messages of <see cref="ScoreSet"/>).</exception>
    public CountedMetrics(PairCounts merged)
    {
        _c = merged;
        _genuine = merged.Genuine.ToArray();
        Array.Sort(_genuine);
        _scoredImpostors = merged.ImpostorScored;
        if (_genuine.Length == 0 && _scoredImpostors == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no scored pairs at all: every item failed to enrol.");
        if (_genuine.Length == 0 && merged.GenuineFailures == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no genuine pairs (two embeddings of the same identity): verification cannot be measured.");
        if (_scoredImpostors == 0 && merged.ImpostorFailures == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no impostor pairs (embeddings of different identities): verification cannot be measured.");
        if (merged.Plan is { } plan)
            for (int s = 0; s < plan.Buckets.Length; s++) _slot[plan.Buckets[s]] = s;
        _belowBucket = new long[ScoreKey.Buckets + 1];
        for (int b = 0; b < ScoreKey.Buckets; b++) _belowBucket[b + 1] = _belowBucket[b] + merged.Impostor[b];
        Build();
    }

    /// <summary>Buckets some answer asked for that are not resolved yet.</summary>
    public HashSet<int> Needed { get; } = new();

    /// <summary>True when every answer asked for so far could be given exactly.</summary>
    public bool Complete => Needed.Count == 0;

    public long GenuineCount => _genuine.Length + _c.GenuineFailures;
    public long ImpostorCount => _scoredImpostors + _c.ImpostorFailures;

    /// <summary>The genuine scores, ascending (exact).</summary>
    public float[] Genuine => _genuine;

    /// <summary>The keys of all genuine scores, ascending (one per genuine pair): what a refinement plan carries for the AUC.</summary>
    public uint[] GenuineKeys()
    {
        var keys = new uint[_genuine.Length];
        for (int k = 0; k < keys.Length; k++) keys[k] = ScoreKey.Of(_genuine[k]);
        return keys;
    }

    private void Build()
    {
        // Genuine keys from the top; impostor buckets from the top.
        var gk = new uint[_genuine.Length];
        for (int k = 0; k < gk.Length; k++) gk[k] = ScoreKey.Of(_genuine[k]);
        int gp = gk.Length - 1;
        long tp = 0, fp = 0;
        void Emit(uint key, long g, long i, int opaque)
        {
            _key.Add(key); _g.Add(g); _i.Add(i); _opaque.Add(opaque); _tpAbove.Add(tp); _fpAbove.Add(fp);
            tp += g; fp += i;
        }
        int top = Math.Max(gk.Length > 0 ? ScoreKey.Bucket(gk[^1]) : 0, _scoredImpostors > 0 ? ScoreKey.Bucket(_c.MaxKey) : 0);
        for (int b = top; b >= 0; b--)
        {
            long imp = _c.Impostor[b];
            if (imp == 0)
            {
                // Genuine values only: exact.
                while (gp >= 0 && ScoreKey.Bucket(gk[gp]) == b)
                {
                    uint key = gk[gp];
                    long count = 0;
                    while (gp >= 0 && gk[gp] == key) { count++; gp--; }
                    Emit(key, count, 0, -1);
                }
                continue;
            }
            if (_slot.TryGetValue(b, out int slot))
            {
                // Resolved: merge the exact impostor counts with the genuine values, by key.
                long baseIndex = (long)slot << ScoreKey.SubBits;
                for (int s = ScoreKey.SubBuckets - 1; s >= 0; s--)
                {
                    uint key = ((uint)b << ScoreKey.SubBits) | (uint)s;
                    long i = _c.Sub[baseIndex + s];
                    long count = 0;
                    while (gp >= 0 && gk[gp] == key) { count++; gp--; }
                    if (i + count > 0) Emit(key, count, i, -1);
                }
                continue;
            }
            long genuineHere = 0;
            while (gp >= 0 && ScoreKey.Bucket(gk[gp]) == b) { genuineHere++; gp--; }
            Emit(((uint)b << ScoreKey.SubBits) | ScoreKey.SubMask, genuineHere, imp, b);
        }
    }

    private int Count => _key.Count;
    private bool Opaque(int e) => _opaque[e] >= 0;
    private double Value(int e) => ScoreKey.Value(_key[e]);
    private long TpAfter(int e) => _tpAbove[e] + _g[e];
    private long FpAfter(int e) => _fpAbove[e] + _i[e];

    /// <summary>Asks for group <paramref name="e"/> to be resolved, with the nearest unresolved groups on each side.</summary>
    private void Need(int e)
    {
        Needed.Add(_opaque[e]);
        for (int k = e - 1; k >= 0; k--) if (Opaque(k)) { Needed.Add(_opaque[k]); break; }
        for (int k = e + 1; k < Count; k++) if (Opaque(k)) { Needed.Add(_opaque[k]); break; }
    }

    /// <summary>True when group e is exact; else asks for it.</summary>
    private bool Exact(int e)
    {
        if (!Opaque(e)) return true;
        Need(e);
        return false;
    }

    /// <summary>Strict TAR at each target FAR (see <see cref="VerificationMetrics.TarAtFar"/>); null entries where not yet resolved.</summary>
    public OperatingPoint?[] Strict(IReadOnlyList<double> targets) => targets.Select(Strict).ToArray();

    private OperatingPoint? Strict(double target)
    {
        if (!(target > 0 && target <= 1)) throw new ArgumentOutOfRangeException(nameof(target), target, "A target FAR is in (0, 1].");
        long ic = ImpostorCount, gc = GenuineCount;
        long allowed = (long)Math.Floor(target * ic * (1 + 1e-12));
        double threshold;
        long tp, fa;
        if (allowed >= _scoredImpostors)
        {
            float lowestImpostor = ScoreKey.Value(_c.MinKey);
            threshold = _genuine.Length == 0 ? lowestImpostor : _scoredImpostors == 0 ? _genuine[0] : Math.Min(_genuine[0], lowestImpostor);
            tp = _genuine.Length;
            fa = _scoredImpostors;
        }
        else
        {
            // The group of the (allowed + 1)-th highest impostor score v; the threshold is the next value above it.
            int e = 0;
            while (FpAfter(e) <= allowed) e++;
            if (!Exact(e)) return null;
            if (e == 0) { threshold = Math.BitIncrement(Value(e)); tp = 0; fa = 0; }
            else
            {
                if (!Exact(e - 1)) return null;
                threshold = Value(e - 1);
                tp = _tpAbove[e];
                fa = _fpAbove[e];
            }
        }
        return new OperatingPoint(target, threshold, (double)tp / gc, (double)fa / ic, fa, VerificationMetrics.IsEstimable(ic, target));
    }

    /// <summary>
    /// The EER (see <see cref="VerificationMetrics.Eer"/>). FAR − FRR grows strictly from one candidate
    /// threshold to the next lower one, so the answer is one of the two candidates where it changes sign.
    /// </summary>
    public EerPoint? Eer()
    {
        long ic = ImpostorCount, gc = GenuineCount;
        int n = Count;
        double bestGap = double.MaxValue;
        EerPoint best = default;
        void Try(double t, long tp, long fp)
        {
            double fa = (double)fp / ic, fr = 1 - (double)tp / gc, gap = Math.Abs(fa - fr);
            if (gap <= bestGap) { bestGap = gap; best = ((fa + fr) / 2, t, fa, fr); }
        }
        if (n == 1)
        {
            if (!Exact(0)) return null;
            Try(Math.BitIncrement(Value(0)), 0, 0);
            Try(Math.BitDecrement(Value(0)), _genuine.Length, _scoredImpostors);
            return best;
        }
        // Candidate k: between groups k - 1 and k, accepting what is above group k.
        double D(int k) => (double)_fpAbove[k] / ic - (1 - (double)_tpAbove[k] / gc);
        int lo = 1, hi = n; // first k in [1, n) with D >= 0, n when none
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (D(mid) >= 0) hi = mid; else lo = mid + 1; }
        int crossing = lo;
        bool exact = true;
        for (int e = Math.Max(0, crossing - 2); e <= Math.Min(n - 1, crossing); e++) exact &= Exact(e);
        if (!exact) return null;
        for (int k = Math.Max(1, crossing - 1); k <= Math.Min(n - 1, crossing); k++)
            Try((Value(k - 1) + Value(k)) / 2, _tpAbove[k], _fpAbove[k]);
        return best;
    }

    /// <summary>The InsightFace IJB lookup at each target (see <see cref="VerificationMetrics.TarAtFar"/>); null entries where not yet resolved.</summary>
    public OperatingPoint?[] InsightFace(IReadOnlyList<double> targets) => targets.Select(InsightFace).ToArray();

    /// <summary>
    /// scikit-learn roc_curve(drop_intermediate=True) keeps the first and the last point and every point where
    /// the next group's make-up (genuine, impostor) differs from its own; the lookup takes, of the last kept
    /// point with FPR below the target and the first at or above it, the nearer (a tie to the later), and of
    /// kept points with the same FPR the last. Failures to enrol are one more point, at -infinity.
    /// </summary>
    private OperatingPoint? InsightFace(double target)
    {
        long ic = ImpostorCount, gc = GenuineCount;
        bool failures = _c.GenuineFailures + _c.ImpostorFailures > 0;
        int points = Count + (failures ? 1 : 0);
        long Fp(int m) => m < 0 ? 0 : m == Count ? ic : FpAfter(m);
        long Tp(int m) => m < 0 ? 0 : m == Count ? gc : TpAfter(m);
        double T(int m) => m < 0 ? double.PositiveInfinity : m == Count ? double.NegativeInfinity : Value(m);
        // Whether point m + 1 (both exact) adds what point m added: then m is dropped.
        bool SameMakeUp(int m)
        {
            long g1 = m + 1 == Count ? _c.GenuineFailures : _g[m + 1], i1 = m + 1 == Count ? _c.ImpostorFailures : _i[m + 1];
            return _g[m] == g1 && _i[m] == i1;
        }
        // The first kept point from m on in direction step (-1: up to -1, the start point at +infinity). An
        // unresolved group on the way hides where the point is: every such group is asked for, up to a mixed
        // one (genuine and impostor scores: a kept point is almost surely inside) or 64, and the walk gives null.
        int? Walk(int m, int step)
        {
            int asked = 0;
            bool unresolved = false;
            for (; m >= 0 && m < points; m += step)
            {
                if (m == 0 || m == points - 1) break;
                bool here = Opaque(m), next = m + 1 < Count && Opaque(m + 1);
                if (here || next)
                {
                    if (here) Needed.Add(_opaque[m]);
                    if (next) Needed.Add(_opaque[m + 1]);
                    unresolved = true;
                    if (++asked >= 64 || (here && _g[m] > 0 && _i[m] > 0)) break;
                    continue;
                }
                if (!SameMakeUp(m)) break;
            }
            return unresolved ? null : m;
        }
        int winner;
        int q = 0;
        while (q < points && Fp(q) / (double)ic < target) q++;
        if (q == points) winner = points - 1;
        else
        {
            if (q < Count && !Exact(q)) return null; // the crossing is inside an unresolved bucket
            int? c = Walk(q, 1), previous = Walk(q - 1, -1);
            if (c is null || previous is null) return null;
            double fpr = Fp(c.Value) / (double)ic, previousFpr = Fp(previous.Value) / (double)ic;
            if (Math.Abs(fpr - target) <= Math.Abs(previousFpr - target))
            {
                // Later points of the same FPR add genuine pairs only, so they are exact; the last of them is kept.
                winner = c.Value;
                while (winner + 1 < points && Fp(winner + 1) == Fp(c.Value)) winner++;
            }
            else winner = previous.Value;
        }
        if (winner >= 0 && winner < Count && !Exact(winner)) return null;
        double bestFpr = Fp(winner) / (double)ic, bestTpr = Tp(winner) / (double)gc;
        long falseAccepts = (long)Math.Round(bestFpr * ic);
        return new OperatingPoint(target, T(winner), bestTpr, bestFpr, falseAccepts, VerificationMetrics.IsEstimable(ic, target));
    }

    /// <summary>
    /// The exact Mann-Whitney AUC (see <see cref="VerificationMetrics.Auc"/>): impostors in lower buckets
    /// from the counts, those in a genuine score's own bucket from the refinement's within-bucket sum. Null
    /// before the counts are refined for a plan with these genuine keys.
    /// </summary>
    public double? Auc()
    {
        if (_c.Plan is null) return null;
        // Twice the sum, in integers: the sorted path's double sum of halves is exact at these sizes.
        long twice = _c.GenuineFailures * _c.ImpostorFailures + _c.AucWithinTwice;
        foreach (var g in _genuine) twice += 2 * (_belowBucket[ScoreKey.Bucket(ScoreKey.Of(g))] + _c.ImpostorFailures);
        return twice / 2.0 / ((double)GenuineCount * ImpostorCount);
    }

    /// <summary>The score histogram (see <see cref="ScoreHistograms.Of"/>); null while a bin edge falls in an unresolved bucket.</summary>
    public ScoreHistogram? Histogram(int bins = 100)
    {
        float lowestImpostor = _scoredImpostors > 0 ? ScoreKey.Value(_c.MinKey) : float.PositiveInfinity;
        float highestImpostor = _scoredImpostors > 0 ? ScoreKey.Value(_c.MaxKey) : float.NegativeInfinity;
        double low = Math.Min(_genuine.Length > 0 ? _genuine[0] : float.PositiveInfinity, lowestImpostor);
        double high = Math.Max(_genuine.Length > 0 ? _genuine[^1] : float.NegativeInfinity, highestImpostor);
        if (high <= low) (low, high) = (low - 0.5, low + 0.5);
        double width = (high - low) / bins;
        var genuine = new long[bins];
        var impostor = new long[bins];
        int start = 0;
        long impostorStart = 0;
        bool exact = true;
        for (int k = 0; k < bins; k++)
        {
            double edge = low + (k + 1) * width;
            int end = k == bins - 1 ? _genuine.Length : SortedScores.LowerBound(_genuine, edge, start);
            genuine[k] = end - start;
            start = end;
            long impostorEnd = k == bins - 1 ? _scoredImpostors : ImpostorsBelow(edge, ref exact);
            impostor[k] = impostorEnd - impostorStart;
            impostorStart = impostorEnd;
        }
        return exact ? new ScoreHistogram(low, width, genuine, impostor) : null;
    }

    /// <summary>Impostor scores below <paramref name="edge"/>; asks for the bucket the edge falls in when it holds impostors on both sides of it.</summary>
    private long ImpostorsBelow(double edge, ref bool exact)
    {
        if (_scoredImpostors == 0) return 0;
        if (edge <= ScoreKey.Value(_c.MinKey)) return 0;
        if (edge > ScoreKey.Value(_c.MaxKey)) return _scoredImpostors;
        // The highest bucket whose lowest value is below the edge (the buckets between the extremes are finite).
        int lo = ScoreKey.Bucket(_c.MinKey), hi = ScoreKey.Bucket(_c.MaxKey);
        while (lo < hi) { int mid = (lo + hi + 1) >>> 1; if (ScoreKey.Lowest(mid) < edge) lo = mid; else hi = mid - 1; }
        int b = lo;
        long below = _belowBucket[b];
        if (_c.Impostor[b] == 0) return below;
        float highest = ScoreKey.Value(((uint)b << ScoreKey.SubBits) | ScoreKey.SubMask);
        if (highest < edge) return below + _c.Impostor[b];
        if (!_slot.TryGetValue(b, out int slot))
        {
            Needed.Add(b);
            exact = false;
            return below;
        }
        long baseIndex = (long)slot << ScoreKey.SubBits;
        for (int s = 0; s < ScoreKey.SubBuckets; s++)
            if (ScoreKey.Value(((uint)b << ScoreKey.SubBits) | (uint)s) < edge) below += _c.Sub[baseIndex + s];
        return below;
    }

    /// <summary>
    /// The ROC thinned by the rule of <see cref="VerificationMetrics.ThinnedRoc"/>, over the stream's groups
    /// (an unresolved bucket is one point, at its lowest value).
    /// </summary>
    public RocPoint[] ThinnedRoc(double tarStep = 1e-4, double logFarStep = 2e-3)
    {
        long ic = ImpostorCount, gc = GenuineCount;
        var points = new List<RocPoint> { new(double.PositiveInfinity, 0, 0) };
        double farFactor = Math.Pow(10, logFarStep);
        RocPoint last = points[0], pending = default;
        bool hasPending = false;
        for (int e = 0; e < Count; e++)
        {
            double t = Opaque(e) ? ScoreKey.Lowest(_opaque[e]) : Value(e);
            var p = new RocPoint(t, (double)FpAfter(e) / ic, (double)TpAfter(e) / gc);
            if (p.Tar - last.Tar >= tarStep || (p.Far > 0 && (last.Far == 0 || p.Far >= last.Far * farFactor)))
            {
                points.Add(p);
                last = p;
                hasPending = false;
            }
            else { pending = p; hasPending = true; }
        }
        if (hasPending) points.Add(pending);
        return points.ToArray();
    }

    /// <summary>Mean and standard deviation of the genuine scores (exact sort order, as the sorted path sums them) and of the impostor scores (exact sums).</summary>
    public (MeanStd Genuine, MeanStd Impostor) Statistics() => (KFold.MeanStd(_genuine), _c.ImpostorMeanStd());
}
