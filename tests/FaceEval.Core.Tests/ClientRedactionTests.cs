using System.Net;
using System.Text.RegularExpressions;
using FaceEval.Core.Service;

namespace FaceEval.Core.Tests;

/// <summary>
/// The endpoint URL is confidential in every part: scheme, host and port, user-info, the path and the query.
/// Servers and gateways echo the request they could not serve (Express: "Cannot POST /path", nginx and API
/// gateways: the path or the whole URL, in the reason phrase, an HTML page or JSON), percent-encoded or
/// decoded or HTML-escaped; .NET exceptions name the URI. None of it may reach a message or the manifest.
/// </summary>
public class ClientRedactionTests
{
    /// <summary>An endpoint with its secrets, and the distinctive parts of them that must appear nowhere (hand-listed, in every form).</summary>
    public sealed record SecretUrl(string Name, string PathAndQuery, string? UserInfo, string[] Secrets)
    {
        public override string ToString() => Name;
    }

    public static readonly SecretUrl[] Urls =
    {
        new("path token", "/s3cr3t-token/extract", null, new[] { "s3cr3t" }),
        new("query token", "/extract?key=Qz7SecretKey99&tenant=acme-blue", null, new[] { "Qz7SecretKey99", "acme-blue" }),
        new("user-info", "/extract", "svc-robot:pa55-w0rd", new[] { "svc-robot", "pa55-w0rd" }),
        new("percent-encoded path", "/t%C3%B6ken%20geheim/extract", null, new[] { "geheim", "ken%20", "töken" }),
        new("percent-encoded query", "/extract?sig=x%26y-Tok3n%2Bz%2F9", null, new[] { "Tok3n", "x%26y", "x&y", "x&amp;y" }),
    };

    /// <summary>How the server echoes the request: a name and the reply for the request-target it received and the endpoint's full URL.</summary>
    public sealed record Echo(string Name, int Status, Func<string, Uri, FakeReply> Reply)
    {
        public override string ToString() => Name;
    }

    private static string Decoded(string target) => Uri.UnescapeDataString(target);

    public static readonly Echo[] Echoes =
    {
        // Express's default 404 page, the request-target as received.
        new("Express 404 page", 404, (t, _) => FakeReply.Text(404, "Not Found",
            $"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Error</title></head>\n<body><pre>Cannot POST {t}</pre></body>\n</html>\n", "text/html; charset=utf-8")),
        // An HTML page with the decoded target, HTML-escaped.
        new("HTML-escaped decoded 404", 404, (t, _) => FakeReply.Text(404, "Not Found",
            $"<html><body><h1>404</h1><p>No route for POST {WebUtility.HtmlEncode(Decoded(t))}</p></body></html>", "text/html")),
        // The reason phrase carries the request.
        new("reason phrase 500", 500, (t, _) => FakeReply.Text(500, $"Upstream failed for POST {t}", "", null)),
        new("JSON error 500, decoded", 500, (t, _) => FakeReply.Json(500, $"{{\"error\": \"upstream timeout on {Decoded(t).Replace("\"", "\\\"")}\"}}")),
        // JSON without an "error" member, slashes escaped as PHP's json_encode does, non-ASCII as \u escapes.
        new("JSON detail 400, \\/ escaped", 400, (t, _) => FakeReply.Json(400, $"{{\"detail\": \"no handler for {System.Text.Json.JsonEncodedText.Encode(Decoded(t)).ToString().Replace("/", "\\/")}\"}}")),
        // A gateway that prints the whole URL it was given.
        new("gateway 502, whole URL", 502, (_, u) => FakeReply.Text(502, "Bad Gateway", $"Bad gateway: could not reach {u.OriginalString} ({u.Authority}, {u.Host} port {u.Port})", "text/plain")),
        // A 200 whose model_name echoes the URL: the protocol error quotes it.
        new("200 echoing the URL as model_name", 200, (t, u) => FakeReply.Json(200, $"{{\"model_name\": \"{u.OriginalString}{t}\", \"feature\": [0.6, 0.8]}}")),
    };

    public static IEnumerable<object[]> Cases() => from u in Urls from e in Echoes select new object[] { u, e };

    private static readonly byte[] s_png = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task NoPartOfTheUrlReachesAMessageOrTheManifest(SecretUrl url, Echo echo)
    {
        Uri? endpoint = null;
        using var server = new FakeEndpoint(r => echo.Reply(r.Target, endpoint!));
        endpoint = server.Url(url.PathAndQuery, url.UserInfo);
        using var dir = new TempDir();
        using var client = new EmbeddingClient(new EmbeddingClientOptions { Endpoint = endpoint, MaxRetries = 0 });
        using var manifest = RunManifest.Open(dir.File("manifest.jsonl"));
        var runner = new EmbeddingRunner(client, "m", manifest);

        var outcome = await runner.RunAsync(new EmbeddingItem("a.png", "a.png", s_png, null, dir.File("a.npy")), CancellationToken.None);

        Assert.NotNull(outcome.Error);
        Assert.Single(server.Received);
        string seen = Everything(outcome.Error!) + File.ReadAllText(dir.File("manifest.jsonl"));
        AssertNoSecret(seen, url, server);
        // Still useful: the status, and what the server said around the URL.
        if (echo.Status != 200) Assert.Contains(echo.Status.ToString(), outcome.Error!.Message);
        if (echo.Name.StartsWith("Express")) Assert.Contains("Cannot POST", outcome.Error!.Message);
    }

    /// <summary>Throws what .NET's handlers throw, with the request's URI in the messages.</summary>
    private sealed class Throwing(Func<Uri, Exception> exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw exception(request.RequestUri!);
    }

    public static IEnumerable<object[]> ExceptionCases()
    {
        var exceptions = new (string, Func<Uri, Exception>)[]
        {
            ("HttpRequestException", u => new HttpRequestException($"Error while copying content to a stream ({u.Authority}) for {u}", new IOException($"Unable to read data from {u.AbsoluteUri}"))),
            ("IOException", u => new IOException($"The response ended prematurely: {u.OriginalString} ({Uri.UnescapeDataString(u.PathAndQuery)})")),
            ("InvalidOperationException", u => new InvalidOperationException($"An invalid request URI was provided: {u}. {u.UserInfo}")),
        };
        return from u in Urls from e in exceptions select new object[] { u, e.Item1, e.Item2 };
    }

    [Theory]
    [MemberData(nameof(ExceptionCases))]
    public async Task ExceptionsThatNameTheUriAreScrubbedToo(SecretUrl url, string kind, Func<Uri, Exception> exception)
    {
        _ = kind;
        var endpoint = new Uri($"http://{(url.UserInfo is null ? "" : url.UserInfo + "@")}127.0.0.1:45678{url.PathAndQuery}");
        using var dir = new TempDir();
        using var handler = new Throwing(exception);
        using var client = new EmbeddingClient(new EmbeddingClientOptions { Endpoint = endpoint, MaxRetries = 0 }, handler);
        using var manifest = RunManifest.Open(dir.File("manifest.jsonl"));
        var runner = new EmbeddingRunner(client, "m", manifest);

        var outcome = await runner.RunAsync(new EmbeddingItem("a.png", "a.png", s_png, null, dir.File("a.npy")), CancellationToken.None);

        Assert.NotNull(outcome.Error);
        string seen = Everything(outcome.Error!) + File.ReadAllText(dir.File("manifest.jsonl"));
        AssertNoSecret(seen, url, null);
        // The port as a number of its own: the manifest's ElapsedMs (e.g. 0.1245678) and hashes may hold its digits.
        Assert.DoesNotMatch("(?<![0-9a-f])45678(?![0-9a-f])", seen);
    }

    [Fact]
    public void TheRedactorScrubsEveryPartInEveryFormAndLeavesOtherTextAlone()
    {
        var r = new EndpointRedactor(new Uri("https://svc-robot:pa55-w0rd@api.acme-vendor.example:8443/tenants/t%C3%B6ken-42/v2/extract?key=Qz7Secret%2B99&mode=fast"));
        string[] leaks =
        {
            "POST https://svc-robot:pa55-w0rd@api.acme-vendor.example:8443/tenants/t%C3%B6ken-42/v2/extract?key=Qz7Secret%2B99&mode=fast",
            "Cannot POST /tenants/t%C3%B6ken-42/v2/extract?key=Qz7Secret%2B99&amp;mode=fast",
            "no route /tenants/töken-42/v2/extract?key=Qz7Secret+99",
            "\"path\":\"\\/tenants\\/t\\u00f6ken-42\\/v2\\/extract\"",
            "tenant T%C3%B6KEN-42 (%74%C3%B6ken-42) key QZ7SECRET%2b99",
            "connect to API.ACME-VENDOR.EXAMPLE:8443 refused; user svc-robot",
            "host acme-vendor port 8443",
        };
        foreach (var leak in leaks)
        {
            string scrubbed = r.Scrub(leak);
            foreach (var secret in new[] { "svc-robot", "pa55", "acme-vendor", "8443", "ken-42", "ken%2", "Qz7Secret", "tenants" })
                Assert.DoesNotContain(secret, scrubbed, StringComparison.OrdinalIgnoreCase);
        }
        // Words that are no secret are left alone, and so is text without the endpoint.
        Assert.Equal("Image rejected: face too small (400).", r.Scrub("Image rejected: face too small (400)."));
        Assert.Equal("could not extract features from 'a.png'", r.Scrub("could not extract features from 'a.png'"));
        Assert.Contains(r.Redacted, r.Scrub("POST https://svc-robot:pa55-w0rd@api.acme-vendor.example:8443/tenants/t%C3%B6ken-42/v2/extract?key=Qz7Secret%2B99&mode=fast failed"));
    }

    /// <summary>Every text of an error: its messages, inner exceptions, target and ToString().</summary>
    private static string Everything(FaceEvalException e)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? x = e; x is not null; x = x.InnerException) text.Append(x.Message).Append('\n').Append(x.ToString()).Append('\n');
        text.Append(e.Target).Append('\n');
        return text.ToString();
    }

    private static void AssertNoSecret(string seen, SecretUrl url, FakeEndpoint? server)
    {
        foreach (var secret in url.Secrets) Assert.DoesNotContain(secret, seen, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", seen);
        if (server is not null) Assert.DoesNotMatch($"(?<![0-9a-f]){server.Port}(?![0-9a-f])", seen);
    }
}
