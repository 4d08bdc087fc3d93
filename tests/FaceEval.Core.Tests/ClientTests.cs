using System.Threading.Channels;
using FaceEval.Core.IO;
using FaceEval.Core.Metrics;
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

    /// <summary>A .npy file written byte by byte: magic, version, header length (2 or 4 bytes), header, data.</summary>
    internal static byte[] Npy(string header, int dataBytes = 0, byte major = 1, byte minor = 0, long? headerLength = null, string magic = "\x93NUMPY")
    {
        var bytes = new List<byte>(magic.Select(c => (byte)c)) { major, minor };
        var h = System.Text.Encoding.Latin1.GetBytes(header);
        long length = headerLength ?? h.Length;
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)length));
        else bytes.AddRange(BitConverter.GetBytes((uint)length));
        bytes.AddRange(h);
        for (int i = 0; i < dataBytes; i++) bytes.Add((byte)(i % 7 == 0 ? 0 : 0x3f)); // small finite floats
        return bytes.ToArray();
    }

    private static string Dict(string shape, string descr = "'<f4'", string fortran = "False") =>
        $"{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}\n";

    public static TheoryData<string, byte[], string> MalformedFiles() => new()
    {
        { "empty file", Array.Empty<byte>(), "empty" },
        { "garbage magic", System.Text.Encoding.ASCII.GetBytes("PK\x03\x04 this is a zip, not a .npy file"), "magic" },
        { "magic only", Npy("")[..6], "ends after 6 bytes" },
        { "magic and version only", Npy("")[..8], "ends after 8 bytes" },
        { "version 4.0", Npy(Dict("(2,)"), 8, major: 4), "version 4.0" },
        { "version 0.0", Npy(Dict("(2,)"), 8, major: 0), "version 0.0" },
        { "version 1.7", Npy(Dict("(2,)"), 8, minor: 7), "version 1.7" },
        { "v2 cut inside its header length", Npy(Dict("(2,)"), major: 2)[..11], "ends after 11 bytes" },
        { "v2 header length 0xFFFFFFFF", Npy(Dict("(2,)"), 8, major: 2, headerLength: 0xFFFFFFFF), "4,294,967,295 bytes long" },
        { "v3 header length 0x80000000", Npy(Dict("(2,)"), 8, major: 3, headerLength: 0x80000000), "bytes long" },
        { "v1 header longer than the file", Npy(Dict("(2,)"), 0, headerLength: 60000), "60,000 bytes long" },
        { "v2 header length 0", Npy("", 8, major: 2, headerLength: 0), "not a dictionary" },
        { "header not a dict", Npy("hello world\n", 8), "not a dictionary" },
        { "no descr", Npy("{'fortran_order': False, 'shape': (2,), }\n", 8), "'descr'" },
        { "structured descr", Npy(Dict("(2,)", descr: "[('x', '<f4')]"), 8), "'descr'" },
        { "no fortran_order", Npy("{'descr': '<f4', 'shape': (2,), }\n", 8), "'fortran_order'" },
        { "fortran_order not a bool", Npy(Dict("(2,)", fortran: "'maybe'"), 8), "'fortran_order'" },
        { "no shape", Npy("{'descr': '<f4', 'fortran_order': False, }\n", 8), "'shape'" },
        { "unsupported dtype int32", Npy(Dict("(2,)", descr: "'<i4'"), 8), "'<i4' is not supported" },
        { "unsupported dtype big-endian", Npy(Dict("(2,)", descr: "'>f4'"), 8), "'>f4' is not supported" },
        { "unsupported dtype object", Npy(Dict("(2,)", descr: "'|O'"), 8), "'|O' is not supported" },
        { "negative shape", Npy(Dict("(-3,)"), 8), "'-3'" },
        { "negative rows", Npy(Dict("(-1, 2)"), 8), "'-1'" },
        { "non-numeric shape", Npy(Dict("(abc,)"), 8), "'abc'" },
        { "float shape", Npy(Dict("(2.5,)"), 8), "'2.5'" },
        { "hex shape", Npy(Dict("(0x10,)"), 8), "'0x10'" },
        { "empty entry in shape", Npy(Dict("(2,,)"), 8), "(D,)" },
        { "scalar shape", Npy(Dict("()"), 8), "(D,)" },
        { "three dimensions", Npy(Dict("(2, 2, 2)"), 32), "(D,)" },
        { "shape overflows a long", Npy(Dict("(99999999999999999999,)"), 8), "too large" },
        { "shape above the largest array", Npy(Dict("(4611686018427387904, 4)"), 0), "too large" },
        { "shape product overflows 64 bits", Npy(Dict("(2147483591, 2147483591)", descr: "'<f8'"), 0), "needs" },
        { "10^12 elements in 200 bytes", Npy(Dict("(1000000000000,)"), 200 - 128), "too large" },
        { "10^6 x 10^6 elements in 200 bytes", Npy(Dict("(1000000, 1000000)"), 64), "needs 4,000,000,000,000 data bytes" },
        { "a billion empty rows", Npy(Dict("(1000000000, 0)"), 0), "vectors of no numbers" },
        { "declared size larger than the file", Npy(Dict("(512,)"), 100), "truncated" },
        { "truncated data, f8", Npy(Dict("(4,)", descr: "'<f8'"), 31), "truncated" },
        { "more data than declared", Npy(Dict("(2,)"), 12), "more data" },
        { "no data at all", Npy(Dict("(3,)"), 0), "truncated" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void EveryMalformedFileIsOneInvalidDataErrorThatSaysWhy(string what, byte[] bytes, string expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.Decode(bytes, what));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"'{what}' is not a .npy file FaceEval can read: ", e.Message);
        // Nothing in proportion to what the header claims: only the header's text and the message.
        Assert.True(allocated < 256 * 1024, $"{allocated:N0} bytes allocated for a {bytes.Length}-byte file");
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void EveryMalformedFileOnDiskIsOneNpyUnreadableErrorNamingTheFile(string what, byte[] bytes, string expected)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FaceEvalException>(() => EmbeddingFile.Read(path));
        Assert.Equal(FaceEvalError.NpyUnreadable, e.Error);
        Assert.Equal(path, e.Target);
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.False(NpyFile.IsValidVector(path), what);
    }

    [Fact]
    public void ReadsTheShapesNumPyWrites()
    {
        Assert.Equal(new[] { 0.5f, 0.5f }, Assert.Single(NpyFile.Decode(Npy(Dict("( 2 , )"), 0).Concat(BitConverter.GetBytes(0.5f)).Concat(BitConverter.GetBytes(0.5f)).ToArray(), "x")));
        Assert.Equal(2, Assert.Single(NpyFile.Decode(Npy(Dict("(2L,)"), 8), "python 2")).Length);
        Assert.Equal(3, NpyFile.Decode(Npy(Dict("(3, 2)"), 24), "x").Length);
        Assert.Equal(2, Assert.Single(NpyFile.Decode(Npy(Dict("(2,)"), 8, major: 3), "v3")).Length);
        Assert.Empty(Assert.Single(NpyFile.Decode(Npy(Dict("(0,)"), 0), "empty vector")));
        Assert.Empty(NpyFile.Decode(Npy(Dict("(0, 128)"), 0), "no rows"));
    }
}

public class EmbeddingFileTests
{
    private static byte[] Floats(string shape, params float[] values) =>
        NpyFileTests.Npy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}\n").Concat(values.SelectMany(BitConverter.GetBytes)).ToArray();

    [Theory]
    [InlineData("(3,)", "index 2 is NaN", float.NaN)]
    [InlineData("(3,)", "index 2 is infinite", float.PositiveInfinity)]
    [InlineData("(3,)", "index 2 is infinite", float.NegativeInfinity)]
    [InlineData("(3,)", "its norm", 3e38f)]
    [InlineData("(2, 3)", "in row 1, the value at index 2 is NaN", float.NaN)]
    public void AVectorWithANonFiniteValueIsUnreadableAsAnEmbedding(string shape, string expected, float bad)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.npy");
        var values = new List<float>();
        if (shape.StartsWith("(2")) values.AddRange(new[] { 1f, 0f, 0f }); // a good first row
        values.AddRange(new[] { bad == 3e38f ? 3e38f : 0.6f, 0.8f, bad });
        File.WriteAllBytes(path, Floats(shape, values.ToArray()));
        var e = Assert.Throws<FaceEvalException>(() => EmbeddingFile.Read(path));
        Assert.Equal(FaceEvalError.NpyUnreadable, e.Error);
        Assert.Equal(path, e.Target);
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.False(NpyFile.IsValidVector(path), "an earlier run's damaged file is embedded again, not resumed");
    }

    [Theory]
    [InlineData("(0,)")]
    [InlineData("(0, 128)")]
    public void AFileWithNoNumbersIsOneFailureToEnrol(string shape)
    {
        using var dir = new TempDir();
        string path = dir.File("noface.npy");
        File.WriteAllBytes(path, Floats(shape));
        Assert.Empty(Assert.Single(EmbeddingFile.Read(path)));
    }
}

public class EmbeddingComparerTests
{
    private static readonly LabelledVector[] s_references = { new(new[] { 1f, 0f }, "a", "m", "alice"), new(new[] { 0f, 1f }, "b", "m", "bob") };

    [Theory]
    [InlineData(float.NaN, FaceEvalError.InvalidEmbedding, "NaN")]
    [InlineData(float.PositiveInfinity, FaceEvalError.InvalidEmbedding, "infinite")]
    public void ANonFiniteProbeIsAnErrorNotANaNScore(float bad, FaceEvalError error, string expected)
    {
        var e = Assert.Throws<FaceEvalException>(() => EmbeddingComparer.Compare(s_references, new LabelledVector(new[] { 0.6f, bad }, "probe.npy", "m", null)));
        Assert.Equal(error, e.Error);
        Assert.Contains("probe.npy", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Throws<FaceEvalException>(() => EmbeddingComparer.Validate(new LabelledVector(new[] { bad }, "reference.npy", null, null)));
    }

    [Fact]
    public void AnEmptyProbeIsAFailureToEnrolWithNothingToCompare()
    {
        var e = Assert.Throws<FaceEvalException>(() => EmbeddingComparer.Compare(s_references, new LabelledVector(Array.Empty<float>(), "noface.npy", "m", null)));
        Assert.Equal(FaceEvalError.NoFaceDetected, e.Error);
        Assert.Contains("noface.npy", e.Message);
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
