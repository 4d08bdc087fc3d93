// Shared with the Pester tests, which compile it with Add-Type: so explicit usings, and no test framework.
#nullable enable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace FaceEval.Core.Tests;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 for the client's tests. It answers every request with what the
/// test's function returns, byte for byte (status line, reason phrase, headers, body), so that a test can
/// send what real servers and gateways send (a reason phrase or HTML page that echoes the request, a bogus
/// charset, a redirect), and it records every request it received. One request per connection.
/// </summary>
public sealed class FakeEndpoint : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<FakeRequest, FakeReply> _answer;
    private readonly ConcurrentQueue<FakeRequest> _received = new();
    private readonly CancellationTokenSource _stop = new();

    public FakeEndpoint(Func<FakeRequest, FakeReply> answer)
    {
        _answer = answer;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    /// <summary>
    /// For tests that cannot pass a function (PowerShell): answers every request from templates in which
    /// {target} is the request-target as received, {decoded} it percent-decoded, {html} that HTML-escaped,
    /// {json} that JSON-escaped with "\/" for "/", {url} the URL the server was reached at (without user-info)
    /// and {model} the form's model_name. Headers are "Name: value" strings.
    /// </summary>
    public static FakeEndpoint Template(int status, string reason, string? contentType, string body, params string[] headers) =>
        new(r => Fill(r, status, reason, contentType, body, headers));

    /// <summary>Answers every request with a valid vector for the model it asked for.</summary>
    public static FakeEndpoint Vectors() => new(r => FakeReply.Vector(r.Field("model_name") ?? "m"));

    /// <summary>Refuses the images whose file name starts with <paramref name="prefix"/> (status, JSON body as given); embeds the rest.</summary>
    public static FakeEndpoint RejectingImages(string prefix, int status, string json) =>
        new(r => r.ImageName is { } name && name.StartsWith(prefix, StringComparison.Ordinal)
            ? FakeReply.Json(status, json)
            : FakeReply.Vector(r.Field("model_name") ?? "m"));

    private static FakeReply Fill(FakeRequest r, int status, string reason, string? contentType, string body, string[] headers)
    {
        string decoded = Uri.UnescapeDataString(r.Target);
        string url = $"http://{(r.Headers.TryGetValue("Host", out var host) ? host : "127.0.0.1")}{r.Target}";
        string Apply(string t) => t.Replace("{target}", r.Target).Replace("{decoded}", decoded).Replace("{html}", WebUtility.HtmlEncode(decoded))
            .Replace("{json}", System.Text.Json.JsonEncodedText.Encode(decoded).ToString().Replace("/", "\\/")).Replace("{url}", url)
            .Replace("{model}", r.Field("model_name") ?? "");
        var more = headers.Select(h => (h[..h.IndexOf(':')].Trim(), Apply(h[(h.IndexOf(':') + 1)..].Trim()))).ToArray();
        return FakeReply.Text(status, Apply(reason), Apply(body), contentType, more);
    }

    public int Port { get; }

    /// <summary>127.0.0.1:port.</summary>
    public string Authority => $"127.0.0.1:{Port}";

    /// <summary>The URL of this server with the given path and query (and user-info, before the host).</summary>
    public Uri Url(string pathAndQuery = "/extract", string? userInfo = null) =>
        new($"http://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{Port}{pathAndQuery}");

    public IReadOnlyList<FakeRequest> Received => _received.ToArray();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new List<byte>();
                var one = new byte[1];
                while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0) return;
                    head.Add(one[0]);
                }
                var lines = Encoding.Latin1.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                var requestLine = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    int colon = line.IndexOf(':');
                    if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
                var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length) : 0];
                int read = 0;
                while (read < body.Length)
                {
                    int n = await stream.ReadAsync(body.AsMemory(read), _stop.Token);
                    if (n == 0) return;
                    read += n;
                }
                var request = new FakeRequest(requestLine[0], requestLine[1], headers, body);
                _received.Enqueue(request);
                var reply = _answer(request);
                var text = new StringBuilder($"HTTP/1.1 {reply.Status} {reply.Reason}\r\n");
                foreach (var (name, value) in reply.Headers) text.Append(name).Append(": ").Append(value).Append("\r\n");
                text.Append($"Content-Length: {reply.Body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), _stop.Token);
                await stream.WriteAsync(reply.Body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away, or the test is over
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}

/// <summary>A request as the fake endpoint received it: the request-target exactly as sent.</summary>
public sealed record FakeRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>A text field of the multipart form (model_name), or null.</summary>
    public string? Field(string name)
    {
        var m = Regex.Match(Encoding.UTF8.GetString(Body), $"name=\"?{Regex.Escape(name)}\"?\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n(?<v>[^\\r]*)\\r\\n");
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>The file name of the form's image part, or null.</summary>
    public string? ImageName => Regex.Match(Encoding.UTF8.GetString(Body), "name=\"?image\"?; filename=\"?(?<f>[^\";\\r]+)").Groups["f"] is { Success: true } g ? g.Value : null;
}

/// <summary>What the fake endpoint answers: written as given, plus Content-Length and Connection: close.</summary>
public sealed record FakeReply(int Status, string Reason, byte[] Body, IReadOnlyList<(string Name, string Value)> Headers)
{
    public static FakeReply Text(int status, string reason, string body, string? contentType, params (string, string)[] more) =>
        new(status, reason, Encoding.UTF8.GetBytes(body), contentType is null ? more : more.Prepend(("Content-Type", contentType)).ToArray());

    public static FakeReply Json(int status, string json, params (string, string)[] more) =>
        Text(status, status == 200 ? "OK" : "Error", json, "application/json", more);

    /// <summary>A valid reply for <paramref name="model"/>.</summary>
    public static FakeReply Vector(string model, string feature = "[0.6, 0.8]") =>
        Json(200, $"{{\"model_name\": \"{model}\", \"feature\": {feature}}}");
}
