using FaceEval.Core.Hosting;
using FaceEval.Core.Imaging;
using FaceEval.Core.Tests;
using OpenCvSharp;

namespace FaceEval.Server.Tests;

public class NoRetentionTests
{
    [Fact]
    public async Task ServingImagesWritesNoFileAndLogsNoFileNameOrContent()
    {
        using var work = new TempDir();
        using var temp = new TempDir();
        using var home = new TempDir();
        var options = new ReferenceServerOptions
        {
            Models = new[] { "dingo=lbp" },
            WorkingDirectory = work.Path,
            // Where .NET and ASP.NET would put temporary or cached files of this process.
            Environment = new Dictionary<string, string> { ["TMPDIR"] = temp.Path, ["HOME"] = home.Path, ["DOTNET_CLI_HOME"] = home.Path },
            ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
        };
        using var server = ServerProcess.Start(options);
        using var http = new HttpClient();
        const string secretName = "client-secret-name-7f3a.png";
        var small = Client.Png(TestData.Gradient(80, 90));
        var large = Client.NoisePng(400, 400); // over ASP.NET's 64 KB in-memory form buffer
        Assert.True(large.Length > 256 * 1024);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(200, (await Client.Post(http, server.Url, Client.Form(i % 2 == 0 ? small : large, "dingo", secretName))).Status);
        }
        Assert.Equal(400, (await Client.Post(http, server.Url, Client.Form("broken"u8.ToArray(), "dingo", secretName))).Status);
        Assert.Equal(400, (await Client.Post(http, server.Url, Client.Form(large, "nope", secretName))).Status);

        Assert.Empty(Directory.EnumerateFileSystemEntries(work.Path, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(home.Path, "*", SearchOption.AllDirectories));

        var log = string.Join("\n", server.RecentOutput);
        Assert.Contains("POST /extract -> 200", log);
        Assert.DoesNotContain("client-secret-name", log);
        Assert.DoesNotContain("PNG", log);
    }
}

public class OrlAccuracyTests
{
    private readonly ITestOutputHelper _out;
    public OrlAccuracyTests(ITestOutputHelper output) => _out = output;

    [TestDataFact]
    public async Task DlibSeparatesTheOrlIdentitiesAndLbpIsReported()
    {
        // The real workflow: detector crops of the 400 ORL images (10 % margin, PNG), sent to the server,
        // which detects again, aligns and embeds.
        using var cropper = new FaceCropper(new CropSettings { DetectorModel = TestData.YuNet });
        var crops = new List<(string Identity, byte[] Png)>();
        foreach (var dir in Directory.GetDirectories(TestData.Orl).OrderBy(d => d, StringComparer.Ordinal))
            foreach (var file in Directory.GetFiles(dir, "*.pgm").OrderBy(f => f, StringComparer.Ordinal))
                crops.Add((Path.GetFileName(dir), Assert.Single(cropper.Process(new CropJob(file, null))).Crop!.PngData!));
        Assert.Equal(400, crops.Count);

        using var server = ServerProcess.Start(new ReferenceServerOptions
        {
            Models = new[] { $"eagle=onnx:{Path.Combine(TestData.Root!, "models", "dlib_resnet_face_recognition_v1_150.onnx")};preset=dlib150", "dingo=lbp" },
            DetectorModel = TestData.YuNet,
            ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
        });
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var results = new Dictionary<string, Separation>();
        foreach (var model in new[] { "eagle", "dingo" })
        {
            var vectors = new List<float[]>();
            var ids = new List<string>();
            int noFace = 0;
            foreach (var (id, png) in crops)
            {
                var v = await Client.Embed(http, server.Url, png, model);
                if (v.Length == 0) { noFace++; continue; }
                Assert.InRange(Client.Norm(v), 1 - 1e-5, 1 + 1e-5);
                vectors.Add(v);
                ids.Add(id);
            }
            results[model] = Separation.Of(vectors, ids);
            _out.WriteLine($"{model}: {vectors.Count} embedded, {noFace} without a face; {results[model]}");
            Assert.True(noFace <= 4, $"{model}: {noFace} of 400 crops had no face on the server");
        }
        Assert.True(results["eagle"].Eer < 0.05, $"dlib EER {results["eagle"].Eer:P2}");
        Assert.True(results["eagle"].GenuineMean - results["eagle"].ImpostorMean > 3 * results["eagle"].ImpostorSd);
        Assert.True(results["dingo"].Eer < 0.35, $"LBP EER {results["dingo"].Eer:P2}: worse than expected of even a classical descriptor");
        Assert.True(results["eagle"].Eer < results["dingo"].Eer);
    }

    [TestDataFact]
    public async Task AnImageWithoutAFaceGivesAnEmptyFeature()
    {
        using var server = ServerProcess.Start(new ReferenceServerOptions
        {
            Models = new[] { "dingo=lbp" },
            DetectorModel = TestData.YuNet,
            ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
        });
        using var http = new HttpClient();
        using var grey = new Mat(150, 150, MatType.CV_8UC3, new Scalar(128, 128, 128));
        var (status, json, _) = await Client.Post(http, server.Url, Client.Form(Client.Png(grey), "dingo"));
        Assert.Equal(200, status);
        Assert.Equal("dingo", json.GetProperty("model_name").GetString());
        Assert.Equal(0, json.GetProperty("feature").GetArrayLength());
        // A real face on the same server is found.
        var face = File.ReadAllBytes(Path.Combine(TestData.Orl, "s3", "4.pgm"));
        Assert.NotEmpty(await Client.Embed(http, server.Url, face, "dingo"));
    }
}
