using System.Text.Json;
using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

public sealed class BurstServer : ServerFixture
{
    public BurstServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, NoDetector = true }) { }
}

/// <summary>
/// Issue #13: the server's memory stays bounded under a burst of hostile uploads. Every decompression bomb
/// (a few hundred bytes declaring 30000 x 30000 pixels, 2.7 GB decoded, in each format OpenCV reads) is
/// sent several times at once; the server must refuse each with a JSON error, its peak resident memory
/// must stay far below what a single decoded bomb would take, and it must still answer afterwards.
/// </summary>
public class HostileUploadTests : IClassFixture<BurstServer>
{
    private readonly BurstServer _f;

    public HostileUploadTests(BurstServer fixture) => _f = fixture;

    [Fact]
    public async Task ABurstOfDecompressionBombsIsRefusedWithinBoundedMemory()
    {
        if (!OperatingSystem.IsLinux()) return; // peak memory is read from /proc
        var bombs = ImageBombs.All().ToList();
        // Warm up with a genuine request, so the baseline includes the loaded model and runtime.
        using var face = TestData.Gradient(80, 90);
        await Client.Embed(_f.Http, _f.Server.Url, Client.Png(face), "dingo");
        long baseline = PeakResidentBytes(_f.Server.ProcessId);

        for (int round = 0; round < 3; round++)
        {
            var answers = await Task.WhenAll(bombs.Select(async b =>
            {
                using var response = await _f.Http.PostAsync(_f.Server.Url, Client.Form(b.Bytes, "dingo", "bomb.img"));
                string body = await response.Content.ReadAsStringAsync();
                return (b.Name, Status: (int)response.StatusCode, Body: body, Type: response.Content.Headers.ContentType?.MediaType);
            }));
            foreach (var a in answers)
            {
                Assert.True(a.Status is 400 or 413, $"{a.Name}: status {a.Status} {a.Body}");
                Assert.Equal("application/json", a.Type);
                Assert.True(JsonDocument.Parse(a.Body).RootElement.TryGetProperty("error", out _), a.Name);
            }
        }

        long peak = PeakResidentBytes(_f.Server.ProcessId);
        // One decoded bomb is 2.7 GB; 45 were sent, up to 15 at once. The server may grow by a little.
        Assert.True(peak - baseline < 400L << 20, $"peak resident memory grew from {baseline >> 20} MB to {peak >> 20} MB");
        var after = await Client.Embed(_f.Http, _f.Server.Url, Client.Png(face), "dingo");
        Assert.Equal(2891, after.Length);
    }

    /// <summary>VmHWM: the process's peak resident set, in bytes.</summary>
    private static long PeakResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmHWM");
    }
}
