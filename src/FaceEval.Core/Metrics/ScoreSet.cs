namespace FaceEval.Core.Metrics;

/// <summary>
/// Genuine and impostor similarity scores, validated and sorted once, so every metric is an exact sweep
/// over them (no binning): AUC, EER, ROC and TAR at FAR.
/// </summary>
public sealed class ScoreSet
{
    private ScoreSet(float[] genuine, float[] impostor, long genuineFailures, long impostorFailures)
    {
        Genuine = genuine;
        Impostor = impostor;
        GenuineFailures = genuineFailures;
        ImpostorFailures = impostorFailures;
    }

    /// <summary>Genuine pairs with a failure to enrol: scored as rejections at every threshold (NIST convention).</summary>
    public long GenuineFailures { get; }

    /// <summary>Impostor pairs with a failure to enrol: likewise always rejected.</summary>
    public long ImpostorFailures { get; }

    /// <summary>All genuine pairs, failures to enrol included: the denominator of TAR and FRR.</summary>
    public long GenuineCount => Genuine.Length + GenuineFailures;

    /// <summary>All impostor pairs, failures to enrol included: the denominator of FAR.</summary>
    public long ImpostorCount => Impostor.Length + ImpostorFailures;

    /// <summary>Genuine scores, ascending.</summary>
    public float[] Genuine { get; }

    /// <summary>Impostor scores, ascending.</summary>
    public float[] Impostor { get; }

    /// <summary>Copies, checks and sorts the scores.</summary>
    /// <exception cref="ArgumentException">No genuine or no impostor pair, or a score that is NaN or infinite.</exception>
    /// <param name="genuine">Scores of same-identity pairs.</param>
    /// <param name="impostor">Scores of different-identity pairs.</param>
    /// <param name="genuineFailures">Same-identity pairs that have no score because an item failed to enrol.</param>
    /// <param name="impostorFailures">Different-identity pairs likewise.</param>
    public static ScoreSet Create(ReadOnlySpan<float> genuine, ReadOnlySpan<float> impostor, long genuineFailures = 0, long impostorFailures = 0)
    {
        return Adopt(genuine.ToArray(), impostor.ToArray(), genuineFailures, impostorFailures);
    }

    /// <summary>Like <see cref="Create"/>, but takes the arrays over (sorted in place, no copy): for the tens of millions of scores of all pairs.</summary>
    public static ScoreSet Adopt(float[] genuine, float[] impostor, long genuineFailures = 0, long impostorFailures = 0)
    {
        if (genuineFailures < 0 || impostorFailures < 0) throw new ArgumentOutOfRangeException(nameof(genuineFailures), "Failure counts cannot be negative.");
        if (genuine.Length == 0 && impostor.Length == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no scored pairs at all: every item failed to enrol.");
        if (genuine.Length == 0 && genuineFailures == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no genuine pairs (two embeddings of the same identity): verification cannot be measured.");
        if (impostor.Length == 0 && impostorFailures == 0) throw new FaceEvalException(FaceEvalError.CannotMeasure, "There are no impostor pairs (embeddings of different identities): verification cannot be measured.");
        foreach (var v in genuine) if (!float.IsFinite(v)) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"A genuine score is {v}: every score must be a finite number.");
        foreach (var v in impostor) if (!float.IsFinite(v)) throw new FaceEvalException(FaceEvalError.CannotMeasure, $"An impostor score is {v}: every score must be a finite number.");
        FloatSort.Sort(genuine);
        FloatSort.Sort(impostor);
        return new ScoreSet(genuine, impostor, genuineFailures, impostorFailures);
    }

    /// <summary>Scores at or above <paramref name="t"/>.</summary>
    internal static long AtOrAbove(float[] sorted, double t) => sorted.Length - SortedScores.LowerBound(sorted, t);
}
