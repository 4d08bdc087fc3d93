using System.Text.Json;
using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

/// <summary>
/// Spellings of the endpoint's path as a client may send them. Each must be either the endpoint, behind the
/// same rate limit and faults as the canonical path, or not found: never an embedder outside the limits.
/// </summary>
public static class PathVariants
{
    public static readonly string[] OfExtract =
    {
        "/extract/", "/EXTRACT", "/Extract/", "//extract", "/extract//", "///extract///", "/%65xtract", "/%45XTRACT",
        "/extract%2F", "/extract%2f", "/%2Fextract", "/./extract", "/a/../extract", "/x/%2E%2E/extract", "/extract/.", "/extract?x=1",
    };

    public static readonly string[] NotExtract = { "/extract.", "/extractx", "/extract/more", "/%2565xtract", "/extract;x", "/ex%20tract", "/" };

    public static TheoryData<string> Extract() => ToTheory(OfExtract);
    public static TheoryData<string> Other() => ToTheory(NotExtract);

    private static TheoryData<string> ToTheory(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var v in values) data.Add(v);
        return data;
    }
}

/// <summary>A rate of one request per 100 s after a burst of two: nothing replenishes during a test.</summary>
public sealed class NearlyClosedServer : ServerFixture
{
    public NearlyClosedServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, NoDetector = true, RateLimit = 0.01, RateBurst = 2, RecordRequests = true }) { }
}

public class PathVariantRateLimitTests : IClassFixture<NearlyClosedServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly NearlyClosedServer _s;
    public PathVariantRateLimitTests(NearlyClosedServer server) => _s = server;

    [Fact]
    public async Task EverySpellingOfTheEndpointSpendsTheSameAllowance()
    {
        // The burst of two, spent on the canonical path.
        for (int i = 0; i < 2; i++) Assert.Equal(200, (await RawHttp.Send(_s.Server.Url, await RawHttp.Post("/extract", s_face, "dingo"))).Status);
        int recorded = await Recorded();
        Assert.Equal(2, recorded);
        foreach (string variant in PathVariants.OfExtract)
        {
            var response = await RawHttp.Send(_s.Server.Url, await RawHttp.Post(variant, s_face, "dingo"));
            Assert.True(response.Status == 429, $"{variant}: {response.Status} {response.Text}");
            response.AssertJsonError(429);
        }
        foreach (string other in PathVariants.NotExtract)
            (await RawHttp.Send(_s.Server.Url, await RawHttp.Post(other, s_face, "dingo"))).AssertJsonError(404);
        Assert.Equal(recorded, await Recorded()); // nothing more reached the embedder
    }

    private async Task<int> Recorded()
    {
        var url = new Uri(new Uri(_s.Server.Url), "/__faceeval/requests");
        return JsonDocument.Parse(await _s.Http.GetStringAsync(url)).RootElement.GetArrayLength();
    }
}

public sealed class AlwaysFailingServer : ServerFixture
{
    public AlwaysFailingServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, NoDetector = true, FaultErrorRate = 1 }) { }
}

public class PathVariantFaultTests : IClassFixture<AlwaysFailingServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly AlwaysFailingServer _s;
    public PathVariantFaultTests(AlwaysFailingServer server) => _s = server;

    [Theory]
    [MemberData(nameof(PathVariants.Extract), MemberType = typeof(PathVariants))]
    public async Task EverySpellingOfTheEndpointGetsTheInjectedFaults(string variant)
    {
        var response = await RawHttp.Send(_s.Server.Url, await RawHttp.Post(variant, s_face, "dingo"));
        Assert.Contains("fault", response.AssertJsonError(500));
    }

    [Theory]
    [MemberData(nameof(PathVariants.Other), MemberType = typeof(PathVariants))]
    public async Task OtherPathsAreNotFoundAndNotFaulted(string other) =>
        (await RawHttp.Send(_s.Server.Url, await RawHttp.Post(other, s_face, "dingo"))).AssertJsonError(404);
}

public class EndpointPathTests
{
    [Theory]
    [InlineData("/extract", "/extract")]
    [InlineData("/EXTRACT", "/extract")]
    [InlineData("/extract/", "/extract")]
    [InlineData("//extract//", "/extract")]
    [InlineData("/extract%2F", "/extract")]
    [InlineData("/%2fextract", "/extract")]
    [InlineData("/a/../extract", "/extract")]
    [InlineData("/a/%2E%2E%2fextract", "/a/%2e%2e/extract")] // Kestrel decodes %2E before the app sees it; only %2F is left
    [InlineData("/./extract/.", "/extract")]
    [InlineData("/../../extract", "/extract")]
    [InlineData("/V1/Features/", "/v1/features")]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/extract.", "/extract.")]
    [InlineData("/%2565xtract", "/%2565xtract")]
    public void CanonicalFormOfAPath(string path, string canonical) => Assert.Equal(canonical, EndpointPath.Canonical(path));
}
