namespace FaceEval;

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
