using System.Net;
using System.Text;
using System.Threading.Channels;
using FaceEval.Core.Service;
using Microsoft.Extensions.Time.Testing;

namespace FaceEval.Core.Tests;

internal static class Runs
{
    public static readonly byte[] Png = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };

    public static EmbeddingClient Client(Uri endpoint, int retries = 0, HttpMessageHandler? handler = null, TimeProvider? time = null) => new(new EmbeddingClientOptions
    {
        Endpoint = endpoint, MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5),
        TimeProvider = time ?? TimeProvider.System,
    }, handler);

    /// <summary>Embeds the named in-memory items one after the other, as a run of -ThrottleLimit 1 does.</summary>
    public static async Task<List<EmbeddingOutcome>> Sequence(EmbeddingRunner runner, TempDir dir, params string[] names)
    {
        var outcomes = new List<EmbeddingOutcome>();
        foreach (var name in names)
            outcomes.Add(await runner.RunAsync(new EmbeddingItem(name, name, Png.Concat(Encoding.UTF8.GetBytes(name)).ToArray(), null, dir.File(Path.ChangeExtension(name, ".npy"))), CancellationToken.None));
        return outcomes;
    }

    public static List<ManifestRow> Rows(TempDir dir) => RunManifest.Read(dir.File("manifest.jsonl")).ToList();
}

/// <summary>Defect 5: a 4xx about one image is that image's error; only evidence about the model stops the run.</summary>
public class ClientRejectionTests
{
    // What the reference server (and the vendor) answer for a model name that is not on the list.
    private static string NotListed(string model) => $"{{\"error\": \"model_name '{model}' is rejected: it is not on this server's list.\"}}";

    [Theory]
    [InlineData(400, "{\"error\": \"Image rejected: face too small\"}")]
    [InlineData(422, "{\"error\": \"rejected\"}")]
    [InlineData(403, "Request rejected by content policy")]
    [InlineData(400, "{\"error\": \"Image rejected by model 'eagle': face too small\"}")]
    [InlineData(400, "{\"error\": \"model eagle rejected the image small.png: no face of usable size\"}")]
    [InlineData(404, "{\"error\": \"No face found by model eagle\"}")]
    [InlineData(404, "{\"error\": \"No face found\"}")]
    public async Task APerImageRejectionFailsThatItemOnlyAndTheRunGoesOn(int status, string body)
    {
        using var server = new FakeEndpoint(r => r.ImageName!.StartsWith("small")
            ? FakeReply.Text(status, "Rejected", body, body.StartsWith('{') ? "application/json" : "text/plain")
            : FakeReply.Vector(r.Field("model_name")!));
        using var dir = new TempDir();
        using (var client = Runs.Client(server.Url()))
        using (var manifest = RunManifest.Open(dir.File("manifest.jsonl")))
        {
            var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "eagle", manifest), dir, "a.png", "small.png", "b.png", "small2.png", "c.png");
            Assert.Equal(new[] { true, false, true, false, true }, outcomes.Select(o => o.Error is null));
            Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(FaceEvalError.RequestRejected, o.Error!.Error));
            Assert.Equal(5, server.Received.Count);
        }
        // The next run, with a rejected image first: still only that item fails.
        using (var client = Runs.Client(server.Url()))
        using (var manifest = RunManifest.Open(dir.File("manifest.jsonl")))
        {
            var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "eagle", manifest), dir, "small.png", "small2.png", "a.png", "d.png");
            Assert.Equal(new[] { false, false, true, true }, outcomes.Select(o => o.Error is null));
            Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Equal(FaceEvalError.RequestRejected, o.Error!.Error));
            Assert.True(outcomes[2].Embedding!.Resumed);
        }
    }

    [Theory]
    [InlineData(400, "{\"error\": \"Image rejected: face too small\"}")]
    [InlineData(400, "{\"error\": \"rejected\"}")]
    [InlineData(422, "{\"error\": \"Unprocessable: the image was rejected\"}")]
    public async Task RejectionsThatDoNotNameTheModelNeverStopTheRunEvenBeforeAnySuccess(int status, string body)
    {
        using var server = new FakeEndpoint(r => r.ImageName!.StartsWith("small") ? FakeReply.Text(status, "Rejected", body, "application/json") : FakeReply.Vector("eagle"));
        using var dir = new TempDir();
        using var client = Runs.Client(server.Url());
        var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "eagle"), dir, "small1.png", "small2.png", "small3.png", "a.png");
        Assert.Equal(new[] { false, false, false, true }, outcomes.Select(o => o.Error is null));
        Assert.All(outcomes.Take(3), o => Assert.Equal(FaceEvalError.RequestRejected, o.Error!.Error));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(403)]
    public async Task AModelNameTheServerDoesNotListStopsTheRunWithoutSendingTheRest(int status)
    {
        using var server = new FakeEndpoint(r => r.Field("model_name") == "eagle" ? FakeReply.Vector("eagle") : FakeReply.Text(status, "Bad Request", NotListed(r.Field("model_name")!), "application/json"));
        using var dir = new TempDir();
        using var client = Runs.Client(server.Url());
        var names = Enumerable.Range(1, 10).Select(i => $"face{i}.png").ToArray();
        var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "buffalo"), dir, names);

        Assert.All(outcomes, o => Assert.NotNull(o.Error));
        Assert.True(server.Received.Count <= 2, $"{server.Received.Count} requests: the run goes on after the model was rejected");
        var stop = outcomes.Last().Error!;
        Assert.Equal(FaceEvalError.ModelRejected, stop.Error);
        Assert.Contains("buffalo", stop.Message);
        Assert.Contains("-Model", stop.Message);
        // The same client still serves a model the server has.
        var other = await client.EmbedAsync(Runs.Png, "x.png", "eagle", CancellationToken.None);
        Assert.Equal(2, other.Feature.Length);
    }
}

/// <summary>A wrong path still stops the run at once; a 404 that may be about one image does not.</summary>
public class ClientNotFoundTests
{
    [Theory]
    [InlineData("", null)]
    [InlineData("Not Found", "text/plain")]
    [InlineData("{\"message\": \"Not Found\"}", "application/json")]
    [InlineData("<html><body><h1>404 Not Found</h1><hr>nginx</body></html>", "text/html")]
    [InlineData("<pre>Cannot POST {target}</pre>", "text/html")]
    [InlineData("{\"error\": \"no route for {target}\"}", "application/json")]
    public async Task A404ThatSaysNothingOfItsOwnOrEchoesTheUrlStopsTheRunAtOnce(string body, string? contentType)
    {
        using var server = new FakeEndpoint(r => FakeReply.Text(404, "Not Found", body.Replace("{target}", r.Target), contentType));
        using var client = Runs.Client(server.Url("/v9/wrong-path"));
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.EndpointRejected, e.Error);
        await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png.Append((byte)1).ToArray(), "b.png", "m", CancellationToken.None));
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A404WithAMessageOfItsOwnFailsTheImageAndOnlyASecondImageConfirmsAWrongPath()
    {
        using var server = new FakeEndpoint(_ => FakeReply.Json(404, "{\"error\": \"No face found\"}"));
        using var client = Runs.Client(server.Url());
        var first = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.RequestRejected, first.Error);
        // The same image again (a retry of the run) is no confirmation.
        var same = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.RequestRejected, same.Error);
        var second = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png.Append((byte)1).ToArray(), "b.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.EndpointRejected, second.Error);
        Assert.Contains("No face found", second.Message);
        await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png.Append((byte)2).ToArray(), "c.png", "m", CancellationToken.None));
        Assert.Equal(3, server.Received.Count);
    }
}

/// <summary>Defect 6: a reply's Content-Type never crashes the run; bodies are read as bytes and decoded as UTF-8 unless a known charset says otherwise.</summary>
public class ClientReplyDecodingTests
{
    public static IEnumerable<object?[]> Cases() =>
        from type in new string?[]
        {
            "application/json; charset=bogus", "application/json; charset=\"no-such\"", "", null, "text/plain", "text/html; charset=utf-8",
            "application/octet-stream", "application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "application/json;charset=latin1", "garbage/; ;=",
        }
        from status in new[] { 200, 500, 400 }
        select new object?[] { type, status };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnyContentTypeIsReadWithoutCrashing(string? contentType, int status)
    {
        string body = status == 200 ? "{\"model_name\": \"m\", \"feature\": [0.6, 0.8]}" : "{\"error\": \"boom: the image said \u00e9t\u00e9\"}";
        using var server = new FakeEndpoint(_ => FakeReply.Text(status, "X", body, contentType));
        using var client = Runs.Client(server.Url());
        if (status == 200)
        {
            var reply = await client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None);
            Assert.Equal(new[] { 0.6f, 0.8f }, reply.Feature);
            return;
        }
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Equal(status == 500 ? FaceEvalError.ServerUnavailable : FaceEvalError.RequestRejected, e.Error);
        Assert.Contains("boom: the image said", e.Message);
    }

    [Fact]
    public async Task AKnownCharsetOtherThanUtf8IsHonoured()
    {
        string body = "{\"error\": \"r\u00e9sum\u00e9 refus\u00e9\"}";
        using var server = new FakeEndpoint(_ => new FakeReply(400, "Bad", Encoding.Unicode.GetBytes(body), new[] { ("Content-Type", "application/json; charset=utf-16") }));
        using var client = Runs.Client(server.Url());
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Contains("r\u00e9sum\u00e9 refus\u00e9", e.Message);
    }
}

/// <summary>Defect 13: an image goes to the configured endpoint and nowhere else; a redirect stops the run.</summary>
public class ClientRedirectTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task ARedirectIsNeverFollowedAndStopsTheRun(int status)
    {
        using var elsewhere = new FakeEndpoint(r => FakeReply.Vector(r.Field("model_name") ?? "m"));
        using var endpoint = new FakeEndpoint(_ => FakeReply.Text(status, "Moved", "", null, ("Location", elsewhere.Url("/extract").AbsoluteUri)));
        using var client = Runs.Client(endpoint.Url("/s3cr3t/extract"), retries: 2); // the real handler, as the cmdlet uses

        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None));
        Assert.Equal("EndpointRedirected", e.Error.ToString());
        Assert.Empty(elsewhere.Received);
        Assert.Contains("redirect", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(status.ToString(), e.Message);
        foreach (var secret in new[] { "127.0.0.1", endpoint.Port.ToString(), elsewhere.Port.ToString(), "s3cr3t" })
            Assert.DoesNotContain(secret, e.Message);
        // Every item would be redirected the same way: the run is over, the next item is not sent.
        var again = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(Runs.Png, "b.png", "m", CancellationToken.None));
        Assert.Equal(e.Error, again.Error);
        Assert.Single(endpoint.Received);
        Assert.Empty(elsewhere.Received);
    }
}

/// <summary>Defect 18: a Retry-After is honoured up to a bound, and the client says when it shortened one.</summary>
public class ClientRetryAfterTests
{
    private sealed class ReplyHandler(Func<int, HttpResponseMessage> reply) : HttpMessageHandler
    {
        private int _seen;
        public int Seen => Volatile.Read(ref _seen);
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(reply(Interlocked.Increment(ref _seen)));
    }

    private static async Task<RetryScheduled> FirstRetry(Action<HttpResponseMessage> retryAfter, TimeSpan? cap = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var handler = new ReplyHandler(n =>
        {
            if (n > 1) return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"model_name\": \"m\", \"feature\": [1]}") };
            var r = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            retryAfter(r);
            return r;
        });
        var options = new EmbeddingClientOptions { Endpoint = new Uri("http://127.0.0.1:9/extract"), MaxRetries = 1, TimeProvider = time };
        if (cap is { } c) options = options with { MaxRetryAfter = c };
        using var client = new EmbeddingClient(options, handler);
        var retries = Channel.CreateUnbounded<RetryScheduled>();
        client.Retrying += r => retries.Writer.TryWrite(r);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard
        var pending = client.EmbedAsync(Runs.Png, "a.png", "m", CancellationToken.None);
        var retry = await retries.Reader.ReadAsync(giveUp.Token);
        while (handler.Seen < 2)
        {
            time.Advance(retry.Delay + TimeSpan.FromMilliseconds(1));
            await Task.Delay(2, giveUp.Token);
        }
        await pending.WaitAsync(giveUp.Token);
        return retry;
    }

    [Fact]
    public async Task AHugeRetryAfterInSecondsWaitsTheBoundAndSaysSo()
    {
        var retry = await FirstRetry(r => r.Headers.TryAddWithoutValidation("Retry-After", "999999"));
        Assert.Equal(EmbeddingClientOptions.DefaultMaxRetryAfter, retry.Delay);
        Assert.Equal(TimeSpan.FromSeconds(60), EmbeddingClientOptions.DefaultMaxRetryAfter);
        Assert.True(retry.DelayCapped);
        Assert.Equal(TimeSpan.FromSeconds(999999), retry.RetryAfter);
    }

    [Fact]
    public async Task AnHttpDateFarAheadWaitsTheBoundAndSaysSo()
    {
        var retry = await FirstRetry(r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(new DateTimeOffset(2026, 3, 3, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromSeconds(60), retry.Delay);
        Assert.True(retry.DelayCapped);
        Assert.Equal(TimeSpan.FromDays(2), retry.RetryAfter);
    }

    [Fact]
    public async Task TheBoundIsAnOption()
    {
        var retry = await FirstRetry(r => r.Headers.TryAddWithoutValidation("Retry-After", "999999"), TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), retry.Delay);
        Assert.True(retry.DelayCapped);
    }

    [Fact]
    public async Task RetryAftersWithinTheBoundAreWaitedAsAsked()
    {
        var seconds = await FirstRetry(r => r.Headers.TryAddWithoutValidation("Retry-After", "3"));
        Assert.Equal((TimeSpan.FromSeconds(3), false), (seconds.Delay, seconds.DelayCapped));
        var date = await FirstRetry(r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(new DateTimeOffset(2026, 3, 1, 12, 0, 20, TimeSpan.Zero)));
        Assert.Equal((TimeSpan.FromSeconds(20), false), (date.Delay, date.DelayCapped));
        var past = await FirstRetry(r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero)));
        Assert.Equal((TimeSpan.Zero, false), (past.Delay, past.DelayCapped));
    }
}

/// <summary>Defect 28: a reply must be {"model_name": the model asked for, "feature": [finite numbers]}.</summary>
public class ClientReplyShapeTests
{
    [Theory]
    [InlineData("{\"model_name\": 123, \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": null, \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": {\"name\": \"m\"}, \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": [\"m\"], \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": true, \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": \"other\", \"feature\": [0.6, 0.8]}", "other")]
    [InlineData("{\"model_name\": \"M\", \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": \"m \", \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": \"other\", \"model_name\": \"m\", \"feature\": [0.6, 0.8]}", "model_name")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, \"0.8\"]}", "feature[1]")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [[0.6, 0.8]]}", "feature[0]")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, null]}", "feature[1]")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [true, 0.8]}", "feature[0]")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, 1e39]}", "feature[1]")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, NaN]}", "NaN")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, Infinity]}", "Infinity")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6, -Infinity]}", "Infinity")]
    [InlineData("{\"model_name\": \"m\", \"feature\": \"0.6, 0.8\"}", "feature")]
    [InlineData("{\"model_name\": \"m\", \"feature\": {\"0\": 0.6}}", "feature")]
    [InlineData("{\"model_name\": \"m\"}", "feature")]
    [InlineData("{\"model_name\": \"m\", \"feature\": [0.6], \"feature\": [0.8]}", "feature")]
    [InlineData("[0.6, 0.8]", "object")]
    [InlineData("", "JSON")]
    [InlineData("<html>ok</html>", "JSON")]
    public async Task AMalformedReplyIsAClearPerItemError(string body, string says)
    {
        using var server = new FakeEndpoint(r => r.ImageName == "bad.png" ? FakeReply.Json(200, body) : FakeReply.Vector("m"));
        using var dir = new TempDir();
        using var client = Runs.Client(server.Url());
        var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "m"), dir, "bad.png", "good.png");
        var e = outcomes[0].Error;
        Assert.NotNull(e);
        Assert.Equal(FaceEvalError.ProtocolError, e!.Error);
        Assert.Contains("bad.png", e.Message);
        Assert.Contains(says, e.Message);
        Assert.Null(outcomes[1].Error); // the run goes on
    }
}

/// <summary>Defect 25: attempts and 429 answers are counted as they happened, for failed items too.</summary>
public class ClientCountingTests
{
    private sealed class Answers(Func<int, HttpStatusCode> status) : HttpMessageHandler
    {
        private int _seen;
        public int Seen => Volatile.Read(ref _seen);
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var code = status(Interlocked.Increment(ref _seen));
            var r = new HttpResponseMessage(code) { Content = new StringContent(code == HttpStatusCode.OK ? "{\"model_name\": \"m\", \"feature\": [1]}" : "{\"error\": \"no\"}") };
            if (code == HttpStatusCode.TooManyRequests) r.Headers.TryAddWithoutValidation("Retry-After", "0");
            return Task.FromResult(r);
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, 2, 3)]
    [InlineData(HttpStatusCode.TooManyRequests, 0, 1)]
    [InlineData(HttpStatusCode.InternalServerError, 3, 0)]
    [InlineData(HttpStatusCode.BadRequest, 3, 0)]
    public async Task AFailedItemRecordsTheAttemptsItMadeAndEvery429IsCounted(HttpStatusCode answer, int retries, int throttled)
    {
        using var handler = new Answers(_ => answer);
        using var dir = new TempDir();
        using var client = Runs.Client(new Uri("http://127.0.0.1:9/extract"), retries, handler);
        using (var manifest = RunManifest.Open(dir.File("manifest.jsonl")))
        {
            var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "m", manifest), dir, "a.png");
            Assert.NotNull(outcomes[0].Error);
        }
        int sent = handler.Seen;
        Assert.Equal(answer == HttpStatusCode.BadRequest ? 1 : retries + 1, sent);
        Assert.Equal(sent, Assert.Single(Runs.Rows(dir)).Attempts);
        Assert.Equal(throttled, client.ThrottledCount);
    }

    [Fact]
    public async Task A429ThenSuccessCountsOnceAndTheAttemptsAreRecorded()
    {
        using var handler = new Answers(n => n <= 2 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
        using var dir = new TempDir();
        using var client = Runs.Client(new Uri("http://127.0.0.1:9/extract"), 5, handler);
        using (var manifest = RunManifest.Open(dir.File("manifest.jsonl")))
        {
            var outcomes = await Runs.Sequence(new EmbeddingRunner(client, "m", manifest), dir, "a.png");
            Assert.Equal((3, 2), (outcomes[0].Embedding!.Attempts, outcomes[0].Embedding!.Throttled));
        }
        Assert.Equal(3, Assert.Single(Runs.Rows(dir)).Attempts);
        Assert.Equal(2, client.ThrottledCount);
    }
}

/// <summary>Defect 26: a message names only parameters of the cmdlet that runs the client (Invoke-FaceEmbedding).</summary>
public class ClientMessageTests
{
    [Fact]
    public async Task AnImageOverThePixelLimitNamesWhatInvokeFaceEmbeddingOffers()
    {
        using var image = TestData.Gradient(40, 30);
        OpenCvSharp.Cv2.ImEncode(".jpg", image, out var jpeg);
        using var dir = new TempDir();
        using var client = Runs.Client(new Uri("http://127.0.0.1:9/extract"));
        var runner = new EmbeddingRunner(client, "m", maxPixels: 100);
        var outcome = await runner.RunAsync(new EmbeddingItem("big.jpg", "big.jpg", jpeg, null, null), CancellationToken.None);
        Assert.Equal(FaceEvalError.ImageTooLarge, outcome.Error!.Error);
        Assert.DoesNotContain("-MaxPixels", outcome.Error.Message);
        Assert.Contains("-SendAsIs", outcome.Error.Message);
    }
}
