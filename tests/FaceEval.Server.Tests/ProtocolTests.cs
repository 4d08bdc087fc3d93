using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

/// <summary>An LBP server without a detector: needs nothing downloaded.</summary>
public sealed class LbpServer : ServerFixture
{
    public LbpServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp", "eagle=lbp" }, MaxUploadBytes = 200_000, RecordRequests = true }) { }
}

public class ProtocolTests : IClassFixture<LbpServer>
{
    private readonly LbpServer _s;
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(90, 110));

    public ProtocolTests(LbpServer server) => _s = server;

    [Fact]
    public async Task ReturnsTheModelNameAndAnL2NormalisedFeature()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(s_face, "dingo"));
        Assert.Equal(200, status);
        Assert.Equal(new[] { "model_name", "feature" }, json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("dingo", json.GetProperty("model_name").GetString());
        var feature = json.GetProperty("feature").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(FaceEval.Server.Embedding.LbpEmbedder.Dimension, feature.Length);
        Assert.InRange(Math.Sqrt(feature.Sum(x => x * x)), 1 - 1e-5, 1 + 1e-5);
        // float32 values: at most 9 significant digits (a double would print up to 17).
        Assert.All(json.GetProperty("feature").EnumerateArray(), e =>
        {
            string mantissa = e.GetRawText().Split('e', 'E')[0].TrimStart('-').Replace(".", "").TrimStart('0');
            Assert.InRange(mantissa.Length, 0, 9);
        });
    }

    [Fact]
    public async Task TheSameImageGivesTheSameFeature()
    {
        var a = await Client.Embed(_s.Http, _s.Server.Url, s_face, "eagle");
        var b = await Client.Embed(_s.Http, _s.Server.Url, s_face, "eagle");
        Assert.Equal(a, b);
        var other = await Client.Embed(_s.Http, _s.Server.Url, Client.Png(TestData.Gradient(110, 90)), "eagle");
        Assert.NotEqual(a, other);
    }

    [Fact]
    public async Task MissingImageIs400()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(null, "dingo"));
        Assert.Equal(400, status);
        Assert.Contains("'image'", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task MissingModelNameIs400()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(s_face, null));
        Assert.Equal(400, status);
        Assert.Contains("'model_name'", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task NotMultipartIs400()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, new StringContent("{\"model_name\":\"dingo\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(400, status);
        Assert.Contains("multipart/form-data", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnImageThatDoesNotDecodeIs400()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form("not an image at all"u8.ToArray(), "dingo"));
        Assert.Equal(400, status);
        Assert.Contains("decoded", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnUnlistedModelIsRejected()
    {
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(s_face, "buffalo"));
        Assert.Equal(400, status);
        Assert.Contains("rejected", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnUploadOverTheLimitIs413()
    {
        var big = Client.NoisePng(300, 300); // ~270 KB against a 200 KB limit
        Assert.True(big.Length > 200_000);
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(big, "dingo"));
        Assert.Equal(413, status);
        Assert.Contains("limit", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AChunkedUploadOverTheLimitIs413()
    {
        // No Content-Length: the limit must hold while the body streams in.
        var form = Client.Form(Client.NoisePng(300, 300), "dingo");
        var bytes = await form.ReadAsByteArrayAsync();
        var chunked = new StreamContent(new MemoryStream(bytes));
        chunked.Headers.ContentType = form.Headers.ContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, _s.Server.Url) { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var response = await _s.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task AnUploadJustUnderTheLimitIsServed()
    {
        var image = Client.NoisePng(250, 250);
        Assert.InRange(image.Length, 100_000, 200_000);
        Assert.Equal(LbpDimension, (await Client.Embed(_s.Http, _s.Server.Url, image, "dingo")).Length);
    }

    private static int LbpDimension => FaceEval.Server.Embedding.LbpEmbedder.Dimension;

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task OtherMethodsAre405(string method)
    {
        var response = await _s.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), _s.Server.Url));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/extract/more")]
    [InlineData("/models")]
    [InlineData("/face.png")]
    public async Task OtherPathsAre404(string path)
    {
        var url = new Uri(new Uri(_s.Server.Url), path);
        var response = await _s.Http.PostAsync(url, Client.Form(s_face, "dingo"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ConcurrentClientsGetTheSameAnswersAsOne()
    {
        var images = Enumerable.Range(0, 4).Select(i => Client.Png(TestData.Gradient(80 + 10 * i, 100))).ToArray();
        var expected = new List<float[]>();
        foreach (var image in images) expected.Add(await Client.Embed(_s.Http, _s.Server.Url, image, "dingo"));
        var tasks = Enumerable.Range(0, 32).Select(i => Client.Embed(_s.Http, _s.Server.Url, images[i % 4], "dingo")).ToArray();
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < results.Length; i++) Assert.Equal(expected[i % 4], results[i]);
    }

    [Fact]
    public async Task TestModeRecordsTheFormAsSent()
    {
        string marker = $"probe-{Guid.NewGuid():N}.png";
        await Client.Embed(_s.Http, _s.Server.Url, s_face, "dingo");
        var (status, _, _) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(s_face, "dingo", marker));
        Assert.Equal(200, status);
        var recorded = JsonDocument.Parse(await _s.Http.GetStringAsync(new Uri(new Uri(_s.Server.Url), "/__faceeval/requests"))).RootElement;
        var mine = recorded.EnumerateArray().Single(r => r.GetProperty("parts").EnumerateArray().Any(p => p.GetProperty("fileName").GetString() == marker));
        Assert.Equal("multipart/form-data", mine.GetProperty("contentType").GetString());
        Assert.Equal("dingo", mine.GetProperty("modelName").GetString());
        var image = mine.GetProperty("parts").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "image");
        Assert.Equal("application/octet-stream", image.GetProperty("contentType").GetString());
        Assert.Equal(s_face.Length, image.GetProperty("length").GetInt64());
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(s_face)).ToLowerInvariant(), mine.GetProperty("imageSha256").GetString());
    }

    [PythonRequestsFact]
    public void TheGuidesPythonClientWorksUnchanged()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("face.png"), s_face);
        // The client printed in the evaluation guide, as it stands.
        File.WriteAllText(dir.File("client.py"), """
            import sys, requests
            url, path, model = sys.argv[1], sys.argv[2], sys.argv[3]
            with open(path, "rb") as f:
                r = requests.post(url, files={"image": (path, f, "application/octet-stream")}, data={"model_name": model}, timeout=60)
            r.raise_for_status()
            feature = r.json()["feature"]
            print(r.json()["model_name"], len(feature), sum(x * x for x in feature))
            """);
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dir.File("client.py"), _s.Server.Url, dir.File("face.png"), "dingo" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        var fields = output.Trim().Split(' ');
        Assert.Equal("dingo", fields[0]);
        Assert.Equal(LbpDimension.ToString(), fields[1]);
        Assert.InRange(double.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), 1 - 1e-5, 1 + 1e-5);
    }
}

public sealed class RateLimitedServer : ServerFixture
{
    public RateLimitedServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, RateLimit = 2, RateBurst = 3 }) { }
}

public class RateLimitTests : IClassFixture<RateLimitedServer>
{
    private readonly RateLimitedServer _s;
    public RateLimitTests(RateLimitedServer server) => _s = server;

    [Fact]
    public async Task OverTheRateIs429WithRetryAfterThenServedAgain()
    {
        var face = Client.Png(TestData.Gradient(60, 60));
        var statuses = new List<int>();
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 8; i++)
        {
            var (status, json, response) = await Client.Post(_s.Http, _s.Server.Url, Client.Form(face, "dingo"));
            statuses.Add(status);
            if (status == 429)
            {
                limited ??= response;
                Assert.Contains("Rate limit", json.GetProperty("error").GetString());
            }
        }
        Assert.Equal(new[] { 200, 200, 200 }, statuses.Take(3)); // the burst
        Assert.Contains(429, statuses);
        var retryAfter = limited!.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value.TotalSeconds, 1, 5);
        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(200, (await Client.Post(_s.Http, _s.Server.Url, Client.Form(face, "dingo"))).Status);
    }
}

public class FaultTests
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));

    private sealed class Faulty : ServerFixture
    {
        public Faulty(ReferenceServerOptions o) : base(o) { }
    }

    [Fact]
    public async Task InjectedErrorsAre500()
    {
        using var f = new Faulty(new ReferenceServerOptions { FaultErrorRate = 1 });
        var (status, json, _) = await Client.Post(f.Http, f.Server.Url, Client.Form(s_face, "dingo"));
        Assert.Equal(500, status);
        Assert.Contains("fault", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DroppedConnectionsFailTheRequest()
    {
        using var f = new Faulty(new ReferenceServerOptions { FaultDropRate = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => f.Http.PostAsync(f.Server.Url, Client.Form(s_face, "dingo")));
    }

    [Fact]
    public async Task LatencyIsAdded()
    {
        using var f = new Faulty(new ReferenceServerOptions { FaultLatencyMs = 400 });
        using var response = await f.Http.PostAsync(f.Server.Url, Client.Form(s_face, "dingo"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The delay the server added, as it reports it: asserted on the decision, not on a wall clock.
        Assert.Equal("fault-latency;dur=400", Assert.Single(response.Headers.GetValues("Server-Timing")));
        using var plain = new Faulty(new ReferenceServerOptions { FaultErrorRate = 0 });
        using var undelayed = await plain.Http.PostAsync(plain.Server.Url, Client.Form(s_face, "dingo"));
        Assert.False(undelayed.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task ASeededFailureRateFailsAboutThatShare()
    {
        using var f = new Faulty(new ReferenceServerOptions { FaultErrorRate = 0.3, FaultSeed = 42 });
        int failures = 0;
        for (int i = 0; i < 60; i++)
            if ((await f.Http.PostAsync(f.Server.Url, Client.Form(s_face, "dingo"))).StatusCode == HttpStatusCode.InternalServerError) failures++;
        Assert.InRange(failures, 8, 30); // 18 expected; binomial sd 3.5
    }
}
