namespace FaceEval.Core.Evaluation;

/// <summary>
/// What a run tells its caller while it works; the cmdlets turn these into progress records, verbose and
/// warning messages and non-terminating errors. Calls come on the caller's thread.
/// </summary>
public interface IEvaluationObserver
{
    /// <summary>A stage started or moved on (<paramref name="status"/> says what; <paramref name="percent"/> how far, -1 when unknown) or, with <paramref name="completed"/>, ended.</summary>
    void Progress(string activity, string status, bool completed = false, int percent = -1);

    /// <summary>A detail for -Verbose: a stage and its time.</summary>
    void Detail(string message);

    /// <summary>Something the user should know that does not stop the run.</summary>
    void Warning(string message);

    /// <summary>One input item cannot take part; the run goes on without it.</summary>
    void ItemError(FaceEvalException error, object? item);
}
