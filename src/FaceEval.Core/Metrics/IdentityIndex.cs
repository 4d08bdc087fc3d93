namespace FaceEval.Core.Metrics;

/// <summary>Identity labels as dense numbers 0, 1, 2, … in order of first appearance (ordinal comparison).</summary>
public static class IdentityIndex
{
    /// <summary>The number of each label, and how many distinct labels there are.</summary>
    public static int[] Of(IReadOnlyList<string> labels, out int count)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new int[labels.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (!numbers.TryGetValue(labels[i], out int n)) numbers[labels[i]] = n = numbers.Count;
            result[i] = n;
        }
        count = numbers.Count;
        return result;
    }
}
