using System.Numerics.Tensors;
using FaceEval.Core.Metrics;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// The failure gallery (Measure-FaceVerification -FailureGallery K): per model, the K genuine pairs with the
/// lowest scores and the K impostor pairs with the highest, over every pair of the model's usable items
/// (identity given, a finite vector of the model's dimension, a face found), each pair scored as the dot
/// product of the vectors as returned (as Compare-FaceEmbedding scores it); and the items the service found
/// no face in. Ties are broken by input order: the pair (i, j) whose earlier item i, then later item j, comes
/// first in the input ranks first. The threshold shown is the strict threshold of the first estimable FAR
/// target (the EER threshold when none is). For each pair, the other models' scores on the same two images
/// (matched by identity and file name without folder or extension) say whether they fail on it too.
/// </summary>
public static class FailureGallery
{
    public static IReadOnlyList<ModelGallery> Build(EvaluationSet set, IReadOnlyList<VerificationResult> results, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "The gallery shows at least one pair of each kind.");
        var usable = new Dictionary<string, List<EvaluationItem>>(StringComparer.Ordinal);
        var thresholds = new Dictionary<string, (double Far, double Threshold)>(StringComparer.Ordinal);
        foreach (var r in results.Where(r => set.Items(r.Model).Count > 0))
        {
            usable[r.Model] = Usable(set.Items(r.Model));
            var point = r.OperatingPoints.FirstOrDefault(p => p.Estimable);
            thresholds[r.Model] = point is null ? (double.NaN, r.EerThreshold) : (point.TargetFar, point.Threshold);
        }
        var byKey = usable.ToDictionary(m => m.Key, m => m.Value.GroupBy(Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal), StringComparer.Ordinal);
        var galleries = new List<ModelGallery>();
        foreach (var (model, items) in usable)
        {
            var scored = items.Where(i => !i.IsFailureToEnrol).ToList();
            var low = new PriorityQueue<(int I, int J, float S), (float S, int I, int J)>(Comparer<(float S, int I, int J)>.Create((x, y) => -Rank(x, y, ascending: true)));
            var high = new PriorityQueue<(int I, int J, float S), (float S, int I, int J)>(Comparer<(float S, int I, int J)>.Create((x, y) => -Rank(x, y, ascending: false)));
            for (int i = 0; i < scored.Count; i++)
                for (int j = i + 1; j < scored.Count; j++)
                {
                    float s = TensorPrimitives.Dot(scored[i].Vector, scored[j].Vector);
                    bool genuine = string.Equals(scored[i].Identity, scored[j].Identity, StringComparison.Ordinal);
                    // Each queue keeps the K best of its kind: its head is the worst kept, dropped when a better pair comes.
                    Keep(genuine ? low : high, (i, j, s), k);
                }
            GalleryPair Pair((int I, int J, float S) p, bool genuine) => new(scored[p.I], scored[p.J], p.S, genuine,
                usable.Keys.Where(m => m != model).Order(StringComparer.Ordinal).Select(m => (m, OtherScore(byKey[m], scored[p.I], scored[p.J]), thresholds[m].Threshold)).ToList());
            var (far, threshold) = thresholds[model];
            galleries.Add(new ModelGallery(model, far, threshold,
                Drain(low).OrderBy(p => (p.S, p.I, p.J), Comparer<(float, int, int)>.Create((x, y) => Rank(x, y, true))).Select(p => Pair(p, true)).ToList(),
                Drain(high).OrderBy(p => (p.S, p.I, p.J), Comparer<(float, int, int)>.Create((x, y) => Rank(x, y, false))).Select(p => Pair(p, false)).ToList(),
                items.Where(i => i.IsFailureToEnrol).ToList()));
        }
        return galleries;
    }

    /// <summary>Orders two pairs: by score (ascending or descending), then by the earlier item, then the later one, in input order.</summary>
    private static int Rank((float S, int I, int J) x, (float S, int I, int J) y, bool ascending)
    {
        int c = ascending ? x.S.CompareTo(y.S) : y.S.CompareTo(x.S);
        return c != 0 ? c : x.I != y.I ? x.I.CompareTo(y.I) : x.J.CompareTo(y.J);
    }

    private static void Keep(PriorityQueue<(int I, int J, float S), (float S, int I, int J)> queue, (int I, int J, float S) pair, int k)
    {
        var priority = (pair.S, pair.I, pair.J);
        if (queue.Count < k) queue.Enqueue(pair, priority);
        else queue.EnqueueDequeue(pair, priority); // drops whichever of the new pair and the worst kept ranks lower
    }

    private static List<(int I, int J, float S)> Drain(PriorityQueue<(int I, int J, float S), (float S, int I, int J)> queue)
    {
        var list = new List<(int, int, float)>(queue.Count);
        while (queue.TryDequeue(out var p, out _)) list.Add(p);
        return list;
    }

    private static double? OtherScore(Dictionary<string, EvaluationItem> other, EvaluationItem a, EvaluationItem b) =>
        other.TryGetValue(Key(a), out var x) && other.TryGetValue(Key(b), out var y) && !x.IsFailureToEnrol && !y.IsFailureToEnrol && x.Vector.Length == y.Vector.Length
            ? TensorPrimitives.Dot(x.Vector, y.Vector) : null;

    /// <summary>How items are matched across models: identity and file name without folder or extension (eagle/s1/1.npy and dingo/s1/1.npy are one image).</summary>
    private static string Key(EvaluationItem item) => $"{item.Identity}/{Path.GetFileNameWithoutExtension(item.Label)}";

    /// <summary>Items with an identity and a finite vector of the model's most common dimension; failures to enrol kept (listed apart).</summary>
    private static List<EvaluationItem> Usable(IReadOnlyList<EvaluationItem> items)
    {
        var candidates = items.Where(i => !string.IsNullOrEmpty(i.Identity) && (i.IsFailureToEnrol || EmbeddingVector.Problem(i.Vector) is null)).ToList();
        int dimension = candidates.Where(i => !i.IsFailureToEnrol).GroupBy(i => i.Vector.Length).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();
        return candidates.Where(i => i.IsFailureToEnrol || i.Vector.Length == dimension).ToList();
    }
}
