namespace FaceEval.PowerShell;

/// <summary>
/// The environment variables the module reads, in one place: each is the fallback for a parameter the
/// user did not give. An empty variable counts as unset.
/// </summary>
internal static class ModuleEnvironment
{
    /// <summary>The endpoint URL (confidential: never shown).</summary>
    public const string ServerUrlVariable = "FACEEVAL_SERVER_URL";

    /// <summary>The YuNet ONNX model for detection, in Get-FaceCrop and the reference server.</summary>
    public const string DetectorModelVariable = "FACEEVAL_DETECTOR_MODEL";

    /// <summary>Model names offered by -Model completion, comma-separated.</summary>
    public const string ModelsVariable = "FACEEVAL_MODELS";

    /// <summary>
    /// The detector for Get-FaceCrop: -DetectorModel, else $env:FACEEVAL_DETECTOR_MODEL, else the YuNet model that
    /// ships with the module (the one the reference server uses), else null when that file is missing too.
    /// </summary>
    public static string? DetectorModel(string? parameter) =>
        Fallback(parameter, DetectorModelVariable) ?? (File.Exists(BundledDetectorModel) ? BundledDetectorModel : null);

    /// <summary>The YuNet model bundled beside the engine.</summary>
    public static string BundledDetectorModel => Path.Combine(ModuleInitializer.DependencyFolder, "models", "face_detection_yunet_2023mar.onnx");

    /// <summary>The parameter's value, else the variable's, else null.</summary>
    public static string? Fallback(string? parameter, string variable) =>
        parameter ?? (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null);
}
