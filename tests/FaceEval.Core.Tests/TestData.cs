using OpenCvSharp;

namespace FaceEval.Core.Tests;

/// <summary>The shared models and faces, found through FACEEVAL_TESTDATA.</summary>
internal static class TestData
{
    public static string? Root => Environment.GetEnvironmentVariable("FACEEVAL_TESTDATA") is { Length: > 0 } r ? Path.GetFullPath(r) : null;
    public static string YuNet => Path.Combine(Root!, "models", "face_detection_yunet_2023mar.onnx");
    public static string Orl => Path.Combine(Root!, "data", "orl_faces");
    public const string SkipReason = "FACEEVAL_TESTDATA is not set: the shared models and ORL faces are needed (CI sets it to ../shared).";

    /// <summary>A BGR test image whose every pixel differs from its neighbours, so an off-by-one crop shows.</summary>
    public static Mat Gradient(int width, int height)
    {
        var m = new Mat(height, width, MatType.CV_8UC3);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                m.Set(y, x, new Vec3b((byte)(x * 7 + y), (byte)(y * 5 + x * 3), (byte)((x ^ y) * 11)));
        return m;
    }
}

/// <summary>A fact that needs the shared test data; skipped with the reason when it is not there.</summary>
public sealed class TestDataFactAttribute : FactAttribute
{
    public TestDataFactAttribute()
    {
        if (TestData.Root is null) Skip = TestData.SkipReason;
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "faceeval-" + Guid.NewGuid().ToString("N")));
    public string Path { get; }
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
