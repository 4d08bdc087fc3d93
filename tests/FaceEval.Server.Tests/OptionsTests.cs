using FaceEval.Core.Tests;
using FaceEval.Server.Embedding;

namespace FaceEval.Server.Tests;

public class OptionsTests
{
    [Fact]
    public void ParsesModelsAndLeavesUrlsToAspNet()
    {
        var (o, rest) = ServerOptions.Parse(new[] { "--model", "dingo=lbp", "--urls", "http://127.0.0.1:9000", "--model", "eagle=onnx:/m/a.onnx;preset=dlib150", "--rate-limit", "2.5", "--path", "/v1/features" });
        Assert.Equal(new[] { "--urls", "http://127.0.0.1:9000" }, rest);
        Assert.Equal("lbp", o.Models["dingo"].Kind);
        Assert.Equal("/m/a.onnx", o.Models["eagle"].Path);
        Assert.Equal(AlignmentTemplate.Dlib150, o.Models["eagle"].Preprocessing!.Template);
        Assert.Equal(2.5, o.RateLimit);
        Assert.Equal("/v1/features", o.Path);
        Assert.Null(o.ParentProcessId);
        var (bounded, _) = ServerOptions.Parse(new[] { "--model", "dingo=lbp", "--parent-pid", "4242", "--max-concurrent-uploads", "2", "--max-queued-uploads", "0" });
        Assert.Equal(4242, bounded.ParentProcessId);
        Assert.Equal(2, bounded.MaxConcurrentUploads);
        Assert.Equal(0, bounded.MaxQueuedUploads);
    }

    [Fact]
    public void ReadsAConfigFileWithPathsRelativeToIt()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("server.json"), """
            {
              // comments are allowed
              "path": "/extract",
              "rateLimit": 10,
              "models": { "hawk": "onnx:models/arc.onnx;mean=127.5;scale=1/127.5;rgb=false", "dingo": "lbp" },
            }
            """);
        var (o, _) = ServerOptions.Parse(new[] { "--config", dir.File("server.json") });
        Assert.Equal(Path.Combine(dir.Path, "models", "arc.onnx"), o.Models["hawk"].Path);
        Assert.Equal(1 / 127.5, o.Models["hawk"].Preprocessing!.Scale, 12);
        Assert.False(o.Models["hawk"].Preprocessing!.Rgb);
        Assert.Equal(10, o.RateLimit);
    }

    [Theory]
    [InlineData("no model at all")]
    [InlineData("--model", "eagle")]
    [InlineData("--model", "eagle=tensorflow:x.pb")]
    [InlineData("--model", "eagle=onnx:x.onnx;preset=vgg")]
    [InlineData("--model", "dingo=lbp", "--fault-error-rate", "1.5")]
    [InlineData("--model", "dingo=lbp", "--path", "extract")]
    [InlineData("--model", "dingo=lbp", "--detector", "/no/such/yunet.onnx")]
    [InlineData("--model")]
    [InlineData("--model", "dingo=lbp", "--parent-pid", "0")]
    [InlineData("--model", "dingo=lbp", "--parent-pid", "-4")]
    [InlineData("--model", "dingo=lbp", "--max-concurrent-uploads", "0")]
    [InlineData("--model", "dingo=lbp", "--max-queued-uploads", "-1")]
    public void RejectsBadOptionsWithAMessage(params string[] args)
    {
        if (args.Length == 1 && args[0] == "no model at all") args = Array.Empty<string>();
        var e = Assert.ThrowsAny<Exception>(() => ServerOptions.Parse(args));
        Assert.True(e is FormatException or ArgumentException, e.GetType().Name);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void TemplatesParse()
    {
        var t = AlignmentTemplate.Parse("112x112:38.2946,51.6963,73.5318,51.5014,56.0252,71.7366,41.5493,92.3655,70.7299,92.2041");
        Assert.Equal(AlignmentTemplate.ArcFace112.Points, t.Points);
        Assert.Throws<FormatException>(() => AlignmentTemplate.Parse("112x112:1,2,3"));
    }
}
