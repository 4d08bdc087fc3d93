namespace FaceEval.Core;

/// <summary>What went wrong with one item. The names double as PowerShell ErrorIds.</summary>
public enum FaceEvalError
{
    FileNotFound,
    FileUnreadable,
    EmptyFile,
    NotAnImage,
    CorruptImage,
    ImageTooLarge,
    InvalidBoundingBox,
    BoxOutsideImage,
    NoFaceDetected,
    DetectorModelMissing,
    DetectorFailed,
    OutputExists,
    OutputNameCollision,
    SourceOutsideRoot,
    WriteFailed,
    CropFailed,
    EmbeddingFailed,
    ModelRejected,
    RequestRejected,
    ProtocolError,
    ServerUnavailable,
    RequestTimedOut,
    NpyUnreadable,
    DimensionMismatch,
    ModelMismatch,
}

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
