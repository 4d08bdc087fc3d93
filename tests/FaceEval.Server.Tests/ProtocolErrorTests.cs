using System.Text;
using FaceEval.Core.Tests;

namespace FaceEval.Server.Tests;

/// <summary>Every error the server sends, including those its HTTP layer answers before the application runs, is the JSON error shape.</summary>
public class ProtocolErrorTests : IClassFixture<LbpServer>
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));
    private readonly LbpServer _s;
    public ProtocolErrorTests(LbpServer server) => _s = server;

    private const string Close = "Host: 127.0.0.1\r\nConnection: close\r\n";

    [Theory]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    [InlineData("FOO")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("PROPFIND")]
    public async Task AnyMethodButPostOnTheEndpointIs405AllowingPostOnly(string method)
    {
        var response = await RawHttp.Send(_s.Server.Url, $"{method} /extract HTTP/1.1\r\n{Close}\r\n");
        Assert.Contains("POST", response.AssertJsonError(405));
        Assert.Equal("POST", response.Header("Allow"));
    }

    [Fact]
    public async Task HeadIs405AllowingPostAndHasNoBody()
    {
        var response = await RawHttp.Send(_s.Server.Url, $"HEAD /extract HTTP/1.1\r\n{Close}\r\n");
        Assert.Equal(405, response.Status);
        Assert.Equal("POST", response.Header("Allow"));
        Assert.Empty(response.Body);
    }

    /// <summary>Malformed requests: most are refused by the HTTP layer before any application code runs.</summary>
    public static TheoryData<string, int> Malformed() => new()
    {
        { "content-length-not-a-number", 400 },
        { "content-length-negative", 400 },
        { "two-different-content-lengths", 400 },
        { "content-length-and-chunked", 400 },
        { "transfer-encoding-not-chunked", 400 },
        { "no-host", 400 },
        { "garbage-request-line", 400 },
        { "nul-in-target", 400 },
        { "space-in-target", 400 },
        { "nul-in-header", 400 },
        { "header-without-colon", 400 },
        { "http10-post-without-length", 400 },
        { "header-too-large", 431 },
        { "too-many-headers", 431 },
        { "request-line-too-long", 414 },
        { "unknown-http-version", 505 },
    };

    private static string Request(string name) => name switch
    {
        "content-length-not-a-number" => $"POST /extract HTTP/1.1\r\n{Close}Content-Length: abc\r\n\r\n",
        "content-length-negative" => $"POST /extract HTTP/1.1\r\n{Close}Content-Length: -5\r\n\r\n",
        "two-different-content-lengths" => $"POST /extract HTTP/1.1\r\n{Close}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        "content-length-and-chunked" => $"POST /extract HTTP/1.1\r\n{Close}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "transfer-encoding-not-chunked" => $"POST /extract HTTP/1.1\r\n{Close}Transfer-Encoding: gzip\r\n\r\n",
        "no-host" => "GET /extract HTTP/1.1\r\nConnection: close\r\n\r\n",
        "garbage-request-line" => "GARBAGE\r\n\r\n",
        "nul-in-target" => $"GET /ext\0ract HTTP/1.1\r\n{Close}\r\n",
        "space-in-target" => $"GET /ext ract HTTP/1.1\r\n{Close}\r\n",
        "nul-in-header" => $"GET /extract HTTP/1.1\r\n{Close}X-A: a\0b\r\n\r\n",
        "header-without-colon" => $"GET /extract HTTP/1.1\r\n{Close}NoColonHere\r\n\r\n",
        "http10-post-without-length" => "POST /extract HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
        "header-too-large" => $"GET /extract HTTP/1.1\r\n{Close}X-Big: {new string('a', 40_000)}\r\n\r\n",
        "too-many-headers" => $"GET /extract HTTP/1.1\r\n{Close}{string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: a\r\n"))}\r\n",
        "request-line-too-long" => $"GET /{new string('a', 10_000)} HTTP/1.1\r\n{Close}\r\n",
        "unknown-http-version" => $"GET /extract HTTP/2.5\r\n{Close}\r\n",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task MalformedRequestsGetJsonErrors(string name, int status)
    {
        var response = await RawHttp.Send(_s.Server.Url, Request(name));
        response.AssertJsonError(status);
        // A body given to a refusal is framed by its length (the application's own answers are chunked).
        if (response.Header("Content-Length") is string length) Assert.Equal(response.Body.Length, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ARefusalAfterAServedRequestOnTheSameConnectionIsAJsonErrorToo()
    {
        // Two requests in one write: the first is served, the second refused by the HTTP layer.
        byte[] first = (await RawHttp.Post("/extract", s_face, "dingo")).ToArray();
        string text = Encoding.Latin1.GetString(first).Replace("Connection: close\r\n", "");
        byte[] both = Encoding.Latin1.GetBytes(text + $"POST /extract HTTP/1.1\r\n{Close}Content-Length: abc\r\n\r\n");
        var all = await RawHttp.SendAll(_s.Server.Url, both);
        Assert.Equal(2, all.Count);
        Assert.Equal(200, all[0].Status);
        all[1].AssertJsonError(400);
    }
}

/// <summary>Which answers the connection's output rewrites: exactly the bodiless error heads.</summary>
public class ErrorBodyPipeWriterTests
{
    private static byte[]? Rewrite(string output) => ErrorBodyPipeWriter.WithJsonBody(Encoding.Latin1.GetBytes(output), status => $"status {status}");

    [Fact]
    public void ABodilessErrorHeadGetsTheErrorShape()
    {
        var rewritten = Rewrite("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 05:19:51 GMT\r\n\r\n");
        Assert.NotNull(rewritten);
        string text = Encoding.UTF8.GetString(rewritten);
        const string body = "{\"error\":\"status 431\"}";
        Assert.Equal($"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 05:19:51 GMT\r\n\r\n{body}", text);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")] // not an error
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n")]
    [InlineData("HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\n\r\n")] // a HEAD answer: no Content-Length: 0
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n{}")] // something follows the head
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 22\r\nContent-Type: application/json\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("{\"model_name\":\"HTTP/1.1 400 x\r\nContent-Length: 0\r\n\r\n")] // body bytes, not a head
    [InlineData("5a\r\nHTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    public void EverythingElsePassesUnchanged(string output) => Assert.Null(Rewrite(output));
}
