namespace FaceEval.PowerShell;

/// <summary>ONNX models (-DetectorModel).</summary>
public sealed class OnnxFileCompleter : FileCompleter
{
    public OnnxFileCompleter() : base(".onnx") { }
}
