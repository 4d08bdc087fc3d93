using FaceEval.Core.Hosting;
using FaceEval.Core.Tests;
using Microsoft.Extensions.Logging;

namespace FaceEval.Server.Tests;

public class LogSafetyTests
{
    private static readonly byte[] s_face = Client.Png(TestData.Gradient(60, 60));

    /// <summary>A character a log line must never carry raw: it ends lines, moves the cursor, recolours or reorders the terminal.</summary>
    private static bool IsUnsafe(char c) =>
        c < 0x20 || c is >= '\u007F' and <= '\u009F' || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' ||
        c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069';

    [Fact]
    public async Task ClientTextIsLoggedEscapedOnTheRequestsOwnLine()
    {
        using var server = ServerProcess.Start(new ReferenceServerOptions
        {
            Models = new[] { "dingo=lbp" },
            NoDetector = true,
            ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
        });
        using var http = new HttpClient();
        string modelMarker = "m" + Guid.NewGuid().ToString("N");
        string pathMarker = "p" + Guid.NewGuid().ToString("N");
        const string forged = "2099-01-01 00:00:00 info: FaceEval.Server[0] FORGED";

        // A model name that tries to end the line, start a forged one, colour the terminal and reverse the text.
        string model = $"{modelMarker}\r\n{forged} \u001b[31mred\u001b[0m \u202Eevil \u0085next \u0007bell";
        (await Client.Post(http, server.Url, Client.Form(s_face, model))).Response.Dispose();
        // The same in the path, percent-encoded as a client sends it (the server decodes it before logging).
        var response = await RawHttp.Send(server.Url,
            $"GET /{pathMarker}%0D%0A2099-01-01%2000:00:00%20info:%20FaceEval.Server[0]%20FORGED%20%1B[31mred%E2%80%AE%C2%85 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        Assert.Equal(404, response.Status);

        var lines = await WaitForLines(server, modelMarker, pathMarker);
        var modelLine = Assert.Single(lines, l => l.Contains(modelMarker));
        var pathLine = Assert.Single(lines, l => l.Contains(pathMarker));
        // Each request's text stays on its own line, visibly escaped...
        Assert.Contains("FORGED", modelLine);
        Assert.Contains("FORGED", pathLine);
        Assert.Contains(@"\u001B[31m", modelLine);
        Assert.Contains(@"\u001B[31m", pathLine);
        Assert.Contains(@"\r\n", modelLine);
        Assert.Contains(@"\r\n", pathLine);
        // ...no other line carries it, and no line anywhere has a raw control character.
        Assert.Equal(2, lines.Count(l => l.Contains("FORGED")));
        Assert.All(lines, l => Assert.False(l.Any(IsUnsafe), $"raw control character in: {l}"));
    }

    [Fact]
    public async Task ClientTextInTheLogIsBounded()
    {
        using var server = ServerProcess.Start(new ReferenceServerOptions
        {
            Models = new[] { "dingo=lbp" },
            NoDetector = true,
            ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
        });
        using var http = new HttpClient();
        string marker = "m" + Guid.NewGuid().ToString("N");
        (await Client.Post(http, server.Url, Client.Form(s_face, marker + new string('x', 900)))).Response.Dispose();
        var response = await RawHttp.Send(server.Url, $"GET /{marker}{new string('y', 6000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        Assert.Equal(404, response.Status);
        var lines = await WaitForLines(server, marker + "x", marker + "y");
        Assert.All(lines.Where(l => l.Contains(marker)), l => Assert.InRange(l.Length, 1, 800));
    }

    private static async Task<IReadOnlyList<string>> WaitForLines(ServerProcess server, params string[] markers)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2); // a hang guard
        while (DateTime.UtcNow < deadline)
        {
            var lines = server.RecentOutput;
            if (markers.All(m => lines.Any(l => l.Contains(m)))) return lines;
            await Task.Delay(50);
        }
        Assert.Fail($"the server did not log the requests: {string.Join(" | ", server.RecentOutput)}");
        return Array.Empty<string>();
    }

    [Theory]
    [InlineData("plain dingo", "plain dingo")]
    [InlineData("Zoë 名前 😀", "Zoë 名前 😀")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("\u001b[31mred", @"\u001B[31mred")]
    [InlineData("nul\0", @"nul\u0000")]
    [InlineData("del\u007f", @"del\u007F")]
    [InlineData("c1\u0085\u009b", @"c1\u0085\u009B")]
    [InlineData("bidi\u202E\u2066\u200F\u061C", @"bidi\u202E\u2066\u200F\u061C")]
    [InlineData("lines\u2028\u2029", @"lines\u2028\u2029")]
    public void LogTextEscapesWhatATerminalWouldObey(string value, string logged) => Assert.Equal(logged, LogText.Safe(value));

    [Fact]
    public void LogTextEscapesLoneSurrogatesAndKeepsPairs()
    {
        // Not theory data: the test runner replaces a lone surrogate in a serialised argument.
        Assert.Equal(@"lone\uD800high \uDC00low 😀", LogText.Safe("lone\ud800high \udc00low \ud83d\ude00"));
    }

    [Fact]
    public void LogTextIsBoundedAndSaysHowMuchItLeftOut()
    {
        string logged = LogText.Safe(new string('a', 5000));
        Assert.InRange(logged.Length, LogText.MaxLength, LogText.MaxLength + 40);
        Assert.Contains("4", logged[LogText.MaxLength..]); // how many characters were left out
        // An escape is never cut in half, and an escaped value is bounded too.
        string escaped = LogText.Safe(new string('\u001b', 5000));
        Assert.InRange(escaped.Length, LogText.MaxLength, LogText.MaxLength + 40);
        Assert.Matches(@"^(\\u001B)+…", escaped);
        Assert.Equal("(none)", LogText.Safe(null));
    }

    [Fact]
    public void EveryLogLineIsOneLineWithoutRawControls()
    {
        // A framework message that quotes a request as it came: the formatter escapes it whoever wrote it.
        var formatter = new SafeConsoleFormatter();
        using var writer = new StringWriter();
        var entry = new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(LogLevel.Warning, "Microsoft.AspNetCore.Server.Kestrel", new EventId(17),
            "bad request: 'GET /\r\nFORGED \u001b[31m\u202E'", new InvalidOperationException("line one\nline two"), (s, e) => s);
        formatter.Write(entry, null, writer);
        string text = writer.ToString();
        Assert.EndsWith(Environment.NewLine, text);
        string line = text[..^Environment.NewLine.Length];
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u202E', line);
        Assert.Contains(@"warn: Microsoft.AspNetCore.Server.Kestrel[17] bad request: 'GET /\r\nFORGED \u001B[31m\u202E'", line);
        Assert.Contains(@"line one\nline two", line);
    }
}
