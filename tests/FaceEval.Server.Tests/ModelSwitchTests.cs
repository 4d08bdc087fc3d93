using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

/// <summary>A server whose models are swapped behind their names after two requests (--fault-switch-model-after 2).</summary>
public sealed class SwitchingServer : ServerFixture
{
    public SwitchingServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, NoDetector = true, FaultSwitchModelAfter = 2 }) { }
}

public class ModelSwitchTests : IClassFixture<SwitchingServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly SwitchingServer _s;
    public ModelSwitchTests(SwitchingServer server) => _s = server;

    [Fact]
    public async Task AfterTheGivenRequestsTheSameNameAnswersWithOtherVectorsOfTheSameLength()
    {
        var first = await Client.Embed(_s.Http, _s.Server.Url, s_face, "dingo");
        var second = await Client.Embed(_s.Http, _s.Server.Url, s_face, "dingo");
        var third = await Client.Embed(_s.Http, _s.Server.Url, s_face, "dingo");
        Assert.Equal(first, second);
        Assert.Equal(first.Length, third.Length);
        Assert.Equal(first.Reverse(), third);
        double cosine = first.Zip(third, (a, b) => (double)a * b).Sum();
        Assert.True(cosine < 1 - 1e-4, $"the switched model must answer with another direction (cosine {cosine})");
    }

    [Fact]
    public void TheOptionParsesAndRefusesANegativeCount()
    {
        var (o, _) = ServerOptions.Parse(new[] { "--model", "dingo=lbp", "--no-detector", "--fault-switch-model-after", "5" });
        Assert.Equal(5, o.FaultSwitchModelAfter);
        Assert.Null(ServerOptions.Parse(new[] { "--model", "dingo=lbp", "--no-detector" }).Options.FaultSwitchModelAfter);
        Assert.Throws<FormatException>(() => ServerOptions.Parse(new[] { "--model", "dingo=lbp", "--no-detector", "--fault-switch-model-after", "-1" }));
    }
}
