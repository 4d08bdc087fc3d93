namespace FaceEval;

/// <summary>An error about one input item, raised by the engine and reported per item by the cmdlets.</summary>
public sealed class FaceEvalException : Exception
{
    public FaceEvalException(FaceEvalError error, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Target = target;
    }

    public FaceEvalError Error { get; }

    /// <summary>The item the error is about (usually a path).</summary>
    public object? Target { get; }
}
