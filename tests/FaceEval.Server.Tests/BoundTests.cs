using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

/// <summary>One upload in memory at a time and none waiting: the smallest bound, to see it hold.</summary>
public sealed class OneUploadAtATimeServer : ServerFixture
{
    public OneUploadAtATimeServer() : base(new ReferenceServerOptions { Models = new[] { "dingo=lbp" }, NoDetector = true, MaxConcurrentUploads = 1, MaxQueuedUploads = 0 }) { }
}

public class UploadBoundTests : IClassFixture<OneUploadAtATimeServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly OneUploadAtATimeServer _s;
    public UploadBoundTests(OneUploadAtATimeServer server) => _s = server;

    [Fact]
    public async Task UploadsBeyondTheBoundAre503UntilOneEnds()
    {
        using var form = Client.Form(Random.Shared.GetItems(new byte[] { 1, 2, 3 }, 600_000), "dingo");
        byte[] body = await form.ReadAsByteArrayAsync();
        byte[] head = Encoding.Latin1.GetBytes($"POST /extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length}\r\n\r\n");

        // An upload that never finishes holds the one place while the server waits for the rest of it. On a
        // loaded machine a probe can reach the place first, and the held upload is then itself refused (no
        // queue): it is opened again until the server holds it, which a 503 to a probe shows.
        var deadline = Stopwatch.StartNew(); // a hang guard
        Held? held = null;
        RawResponse? busy = null;
        while (busy is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), "the server never held the upload");
            if (held is null || held.WasAnswered) { held?.Dispose(); held = await Held.Start(_s.Server.Url, head, body); }
            var probe = await RawHttp.Send(_s.Server.Url, await RawHttp.Post("/extract", s_face, "dingo"));
            Assert.True(probe.Status is 200 or 503, $"{probe.Status}: {probe.Text}");
            if (probe.Status == 503) busy = probe;
            else await Task.Delay(100);
        }
        Assert.Contains("busy", busy.AssertJsonError(503));
        Assert.Equal("1", busy.Header("Retry-After"));

        held!.Dispose(); // the held upload ends, and gives its place back
        await Until(_s.Server.Url, 200);
    }

    /// <summary>
    /// An upload sent in part and then kept alive at 500 bytes a second (above Kestrel's minimum body rate of
    /// 240 B/s after a 5 s grace) for longer than the hang guard, on a thread of its own so that a starved
    /// thread pool cannot slow it below that rate.
    /// </summary>
    private sealed class Held : IDisposable
    {
        private readonly TcpClient _tcp = new();
        private readonly ManualResetEventSlim _stop = new();
        private Thread? _trickle;

        public static async Task<Held> Start(string url, byte[] head, byte[] body)
        {
            var h = new Held();
            await h._tcp.ConnectAsync("127.0.0.1", RawHttp.Port(url));
            var stream = h._tcp.GetStream();
            await stream.WriteAsync(head);
            int sent = body.Length / 2;
            await stream.WriteAsync(body.AsMemory(0, sent));
            h._trickle = new Thread(() =>
            {
                try
                {
                    while (sent < body.Length - 1000 && !h._stop.Wait(100))
                    {
                        stream.Write(body, sent, 50);
                        sent += 50;
                    }
                }
                catch (IOException) { } // the server answered and closed: WasAnswered says so
            }) { IsBackground = true };
            h._trickle.Start();
            return h;
        }

        /// <summary>True when the server has answered this upload (refused it), instead of waiting for the rest.</summary>
        public bool WasAnswered => _tcp.Available > 0 || !_trickle!.IsAlive;

        public void Dispose()
        {
            _stop.Set();
            _trickle?.Join();
            _tcp.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>Sends requests one after another until one gets <paramref name="status"/>; each other answer must be 200 or 503.</summary>
    private static async Task<RawResponse> Until(string url, int status)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(2)) // a hang guard
        {
            var response = await RawHttp.Send(url, await RawHttp.Post("/extract", s_face, "dingo"));
            if (response.Status == status) return response;
            Assert.True(response.Status is 200 or 503, $"{response.Status}: {response.Text}");
            await Task.Delay(100);
        }
        Assert.Fail($"no answer {status} within the hang guard");
        return null!;
    }
}

/// <summary>The form's own sizes: each bounded before it is read into memory.</summary>
public class FormBoundTests : IClassFixture<LbpServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly LbpServer _s;
    public FormBoundTests(LbpServer server) => _s = server;

    [Fact]
    public async Task AModelNameOverTheLimitIs400()
    {
        var response = await RawHttp.Send(_s.Server.Url, await RawHttp.Post("/extract", s_face, new string('d', 2000)));
        Assert.Contains("model_name", response.AssertJsonError(400));
    }

    [Fact]
    public async Task AFormWithTooManyPartsIs400()
    {
        using var form = Client.Form(s_face, "dingo");
        for (int i = 0; i < 40; i++) form.Add(new StringContent("x"), $"extra{i}");
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, form);
        Assert.Equal(400, status);
        Assert.Contains("parts", json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("image")]
    [InlineData("model_name")]
    public async Task AFormWithTheSameFieldTwiceIs400(string field)
    {
        using var form = Client.Form(s_face, "dingo");
        if (field == "image") form.Add(new ByteArrayContent(s_face), "image", "second.png");
        else form.Add(new StringContent("eagle"), "model_name");
        var (status, json, _) = await Client.Post(_s.Http, _s.Server.Url, form);
        Assert.Equal(400, status);
        Assert.Contains($"'{field}'", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task APartWithHeadersOverTheLimitIs400()
    {
        using var form = Client.Form(s_face, "dingo");
        var big = new StringContent("x");
        big.Headers.Add("X-Padding", new string('p', 20_000));
        form.Add(big, "padding");
        var (status, _, _) = await Client.Post(_s.Http, _s.Server.Url, form);
        Assert.Equal(400, status);
    }
}
