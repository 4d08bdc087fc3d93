using System.Threading.Channels;
using FaceEval.Core.IO;
using FaceEval.Core.Service;
using Microsoft.Extensions.Time.Testing;

namespace FaceEval.Core.Tests;

public class NpyFileTests
{
    [Fact]
    public void EncodesFormat10LittleEndianFloat32WithA64ByteAlignedHeader()
    {
        var bytes = NpyFile.Encode(new[] { 1f, -2.5f, 3.25f });
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 12, bytes.Length);
        Assert.Equal(-2.5f, BitConverter.ToSingle(bytes, 10 + headerLength + 4));
        Assert.Equal(new[] { 1f, -2.5f, 3.25f }, Assert.Single(NpyFile.Decode(bytes, "x")));
    }

    [Fact]
    public void TruncatedFilesAreInvalidAndSayWhy()
    {
        using var dir = new TempDir();
        var bytes = NpyFile.Encode(new float[128]);
        File.WriteAllBytes(dir.File("cut.npy"), bytes[..^10]);
        Assert.False(NpyFile.IsValidVector(dir.File("cut.npy")));
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Read(dir.File("cut.npy")));
        Assert.Contains("truncated", e.Message);
        NpyFile.Write(dir.File("ok.npy"), new float[128]);
        Assert.True(NpyFile.IsValidVector(dir.File("ok.npy"), 128));
        Assert.False(NpyFile.IsValidVector(dir.File("ok.npy"), 512));
        Assert.False(NpyFile.IsValidVector(dir.File("missing.npy")));
    }
}

public class EndpointRedactorTests
{
    [Fact]
    public void ScrubsTheUrlItsAuthorityAndItsHost()
    {
        var r = new EndpointRedactor(new Uri("https://api.vendor.example:8443/v2/extract?key=abc"));
        Assert.Matches("^https://endpoint-[0-9a-f]{8}$", r.Redacted);
        string scrubbed = r.Scrub("POST https://api.vendor.example:8443/v2/extract?key=abc failed; connect to api.vendor.example:8443 (API.VENDOR.EXAMPLE) refused");
        Assert.DoesNotContain("vendor", scrubbed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("8443", scrubbed);
        Assert.Contains(r.Redacted, scrubbed);
    }
}

public class RunManifestTests
{
    [Fact]
    public void SkipsOnlyIntactItemsOfTheSameModelAndBytesAndSurvivesATornLine()
    {
        using var dir = new TempDir();
        string npy = dir.File("a.npy");
        NpyFile.Write(npy, new[] { 0.6f, 0.8f });
        using (var m = RunManifest.Open(dir.File("manifest.jsonl")))
            m.Append(new ManifestRow { Source = "a.png", CropSha256 = "abc", Model = "eagle", Status = RunManifest.StatusOk, Npy = npy, Dimension = 2 });
        File.AppendAllText(dir.File("manifest.jsonl"), "{\"time\":\"2026-"); // killed mid-line

        using var again = RunManifest.Open(dir.File("manifest.jsonl"));
        Assert.Single(again.Rows);
        Assert.True(again.IsDone(npy, "eagle", "abc"));
        Assert.False(again.IsDone(npy, "dingo", "abc"));
        Assert.False(again.IsDone(npy, "eagle", "other bytes"));
        again.Append(new ManifestRow { Source = "b.png", Model = "eagle", Status = RunManifest.StatusNoFace });
        File.WriteAllBytes(npy, new byte[] { 1, 2, 3 }); // damaged since
        Assert.False(again.IsDone(npy, "eagle", "abc"));
        Assert.Equal(2, RunManifest.Read(dir.File("manifest.jsonl")).Count);
    }
}

public class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(0.1);

    // Hand-worked from the rule: BaseDelay x 2^(n-1) x (0.5 + draw), n = max(1, min(item failures, run streak)), at most MaxDelay.
    [Theory]
    [InlineData(1, 1, 0.5, 0.1)]     // first failure, no jitter offset: the base delay
    [InlineData(5, 1, 0.0, 0.05)]    // an unlucky item among successes: capped at n = 1, smallest jitter
    [InlineData(5, 1, 0.999, 0.1499)]
    [InlineData(5, 5, 0.0, 0.8)]     // everything failing: 0.1 x 2^4 x 0.5
    [InlineData(3, 7, 0.5, 0.4)]     // the item's own failures bound the exponent too
    [InlineData(0, 0, 0.5, 0.1)]     // n is at least 1
    [InlineData(40, 40, 0.5, 60)]    // the ceiling
    public void DelayFollowsTheItemsFailuresCappedByTheRunsStreak(int itemFailures, int streak, double draw, double expectedSeconds)
    {
        var delay = RetryBackoff.Delay(Base, TimeSpan.FromSeconds(60), itemFailures, streak, draw);
        Assert.Equal(expectedSeconds, delay.TotalSeconds, 4);
    }

    /// <summary>Answers 500 to the first <c>failFirst</c> requests for "unlucky.png", or to everything when <c>failAll</c>.</summary>
    private sealed class FlakyHandler(int failFirst, bool failAll = false) : HttpMessageHandler
    {
        private int _unluckySeen, _seen;
        public int UnluckySeen => Volatile.Read(ref _unluckySeen);
        public int Seen => Volatile.Read(ref _seen);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            Interlocked.Increment(ref _seen);
            bool unlucky = body.Contains("unlucky.png", StringComparison.Ordinal);
            int unluckyCount = unlucky ? Interlocked.Increment(ref _unluckySeen) : 0;
            if (failAll || (unlucky && unluckyCount <= failFirst))
                return new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError) { Content = new StringContent("{\"error\": \"boom\"}") };
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"model_name\": \"m\", \"feature\": [0.6, 0.8]}") };
        }
    }

    private static EmbeddingClientOptions Options(int retries, TimeProvider time) => new()
    {
        Endpoint = new Uri("http://127.0.0.1:9/extract"), MaxConcurrency = 4, MaxRetries = retries,
        BaseDelay = Base, MaxDelay = TimeSpan.FromSeconds(60), TimeProvider = time,
    };

    /// <summary>
    /// Moves virtual time on by the delay the client chose until the retry it was waiting for has been sent.
    /// (The client may start its timer just after the event, so one step is not always enough; the loop
    /// only polls, it asserts nothing about real time.)
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider time, TimeSpan step, Func<bool> sent, CancellationToken giveUp)
    {
        while (!sent())
        {
            time.Advance(step);
            await Task.Delay(2, giveUp);
        }
    }

    [Fact]
    public async Task AnUnluckyItemAmongSucceedingRequestsIsRetriedWithoutLongBackoff()
    {
        var time = new FakeTimeProvider();
        using var handler = new FlakyHandler(failFirst: 5);
        using var client = new EmbeddingClient(Options(retries: 6, time), handler);
        var retries = Channel.CreateUnbounded<RetryScheduled>();
        client.Retrying += r => retries.Writer.TryWrite(r);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard, not a timing assertion

        var unlucky = client.EmbedAsync(new byte[] { 2 }, "unlucky.png", "m", CancellationToken.None);
        var decided = new List<RetryScheduled>();
        for (int i = 0; i < 5; i++)
        {
            var retry = await retries.Reader.ReadAsync(giveUp.Token);
            decided.Add(retry);
            // Another item succeeds while this one waits, as in a real run with a few random 500s.
            await client.EmbedAsync(new byte[] { 1 }, $"other{i}.png", "m", giveUp.Token);
            int next = i + 2;
            await AdvanceUntil(time, retry.Delay, () => handler.UnluckySeen >= next, giveUp.Token);
        }
        var reply = await unlucky.WaitAsync(giveUp.Token);

        Assert.Equal(6, reply.Attempts);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, decided.Select(r => r.Attempt));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, decided.Select(r => r.ItemFailures));
        Assert.All(decided, r => Assert.Equal(500, r.Status));
        // Each failure came after a success: the streak is 1, so every delay stays at the first step (0.05-0.15 s),
        // where per-item exponential backoff would have asked for 0.2-0.6 s at the third failure and 0.8-2.4 s at the fifth.
        Assert.All(decided, r => Assert.Equal(1, r.RunFailureStreak));
        Assert.All(decided, r => Assert.InRange(r.Delay.TotalSeconds, 0.05, 0.15));
    }

    [Fact]
    public async Task AServerThatFailsEverythingStillGetsExponentialBackoff()
    {
        var time = new FakeTimeProvider();
        using var handler = new FlakyHandler(failFirst: 0, failAll: true);
        using var client = new EmbeddingClient(Options(retries: 4, time), handler);
        var retries = Channel.CreateUnbounded<RetryScheduled>();
        client.Retrying += r => retries.Writer.TryWrite(r);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var failing = client.EmbedAsync(new byte[] { 1 }, "a.png", "m", CancellationToken.None);
        var decided = new List<RetryScheduled>();
        for (int i = 0; i < 4; i++)
        {
            var retry = await retries.Reader.ReadAsync(giveUp.Token);
            decided.Add(retry);
            int next = i + 2;
            await AdvanceUntil(time, retry.Delay, () => handler.Seen >= next, giveUp.Token);
        }
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => failing.WaitAsync(giveUp.Token));
        Assert.Equal(FaceEvalError.ServerUnavailable, e.Error);
        Assert.Equal(5, handler.Seen);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(i + 1, decided[i].RunFailureStreak);
            // 0.1 s x 2^i, jitter 0.5-1.5x: 0.05-0.15, 0.1-0.3, 0.2-0.6, 0.4-1.2 s.
            double step = 0.1 * Math.Pow(2, i);
            Assert.InRange(decided[i].Delay.TotalSeconds, 0.5 * step, 1.5 * step);
        }
    }

    [Fact]
    public async Task A429WaitsWhatTheServerAsksAndIsNotCountedAsAFailure()
    {
        var time = new FakeTimeProvider();
        int seen = 0;
        using var handler = new ReplyHandler(() => Interlocked.Increment(ref seen) == 1
            ? new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3)) } }
            : new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"model_name\": \"m\", \"feature\": [1]}") });
        using var client = new EmbeddingClient(Options(retries: 2, time), handler);
        var retries = Channel.CreateUnbounded<RetryScheduled>();
        client.Retrying += r => retries.Writer.TryWrite(r);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var pending = client.EmbedAsync(new byte[] { 1 }, "a.png", "m", CancellationToken.None);
        var retry = await retries.Reader.ReadAsync(giveUp.Token);
        await AdvanceUntil(time, retry.Delay, () => Volatile.Read(ref seen) >= 2, giveUp.Token);
        var reply = await pending.WaitAsync(giveUp.Token);

        Assert.Equal(429, retry.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), retry.Delay);
        Assert.Equal(0, retry.ItemFailures);
        Assert.Equal((2, 1), (reply.Attempts, reply.Throttled));
        Assert.Equal(1, client.ThrottledCount);
    }

    private sealed class ReplyHandler(Func<HttpResponseMessage> reply) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(reply());
    }
}

public class FailFastTests
{
    /// <summary>Refuses connections as told, else answers with a vector.</summary>
    private sealed class Door(Func<int, bool> refuse) : HttpMessageHandler
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref _calls);
            if (refuse(call))
                throw new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"model_name\": \"m\", \"feature\": [1]}") });
        }
    }

    private static EmbeddingClientOptions Options => new()
    {
        Endpoint = new Uri("http://127.0.0.1:9/extract"), MaxRetries = 5,
        BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public async Task RefusedFromTheStartStopsTheRunAfterThreeRefusals()
    {
        using var door = new Door(_ => true);
        using var client = new EmbeddingClient(Options, door);
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(new byte[] { 1 }, "a.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.EndpointUnreachable, e.Error);
        Assert.Equal(EmbeddingClient.RefusalsBeforeGivingUp, door.Calls); // not the 6 attempts retries would make
        // The run is over: the next item is not even sent.
        var again = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(new byte[] { 2 }, "b.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.EndpointUnreachable, again.Error);
        Assert.Equal(EmbeddingClient.RefusalsBeforeGivingUp, door.Calls);
    }

    [Fact]
    public async Task RefusalsAfterTheEndpointHasAnsweredAreRetriedAsTransient()
    {
        using var door = new Door(call => call is >= 2 and <= 5); // answers, then refuses four times (a restart), then answers
        using var client = new EmbeddingClient(Options, door);
        await client.EmbedAsync(new byte[] { 1 }, "a.png", "m", CancellationToken.None);
        var reply = await client.EmbedAsync(new byte[] { 2 }, "b.png", "m", CancellationToken.None);
        Assert.Equal(5, reply.Attempts);
    }
}
