using OpenCvSharp;

namespace FaceEval.Core.Tests;

/// <summary>
/// The models and faces the tests use: $FACEEVAL_TESTDATA when set, else the repository's own examples/
/// folder (models/ and data/orl_faces/), found by walking up from the test binaries to FaceEval.sln.
/// </summary>
internal static class TestData
{
    public static string? Root { get; } = Find();
    public static string YuNet => Path.Combine(Root!, "models", "face_detection_yunet_2023mar.onnx");
    public static string Orl => Path.Combine(Root!, "data", "orl_faces");
    public const string SkipReason = "The models and ORL faces were not found: set FACEEVAL_TESTDATA to a folder with models/ and data/orl_faces/ (the repository's examples/ has them).";

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("FACEEVAL_TESTDATA") is { Length: > 0 } given) return Path.GetFullPath(given);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FaceEval.sln")))
            {
                string examples = Path.Combine(dir.FullName, "examples");
                return Directory.Exists(Path.Combine(examples, "data", "orl_faces")) ? examples : null;
            }
        return null;
    }

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
