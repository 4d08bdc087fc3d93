using System.Management.Automation;

namespace FaceEval.PowerShell;

/// <summary>
/// The one place where the cmdlets make error records. An engine error's ErrorId is its
/// <see cref="FaceEvalError"/> name; the cmdlets' own binding errors name theirs.
/// </summary>
internal static class ErrorRecords
{
    /// <summary>An engine error about <paramref name="target"/> (or the item the error names).</summary>
    public static ErrorRecord From(FaceEvalException e, object? target = null) =>
        Create(e, e.Error.ToString(), Category(e.Error), target ?? e.Target);

    /// <summary>Parameters or input that cannot be used as given.</summary>
    public static ErrorRecord Argument(string errorId, string message, object? target = null) =>
        Create(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

    /// <summary>Any other error record.</summary>
    public static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target) =>
        new(exception, errorId, category, target);

    public static ErrorCategory Category(FaceEvalError error) => error switch
    {
        FaceEvalError.FileNotFound or FaceEvalError.DetectorModelMissing => ErrorCategory.ObjectNotFound,
        FaceEvalError.FileUnreadable => ErrorCategory.ReadError,
        FaceEvalError.EmptyFile or FaceEvalError.NotAnImage or FaceEvalError.CorruptImage => ErrorCategory.InvalidData,
        FaceEvalError.ImageTooLarge or FaceEvalError.FileTooLarge => ErrorCategory.LimitsExceeded,
        FaceEvalError.InvalidBoundingBox or FaceEvalError.BoxOutsideImage => ErrorCategory.InvalidArgument,
        FaceEvalError.NoFaceDetected => ErrorCategory.ObjectNotFound,
        FaceEvalError.OutputExists or FaceEvalError.OutputNameCollision => ErrorCategory.ResourceExists,
        FaceEvalError.SourceOutsideRoot => ErrorCategory.InvalidArgument,
        FaceEvalError.WriteFailed => ErrorCategory.WriteError,
        FaceEvalError.DimensionMismatch or FaceEvalError.ModelMismatch or FaceEvalError.InvalidEmbedding or FaceEvalError.InvalidRole or FaceEvalError.NpyUnreadable or FaceEvalError.ProtocolError => ErrorCategory.InvalidData,
        FaceEvalError.ModelRejected or FaceEvalError.RequestRejected or FaceEvalError.ConsentMissing => ErrorCategory.PermissionDenied,
        FaceEvalError.ServerUnavailable or FaceEvalError.EndpointUnreachable => ErrorCategory.ConnectionError,
        FaceEvalError.EndpointRejected or FaceEvalError.EndpointRedirected => ErrorCategory.InvalidArgument,
        FaceEvalError.RequestTimedOut => ErrorCategory.OperationTimeout,
        FaceEvalError.MissingIdentity or FaceEvalError.CannotMeasure or FaceEvalError.PairListInvalid => ErrorCategory.InvalidData,
        FaceEvalError.NoInput => ErrorCategory.InvalidArgument,
        FaceEvalError.AttributeFileInvalid => ErrorCategory.InvalidData,
        FaceEvalError.GroupAttributeMissing => ErrorCategory.InvalidArgument,
        FaceEvalError.ManifestUnavailable => ErrorCategory.WriteError,
        FaceEvalError.ServerStartFailed => ErrorCategory.ResourceUnavailable,
        FaceEvalError.StateInvalid => ErrorCategory.InvalidData,
        FaceEvalError.StateMismatch => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.NotSpecified,
    };
}
