using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FaceEval.Server.Tests;

/// <summary>An HTTP answer read off the socket as sent: status, headers in order, and the decoded body.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Asserts the server's error shape: a JSON object with one property, "error", a non-empty message.</summary>
    public string AssertJsonError(int status)
    {
        Assert.True(Status == status, $"status {Status}, expected {status}; body: {Text}");
        Assert.StartsWith("application/json", Header("Content-Type") ?? "(no Content-Type)");
        using var json = JsonDocument.Parse(Body);
        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        string message = property.Value.GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message;
    }
}

/// <summary>
/// Requests written byte for byte on a TCP connection: request targets HttpClient would normalise, methods and
/// headers it refuses to send, and malformed requests that only the server's HTTP layer sees.
/// </summary>
public static class RawHttp
{
    public static int Port(string url) => new Uri(url).Port;

    /// <summary>Sends the request and reads the first answer, until the server closes the connection (send "Connection: close").</summary>
    public static async Task<RawResponse> Send(string url, byte[] request) => (await SendAll(url, request))[0];

    /// <summary>Sends the bytes (one request or several in a row) and reads every answer until the server closes the connection.</summary>
    public static async Task<IReadOnlyList<RawResponse>> SendAll(string url, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Port(url));
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(request);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything: its answer is still to be read.
        }
        var received = new MemoryStream();
        var buffer = new byte[65536];
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a hang guard
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, guard.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the answer (the server closed with unread input): what arrived is the answer.
        }
        byte[] data = received.ToArray();
        var responses = new List<RawResponse>();
        int at = 0;
        while (at < data.Length) responses.Add(Parse(data, ref at));
        Assert.NotEmpty(responses);
        return responses;
    }

    public static Task<RawResponse> Send(string url, string request) => Send(url, Encoding.Latin1.GetBytes(request));

    /// <summary>A complete multipart POST of the vendor's form to the request target given as is.</summary>
    public static async Task<byte[]> Post(string target, byte[] image, string model)
    {
        using var form = Client.Form(image, model);
        byte[] body = await form.ReadAsByteArrayAsync();
        byte[] head = Encoding.Latin1.GetBytes(
            $"POST {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: {form.Headers.ContentType}\r\nContent-Length: {body.Length}\r\n\r\n");
        return head.Concat(body).ToArray();
    }

    private static RawResponse Parse(byte[] data, ref int start)
    {
        int end = IndexOf(data, "\r\n\r\n"u8, start);
        Assert.True(end >= 0, $"no complete HTTP head in {data.Length - start} bytes: {Encoding.Latin1.GetString(data, start, data.Length - start)}");
        var lines = Encoding.Latin1.GetString(data, start, end - start).Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        int status = int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0].Trim(), p[1].Trim())).ToList();
        int bodyStart = end + 4;
        byte[] rest = data[bodyStart..];
        byte[] body;
        if (rest.Length == 0)
        {
            body = Array.Empty<byte>(); // a HEAD answer, or one without a body
            start = bodyStart;
        }
        else if (headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            var decoded = new MemoryStream();
            int at = 0;
            while (true)
            {
                int lineEnd = IndexOf(rest, "\r\n"u8, at);
                int size = Convert.ToInt32(Encoding.Latin1.GetString(rest, at, lineEnd - at).Split(';')[0], 16);
                at = lineEnd + 2;
                if (size == 0) { at += 2; break; }
                decoded.Write(rest, at, size);
                at += size + 2;
            }
            body = decoded.ToArray();
            start = bodyStart + at;
        }
        else
        {
            var length = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => int.Parse(h.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            body = length.Count == 1 ? rest[..Math.Min(length[0], rest.Length)] : rest;
            start = bodyStart + body.Length;
        }
        return new RawResponse(status, headers, body);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> what, int from)
    {
        int i = data.AsSpan(from).IndexOf(what);
        return i < 0 ? -1 : i + from;
    }
}
