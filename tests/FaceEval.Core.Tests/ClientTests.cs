using FaceEval.Core.Client;

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
    /// <summary>Answers 500 to the first <c>failFirst</c> requests for "unlucky.png", or to everything when <c>failAll</c>.</summary>
    private sealed class FlakyHandler(int failFirst, bool failAll = false) : HttpMessageHandler
    {
        private int _unluckySeen;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            bool unlucky = body.Contains("unlucky.png", StringComparison.Ordinal);
            if (failAll || (unlucky && Interlocked.Increment(ref _unluckySeen) <= failFirst))
                return new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError) { Content = new StringContent("{\"error\": \"boom\"}") };
            await Task.Delay(5, cancellationToken);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"model_name\": \"m\", \"feature\": [0.6, 0.8]}") };
        }
    }

    private static EmbeddingClientOptions Options(int retries) => new()
    {
        Endpoint = new Uri("http://127.0.0.1:9/extract"), MaxConcurrency = 4, MaxRetries = retries,
        BaseDelay = TimeSpan.FromSeconds(0.1), MaxDelay = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task AnUnluckyItemAmongSucceedingRequestsIsRetriedWithoutLongBackoff()
    {
        using var handler = new FlakyHandler(failFirst: 5);
        using var client = new EmbeddingClient(Options(retries: 6), handler);
        using var stop = new CancellationTokenSource();
        // Other items keep succeeding meanwhile, as in a real run with a few random 500s.
        var others = Task.Run(async () =>
        {
            int n = 0;
            while (!stop.IsCancellationRequested) await client.EmbedAsync(new byte[] { 1 }, $"other{n++}.png", "m", CancellationToken.None);
        });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await client.EmbedAsync(new byte[] { 2 }, "unlucky.png", "m", CancellationToken.None);
        watch.Stop();
        stop.Cancel();
        await others;
        Assert.Equal(6, reply.Attempts);
        // Per-item exponential backoff would wait 0.1 x (1 + 2 + 4 + 8 + 16) s with jitter 0.5-1.5x: at least 1.55 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.2), $"{watch.Elapsed.TotalSeconds:F2} s for five retries");
    }

    [Fact]
    public async Task AServerThatFailsEverythingStillGetsExponentialBackoff()
    {
        using var handler = new FlakyHandler(failFirst: 0, failAll: true);
        using var client = new EmbeddingClient(Options(retries: 4), handler);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<FaceEvalException>(() => client.EmbedAsync(new byte[] { 1 }, "a.png", "m", CancellationToken.None));
        Assert.Equal(FaceEvalError.ServerUnavailable, e.Error);
        // 0.1 x (1 + 2 + 4 + 8) s, each at least half of that with jitter.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.75), $"{watch.Elapsed.TotalSeconds:F2} s");
    }
}
