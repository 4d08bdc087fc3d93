using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FaceEval.Core.Service;

/// <summary>
/// Turns a reply's bytes into text without trusting its headers: the charset of the Content-Type is used
/// only when it names an encoding .NET knows (else UTF-8, or what a byte-order mark says), and nothing about
/// the header (missing, empty, malformed, another media type) can throw. Also gives the short, single-line
/// error text to quote from an error reply (the JSON "error" member, or the visible text of an HTML page).
/// </summary>
internal static class ReplyText
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The body as text: byte-order mark first, then a known charset, else UTF-8 (invalid bytes become U+FFFD).</summary>
    public static string Decode(byte[] body, HttpContentHeaders? headers)
    {
        if (body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF) return s_utf8.GetString(body, 3, body.Length - 3);
        if (body.Length >= 2 && body[0] == 0xFF && body[1] == 0xFE) return Encoding.Unicode.GetString(body, 2, body.Length - 2);
        if (body.Length >= 2 && body[0] == 0xFE && body[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(body, 2, body.Length - 2);
        return (Known(Charset(headers)) ?? s_utf8).GetString(body);
    }

    /// <summary>The media type of the Content-Type header, lower case, or null when there is none that parses.</summary>
    public static string? MediaType(HttpContentHeaders? headers)
    {
        try
        {
            return headers?.ContentType?.MediaType?.ToLowerInvariant();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Charset(HttpContentHeaders? headers)
    {
        try
        {
            return headers?.ContentType?.CharSet?.Trim().Trim('"', '\'').Trim();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Encoding? Known(string? charset)
    {
        if (string.IsNullOrEmpty(charset)) return null;
        try
        {
            var encoding = Encoding.GetEncoding(charset); // replacement fallback: never throws on bad bytes
            return encoding.CodePage == Encoding.UTF8.CodePage ? s_utf8 : encoding;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null; // bogus, or an encoding this runtime does not carry: UTF-8, the protocol's own
        }
    }

    private static readonly Regex s_scriptOrStyle = new(@"<(script|style)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    private static readonly Regex s_tag = new(@"<[^>]*>", RegexOptions.CultureInvariant);
    private static readonly Regex s_space = new(@"\s+", RegexOptions.CultureInvariant);

    /// <summary>
    /// What an error reply says, on one line: the JSON object's "error" (or "message", "detail", "title") string,
    /// the visible text of an HTML page, or the body as it is; control characters become spaces, so that a
    /// reply cannot forge lines in a log. Not yet scrubbed of the endpoint, not yet shortened.
    /// </summary>
    public static string ErrorText(string body, string? mediaType)
    {
        string text = body;
        string trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                    foreach (var name in new[] { "error", "message", "detail", "title" })
                        if (doc.RootElement.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String)
                        {
                            text = e.GetString() ?? "";
                            break;
                        }
            }
            catch (JsonException) { }
        }
        else if (mediaType is "text/html" or "application/xhtml+xml" || trimmed.StartsWith('<'))
        {
            text = WebUtility.HtmlDecode(s_tag.Replace(s_scriptOrStyle.Replace(body, " "), " "));
        }
        return OneLine(text);
    }

    /// <summary>The text with control characters (line breaks included) as spaces and runs of white space collapsed.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var b = new StringBuilder(text.Length);
        foreach (char c in text) b.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        return s_space.Replace(b.ToString(), " ").Trim();
    }

    /// <summary>At most <paramref name="max"/> characters, with "..." when cut.</summary>
    public static string Shorten(string text, int max) => text.Length > max ? text[..max] + "..." : text;
}
