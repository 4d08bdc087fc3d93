using System.Runtime.CompilerServices;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Verification metrics on a <see cref="ScoreSet"/>, by these conventions: FAR (= FMR) is the share of
/// impostor pairs accepted, TAR the share of genuine pairs accepted, FRR = 1 - TAR; a pair is accepted
/// when its score is at least the threshold.
/// </summary>
public static class VerificationMetrics
{
    /// <summary>Exact area under the ROC curve: the Mann-Whitney statistic, a tie counting one half.</summary>
    public static double Auc(ScoreSet s)
    {
        // For each genuine score: impostors strictly below count 1, equal ones 1/2.
        // Failures to enrol score below everything: below every finite genuine, tied among themselves.
        double sum = 0.5 * s.GenuineFailures * s.ImpostorFailures;
        var imp = s.Impostor;
        foreach (var g in s.Genuine)
        {
            int below = SortedScores.LowerBound(imp, g);
            int notAbove = SortedScores.UpperBound(imp, g);
            sum += below + 0.5 * (notAbove - below) + s.ImpostorFailures;
        }
        return sum / ((double)s.GenuineCount * s.ImpostorCount);
    }

    /// <summary>
    /// The equal error rate: over thresholds at the midpoints between consecutive distinct scores (or,
    /// when all scores are equal, just below and above that score), the one that minimises |FAR - FRR|
    /// (the lowest such threshold on a tie); EER = (FAR + FRR) / 2 there.
    /// </summary>
    public static EerPoint Eer(ScoreSet s)
    {
        var eer = new EerSweep(s);
        SweepDown(s, eer.Visit);
        return eer.Result();
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for every distinct score from the highest down, with the genuine
    /// (true positive) and impostor (false positive) pairs scored at or above it: one merge of the two
    /// sorted arrays, nothing allocated.
    /// </summary>
    internal static void SweepDown(ScoreSet s, Action<double, long, long> visit)
    {
        var adapter = new DelegateVisitor(visit);
        SweepDown(s, ref adapter);
    }

    /// <summary>Receives the distinct scores of a sweep (see <see cref="SweepDown{T}"/>).</summary>
    internal interface ISweepVisitor
    {
        void Visit(double t, long tp, long fp);
    }

    private readonly struct DelegateVisitor(Action<double, long, long> visit) : ISweepVisitor
    {
        public void Visit(double t, long tp, long fp) => visit(t, tp, fp);
    }

    /// <summary>The sweep for a struct visitor: specialised by the JIT, so the per-score call is inlined, not a delegate call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SweepDown<T>(ScoreSet s, ref T visitor) where T : struct, ISweepVisitor
    {
        var g = s.Genuine;
        var m = s.Impostor;
        int gi = g.Length - 1, mi = m.Length - 1;
        while (gi >= 0 || mi >= 0)
        {
            // Impostors usually outnumber genuine pairs by orders of magnitude: first the run of impostor
            // scores above the next genuine score, in a loop that looks at the impostors only.
            float top = gi >= 0 ? g[gi] : float.NegativeInfinity;
            long tp = g.Length - 1 - gi;
            while (mi >= 0 && m[mi] > top)
            {
                float t = m[mi--];
                while (mi >= 0 && m[mi] == t) mi--;
                visitor.Visit(t, tp, m.Length - 1 - mi);
            }
            if (gi < 0) break;
            // Then that genuine score, with the impostors that tie with it.
            while (gi >= 0 && g[gi] == top) gi--;
            while (mi >= 0 && m[mi] == top) mi--;
            visitor.Visit(top, g.Length - 1 - gi, m.Length - 1 - mi);
        }
    }

    /// <summary>The ROC at every distinct score (descending threshold), starting from (FAR 0, TAR 0) at +infinity.</summary>
    public static RocPoint[] Roc(ScoreSet s)
    {
        var points = new List<RocPoint> { new(double.PositiveInfinity, 0, 0) };
        SweepDown(s, (t, tp, fp) => points.Add(new RocPoint(t, (double)fp / s.ImpostorCount, (double)tp / s.GenuineCount)));
        return points.ToArray();
    }

    /// <summary>
    /// The ROC thinned for storing and plotting: a point is kept when TAR has moved by at least
    /// <paramref name="tarStep"/> or FAR by a factor of 10^<paramref name="logFarStep"/> since the last kept
    /// one, and the first and last points always are; at most a few thousand points however many pairs.
    /// </summary>
    public static RocPoint[] ThinnedRoc(ScoreSet s, double tarStep = 1e-4, double logFarStep = 2e-3)
    {
        var roc = new RocThinner(s, tarStep, logFarStep);
        SweepDown(s, roc.Visit);
        return roc.Result();
    }

    /// <summary>
    /// EER, thinned ROC and TAR at each target FAR from two concurrent sweeps of the scores: the same
    /// answers as <see cref="Eer"/>, <see cref="ThinnedRoc"/> and <see cref="TarAtFar"/>.
    /// </summary>
    public static VerificationSummary Summarise(
        ScoreSet s, IReadOnlyList<double> targets, FarConvention convention = FarConvention.Strict)
    {
        // Two sweeps side by side: the EER on one core, the ROC and the nearest-FPR lookup on another. Each
        // sweep allocates its own state on its own thread, so the two never write to one cache line.
        EerSweep? eer = null;
        RocThinner? roc = null;
        NearestFprLookup? nearest = null;
        Parallel.Invoke(
            () =>
            {
                var visitor = new EerVisitor(new EerSweep(s));
                SweepDown(s, ref visitor);
                eer = visitor.Eer;
            },
            () =>
            {
                var visitor = new RocVisitor(new RocThinner(s, 1e-4, 2e-3), convention == FarConvention.InsightFace ? new NearestFprLookup(s, targets) : null);
                SweepDown(s, ref visitor);
                (roc, nearest) = (visitor.Roc, visitor.Nearest);
            });
        return (eer!.Result(), roc!.Result(), nearest?.Result() ?? targets.Select(t => Strict(s, t)).ToArray());
    }

    private readonly struct EerVisitor(EerSweep eer) : ISweepVisitor
    {
        public EerSweep Eer => eer;
        public void Visit(double t, long tp, long fp) => eer.Visit(t, tp, fp);
    }

    private readonly struct RocVisitor(RocThinner roc, NearestFprLookup? nearest) : ISweepVisitor
    {
        public RocThinner Roc => roc;
        public NearestFprLookup? Nearest => nearest;

        public void Visit(double t, long tp, long fp)
        {
            roc.Visit(t, tp, fp);
            nearest?.Visit(t, tp, fp);
        }
    }

    /// <summary>TAR at each target FAR under the chosen convention.</summary>
    public static OperatingPoint[] TarAtFar(ScoreSet s, IReadOnlyList<double> targets, FarConvention convention = FarConvention.Strict) =>
        convention == FarConvention.Strict ? targets.Select(t => Strict(s, t)).ToArray() : InsightFace(s, targets);

    /// <summary>Whether a FAR this small can be estimated at all: at least 1 / target impostor pairs.</summary>
    public static bool IsEstimable(long impostorPairs, double targetFar) => impostorPairs >= Math.Ceiling(1 / targetFar - 1e-9);

    private static OperatingPoint Strict(ScoreSet s, double target)
    {
        if (!(target > 0 && target <= 1)) throw new ArgumentOutOfRangeException(nameof(target), target, "A target FAR is in (0, 1].");
        var imp = s.Impostor;
        var gen = s.Genuine;
        double threshold = StrictThreshold(gen, imp, s.ImpostorCount, target);
        long falseAccepts = ScoreSet.AtOrAbove(imp, threshold);
        return new OperatingPoint(target, threshold, (double)ScoreSet.AtOrAbove(gen, threshold) / s.GenuineCount,
            (double)falseAccepts / s.ImpostorCount, falseAccepts, IsEstimable(s.ImpostorCount, target));
    }

    /// <summary>
    /// The strict threshold: the lowest threshold (one of the scores, or just above the highest impostor score)
    /// whose FAR = (impostor scores at or above it) / <paramref name="impostorCount"/> is at most
    /// <paramref name="target"/>. A tie at the threshold is accepted, so every score equal to it counts.
    /// </summary>
    /// <param name="gen">Genuine scores, ascending (may be empty).</param>
    /// <param name="imp">Impostor scores, ascending (may be empty).</param>
    /// <param name="impostorCount">Impostor pairs, failures to enrol (never accepted) included.</param>
    /// <param name="target">Target FAR in (0, 1].</param>
    internal static double StrictThreshold(float[] gen, float[] imp, long impostorCount, double target)
    {
        // The most false accepts allowed; the tolerance keeps 0.29 * 100 from flooring to 28. Failures to
        // enrol are never accepted, so only scored impostors can use the allowance.
        long allowed = (long)Math.Floor(target * impostorCount * (1 + 1e-12));
        double threshold;
        if (gen.Length == 0 && imp.Length == 0) return double.NaN;
        if (allowed >= imp.Length)
        {
            // Accept every scored pair: the lowest score of all.
            threshold = gen.Length == 0 ? imp[0] : imp.Length == 0 ? gen[0] : Math.Min(gen[0], imp[0]);
        }
        else
        {
            // FAR(t) <= target exactly when t is above the (allowed + 1)-th highest impostor score v; the
            // lowest such threshold is the smallest score above v (or just above v when none is).
            float v = imp[imp.Length - 1 - (int)allowed];
            int gAbove = SortedScores.UpperBound(gen, v), mAbove = SortedScores.UpperBound(imp, v);
            float next = float.PositiveInfinity;
            if (gAbove < gen.Length) next = gen[gAbove];
            if (mAbove < imp.Length) next = Math.Min(next, imp[mAbove]);
            threshold = float.IsPositiveInfinity(next) ? Math.BitIncrement((double)v) : next;
        }
        return threshold;
    }

    /// <summary>The InsightFace IJB lookup (see <see cref="NearestFprLookup"/>).</summary>
    private static OperatingPoint[] InsightFace(ScoreSet s, IReadOnlyList<double> targets)
    {
        var nearest = new NearestFprLookup(s, targets);
        SweepDown(s, nearest.Visit);
        return nearest.Result();
    }

    /// <summary>The EER over midpoints between distinct scores, fed from the highest score down.</summary>
    private sealed class EerSweep(ScoreSet s)
    {
        private double _bestGap = double.MaxValue, _eer, _threshold, _far, _frr;
        private double _previous = double.NaN;
        private long _previousTp, _previousFp;
        private int _distinct;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per distinct score: skip tier-0
        public void Visit(double t, long tp, long fp)
        {
            // Between the previous (higher) score and this one, what is accepted is what the previous accepted.
            if (_distinct++ > 0) Try((_previous + t) / 2, _previousTp, _previousFp);
            _previous = t; _previousTp = tp; _previousFp = fp;
        }

        public (double Eer, double Threshold, double Far, double Frr) Result()
        {
            if (_distinct == 1)
            {
                Try(Math.BitIncrement(_previous), 0, 0);
                Try(Math.BitDecrement(_previous), s.Genuine.Length, s.Impostor.Length);
                _distinct++; // a second Result() does not try them again
            }
            return (_eer, _threshold, _far, _frr);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per distinct score: skip tier-0
        private void Try(double t, long tp, long fp)
        {
            double fa = (double)fp / s.ImpostorCount;
            double fr = 1 - (double)tp / s.GenuineCount;
            double gap = Math.Abs(fa - fr);
            // Thresholds come from the highest down: on a tie the later, lower one wins.
            if (gap <= _bestGap) { _bestGap = gap; _eer = (fa + fr) / 2; _threshold = t; _far = fa; _frr = fr; }
        }
    }

    /// <summary>The thinned ROC (see <see cref="ThinnedRoc"/>), fed from the highest score down.</summary>
    private sealed class RocThinner(ScoreSet s, double tarStep, double logFarStep)
    {
        private readonly List<RocPoint> _points = new() { new(double.PositiveInfinity, 0, 0) };
        private readonly double _farFactor = Math.Pow(10, logFarStep);
        private RocPoint _last = new(double.PositiveInfinity, 0, 0), _pending;
        private bool _hasPending;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per distinct score: skip tier-0
        public void Visit(double t, long tp, long fp)
        {
            var p = new RocPoint(t, (double)fp / s.ImpostorCount, (double)tp / s.GenuineCount);
            if (p.Tar - _last.Tar >= tarStep || (p.Far > 0 && (_last.Far == 0 || p.Far >= _last.Far * _farFactor)))
            {
                _points.Add(p);
                _last = p;
                _hasPending = false;
            }
            else { _pending = p; _hasPending = true; }
        }

        public RocPoint[] Result()
        {
            if (_hasPending) { _points.Add(_pending); _hasPending = false; }
            return _points.ToArray();
        }
    }

    /// <summary>
    /// scikit-learn roc_curve(drop_intermediate=True) points, then for each target the point with the
    /// nearest FPR, ties going to the larger FPR and then the larger TPR (the IJB script flips the arrays
    /// and takes the first minimum). drop_intermediate keeps the ends and every point where the second
    /// difference of fps or tps is not zero; it is decided on the fly from a window of three points, and each
    /// kept point is offered to every target at once, so nothing of the size of the scores is held.
    /// </summary>
    private sealed class NearestFprLookup
    {
        private readonly ScoreSet _s;
        private readonly IReadOnlyList<double> _targets;
        private readonly double[] _bestFpr, _bestTpr, _bestTh;
        // Per target: 0 = every point so far is below it; 1 = crossed, later points of the same FPR still
        // win the tie; 2 = decided. FPR only grows along the sweep, so the nearest point is the last one
        // below the target or the first at or above it (or a tie of that one).
        private readonly byte[] _state;
        private double _lowestOpen;
        private int _tracking;
        private (long Tp, long Fp, double T) _a, _b, _previous;
        private int _seen;
        private bool _finished;

        public NearestFprLookup(ScoreSet s, IReadOnlyList<double> targets)
        {
            _s = s;
            _targets = targets;
            _bestFpr = new double[targets.Count];
            _bestTpr = new double[targets.Count];
            _bestTh = new double[targets.Count];
            _state = new byte[targets.Count];
            _lowestOpen = targets.DefaultIfEmpty(double.PositiveInfinity).Min();
            // The (0, 0) point at +infinity comes first here and last in the script's flipped arrays: it wins
            // only when strictly nearest; later points win ties, as they come first in the flipped arrays.
            _previous = (0, 0, double.PositiveInfinity);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per distinct score: skip tier-0
        public void Visit(double t, long tp, long fp)
        {
            var c = (tp, fp, t);
            if (_seen == 0) Offer(c);
            else if (_seen >= 2 && (c.fp - 2 * _b.Fp + _a.Fp != 0 || c.tp - 2 * _b.Tp + _a.Tp != 0)) Offer(_b);
            _a = _b; _b = c; _seen++;
        }

        public OperatingPoint[] Result()
        {
            if (!_finished)
            {
                // Failures to enrol score as rejections: one more distinct score below all the others.
                if (_s.GenuineFailures + _s.ImpostorFailures > 0) Visit(double.NegativeInfinity, _s.GenuineCount, _s.ImpostorCount);
                if (_seen >= 2) Offer(_b);
                // A target above every FPR reached: the last point is the nearest.
                for (int k = 0; k < _targets.Count; k++)
                    if (_state[k] == 0) { Take(k, _previous); _state[k] = 2; }
                _finished = true;
            }
            var result = new OperatingPoint[_targets.Count];
            for (int k = 0; k < result.Length; k++)
            {
                long falseAccepts = (long)Math.Round(_bestFpr[k] * _s.ImpostorCount);
                result[k] = new OperatingPoint(_targets[k], _bestTh[k], _bestTpr[k], _bestFpr[k], falseAccepts, IsEstimable(_s.ImpostorCount, _targets[k]));
            }
            return result;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per distinct score: skip tier-0
        private void Offer((long Tp, long Fp, double T) p)
        {
            double fpr = p.Fp / (double)_s.ImpostorCount;
            if (fpr < _lowestOpen && _tracking == 0) { _previous = p; return; } // below every open target: only remember it
            double previousFpr = _previous.Fp / (double)_s.ImpostorCount;
            for (int k = 0; k < _targets.Count; k++)
            {
                double target = _targets[k];
                if (_state[k] == 0 && fpr >= target)
                {
                    // Crossing: the nearer of the last point below and this one; a tie goes to this, the later.
                    if (Math.Abs(fpr - target) <= Math.Abs(previousFpr - target)) { Take(k, p); _state[k] = 1; _tracking++; }
                    else { Take(k, _previous); _state[k] = 2; }
                }
                else if (_state[k] == 1)
                {
                    if (fpr == _bestFpr[k]) Take(k, p); // same distance, later point
                    else { _state[k] = 2; _tracking--; }
                }
            }
            _lowestOpen = double.PositiveInfinity;
            for (int k = 0; k < _targets.Count; k++)
                if (_state[k] == 0) _lowestOpen = Math.Min(_lowestOpen, _targets[k]);
            _previous = p;
        }

        private void Take(int k, (long Tp, long Fp, double T) p)
        {
            _bestFpr[k] = p.Fp / (double)_s.ImpostorCount;
            _bestTpr[k] = p.Tp / (double)_s.GenuineCount;
            _bestTh[k] = p.T;
        }
    }
}
