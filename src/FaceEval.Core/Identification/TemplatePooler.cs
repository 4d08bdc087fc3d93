namespace FaceEval.Core.Identification;

/// <summary>
/// Pools several embeddings of one identity into one template, the IJB convention (InsightFace
/// recognition/_evaluation_/ijb/ijb_evals.py, image2template_feature): the embeddings of one media item are
/// averaged, the media means are summed, and the sum is L2-normalised. An image without a media item is its own.
/// </summary>
public static class TemplatePooler
{
    /// <summary>The template of the given (vector, media) pairs; failures to enrol (empty vectors) are skipped. Null when none has a vector.</summary>
    public static float[]? Pool(IReadOnlyList<(float[] Vector, string? MediaId)> images)
    {
        var usable = images.Where(i => i.Vector.Length > 0).ToList();
        if (usable.Count == 0) return null;
        int d = usable[0].Vector.Length;
        var sum = new double[d];
        int own = 0;
        foreach (var media in usable.GroupBy(i => i.MediaId ?? $"\0{own++}", StringComparer.Ordinal))
        {
            var list = media.ToList();
            foreach (var (vector, _) in list)
                for (int j = 0; j < d; j++) sum[j] += (double)vector[j] / list.Count;
        }
        double norm = Math.Sqrt(sum.Sum(x => x * x));
        // A zero sum stays zero, as scikit-learn's normalize leaves it.
        return sum.Select(x => (float)(norm > 0 ? x / norm : x)).ToArray();
    }
}
