using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>Turns engine errors into PowerShell error records: the ErrorId is the engine's error name.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(FaceEvalException e, object? target = null) =>
        new(e, e.Error.ToString(), Category(e.Error), target ?? e.Target);

    public static ErrorCategory Category(FaceEvalError error) => error switch
    {
        FaceEvalError.FileNotFound or FaceEvalError.DetectorModelMissing => ErrorCategory.ObjectNotFound,
        FaceEvalError.FileUnreadable => ErrorCategory.ReadError,
        FaceEvalError.EmptyFile or FaceEvalError.NotAnImage or FaceEvalError.CorruptImage => ErrorCategory.InvalidData,
        FaceEvalError.ImageTooLarge => ErrorCategory.LimitsExceeded,
        FaceEvalError.InvalidBoundingBox or FaceEvalError.BoxOutsideImage => ErrorCategory.InvalidArgument,
        FaceEvalError.NoFaceDetected => ErrorCategory.ObjectNotFound,
        FaceEvalError.OutputExists or FaceEvalError.OutputNameCollision => ErrorCategory.ResourceExists,
        FaceEvalError.SourceOutsideRoot => ErrorCategory.InvalidArgument,
        FaceEvalError.WriteFailed => ErrorCategory.WriteError,
        FaceEvalError.DimensionMismatch or FaceEvalError.ModelMismatch or FaceEvalError.NpyUnreadable or FaceEvalError.ProtocolError => ErrorCategory.InvalidData,
        FaceEvalError.ModelRejected or FaceEvalError.RequestRejected => ErrorCategory.PermissionDenied,
        FaceEvalError.ServerUnavailable => ErrorCategory.ConnectionError,
        FaceEvalError.RequestTimedOut => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.NotSpecified,
    };
}
