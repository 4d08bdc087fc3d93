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
    /// <summary>An embedding has no identity, so its pairs cannot be labelled genuine or impostor.</summary>
    MissingIdentity,
    /// <summary>The input cannot be measured: no genuine or no impostor pairs, every item failed to enrol, mixed dimensions.</summary>
    CannotMeasure,
    /// <summary>Nothing came in to measure.</summary>
    NoInput,
    /// <summary>A pair list that is neither LFW pairs.txt nor a CSV pair list, or has a bad line.</summary>
    PairListInvalid,
    /// <summary>Nothing answers at the endpoint: its first connections were refused. The run stops.</summary>
    EndpointUnreachable,
    /// <summary>The endpoint answered 404 or 405 before any success: the URL's path is wrong. The run stops.</summary>
    EndpointRejected,
    /// <summary>The run manifest cannot be opened for reading and appending.</summary>
    ManifestUnavailable,
    /// <summary>The reference server could not be started or did not answer.</summary>
    ServerStartFailed,
    /// <summary>An input file is larger than FaceEval reads whole.</summary>
    FileTooLarge,
    /// <summary>The endpoint answered with a redirect (3xx). Images go only to the URL given, so it is not followed. The run stops.</summary>
    EndpointRedirected,
    /// <summary>An embedding's vector holds a NaN or infinite value (or overflows): it cannot be scored.</summary>
    InvalidEmbedding,
    /// <summary>An input's Role is neither Gallery nor Probe (Measure-FaceIdentification).</summary>
    InvalidRole,
    /// <summary>The -AttributePath file is not a CSV with an Identity column and attribute columns, or has a bad line.</summary>
    AttributeFileInvalid,
    /// <summary>No input carries a value for a -GroupBy attribute, so there are no groups to measure.</summary>
    GroupAttributeMissing,
    /// <summary>-RequireConsent: the image carries no consent reference, so it is not sent.</summary>
    ConsentMissing,
    /// <summary>A verification state or plan file (-SaveState, Merge-FaceVerificationState) cannot be read: not such a file, damaged, or of another format version.</summary>
    StateInvalid,
    /// <summary>Verification states that do not belong together: other embeddings, model, targets, split or plan, or a block missing or given twice.</summary>
    StateMismatch,
}
