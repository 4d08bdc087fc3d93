using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace FaceEval.Core.Service;

/// <summary>
/// The vendor endpoint is confidential in every part: scheme, host and port, user-info, the path and the
/// query. This gives the form that may be shown (scheme and a short hash of the URL, e.g.
/// <c>https://endpoint-3f9a1c2b</c>) and scrubs the endpoint out of any text before it reaches a message, a
/// log or a file: the text of server answers and of .NET exceptions, which echo the request.
/// </summary>
/// <remarks>
/// <para>What is scrubbed: the whole URL (as given, escaped and unescaped, with and without user-info) becomes
/// <see cref="Redacted"/>; its parts become <see cref="Placeholder"/>: the authority, host and explicit port,
/// the user-info and its user and password, the query, the path (unless it is only words every API uses,
/// such as <c>/api/v2/extract</c>), and every path segment, query value and host label of substance (three
/// characters or more, and not a word every API uses such as <c>api</c>, <c>v2</c> or <c>extract</c>).</para>
/// <para>In which forms: as in the URL, percent-decoded, percent-encoded (either case of hex digits,
/// <c>+</c> for spaces), HTML-escaped and JSON-escaped (<c>\/</c>, <c>\u00f6</c>), matched without regard to
/// case. Text that carries the endpoint in some other mix of encodings (each character escaped, an
/// encoding inside another) is decoded (HTML entities, JSON escapes, percent escapes, twice over) and,
/// when the decoded text holds the endpoint, that decoded text is what is returned, scrubbed.</para>
/// <para>Parts shorter than eight characters are matched only as whole words (not inside a longer word or
/// number), so that a port or a short value does not punch holes into unrelated text.</para>
/// </remarks>
public sealed class EndpointRedactor
{
    /// <summary>What a part of the endpoint (a path segment, a query value, the host) is replaced with.</summary>
    public const string Placeholder = "<endpoint>";

    // Words that many endpoints share and that say nothing about this one: kept in text (the whole path still goes).
    private static readonly HashSet<string> s_generic = new(StringComparer.OrdinalIgnoreCase)
    {
        "api", "apis", "rest", "extract", "extraction", "embed", "embeds", "embedding", "embeddings", "feature", "features",
        "predict", "prediction", "predictions", "infer", "inference", "face", "faces", "model", "models", "service", "services",
        "public", "default", "index", "json", "http", "https", "www", "com", "net", "org", "true", "false", "yes", "null", "none",
        "endpoint", "run", "invoke",
    };

    private static readonly Regex s_genericShape = new(@"^(v\d+(\.\d+)*|\d{1,5})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private readonly Regex? _pattern;
    private readonly HashSet<string> _whole;

    public EndpointRedactor(Uri endpoint)
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint.AbsoluteUri)))[..8].ToLowerInvariant();
        Redacted = $"{endpoint.Scheme}://endpoint-{hash}";

        // The whole URL, in the forms it is printed in.
        var whole = new List<string> { endpoint.OriginalString, endpoint.AbsoluteUri, endpoint.ToString() };
        if (endpoint.UserInfo.Length > 0)
        {
            var bare = new UriBuilder(endpoint) { UserName = "", Password = "" }.Uri;
            whole.AddRange(new[] { bare.AbsoluteUri, bare.ToString() });
        }
        whole.AddRange(whole.ToArray().Select(u => u.TrimEnd('/')));

        // Parts that are always secret, however short.
        var always = new List<string> { endpoint.Authority, endpoint.Host, endpoint.IdnHost, endpoint.DnsSafeHost, endpoint.UserInfo };
        // The path, unless it is only words every API uses (/extract, /api/v2/extract): those may stay in text, as in our own hints.
        if (endpoint.AbsolutePath.Split('/').Any(OfSubstance)) always.AddRange(new[] { endpoint.AbsolutePath, endpoint.AbsolutePath.TrimEnd('/') });
        if (endpoint.Query.Length > 1 || endpoint.AbsolutePath.Split('/').Any(OfSubstance)) always.Add(endpoint.PathAndQuery);
        if (endpoint.Query.Length > 1) always.AddRange(new[] { endpoint.Query, endpoint.Query[1..] });
        if (endpoint.Fragment.Length > 1) always.Add(endpoint.Fragment[1..]);
        if (!endpoint.IsDefaultPort) always.Add(endpoint.Port.ToString(CultureInfo.InvariantCulture));

        // Parts of substance.
        var parts = new List<string>();
        parts.AddRange(endpoint.UserInfo.Split(':'));
        parts.AddRange(endpoint.AbsolutePath.Split('/'));
        foreach (var pair in endpoint.Query.TrimStart('?').Split('&', ';'))
        {
            int eq = pair.IndexOf('=');
            if (eq < 0) { parts.Add(pair); continue; }
            parts.Add(pair);
            parts.Add(pair[(eq + 1)..]);
        }
        if (endpoint.HostNameType == UriHostNameType.Dns) parts.AddRange(endpoint.IdnHost.Split('.'));
        parts.RemoveAll(p => !OfSubstance(p));

        var forms = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase); // form -> is the whole URL
        foreach (var s in always.Concat(parts)) foreach (var f in Forms(s)) forms.TryAdd(f, false);
        foreach (var s in whole) foreach (var f in Forms(s)) forms[f] = true;
        _whole = new HashSet<string>(forms.Where(f => f.Value).Select(f => f.Key), StringComparer.OrdinalIgnoreCase);

        var alternatives = forms.Keys
            .Where(f => f.Length >= 2)
            .OrderByDescending(f => f.Length)
            .ThenBy(f => f, StringComparer.Ordinal)
            .Select(f => f.Length >= 8 ? Regex.Escape(f) : $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(f)}(?![\p{{L}}\p{{N}}])")
            .ToList();
        if (alternatives.Count > 0)
            _pattern = new Regex(string.Join("|", alternatives), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>What may be printed in place of the endpoint.</summary>
    public string Redacted { get; }

    /// <summary>The text with every form of the endpoint and of its parts replaced (see the remarks on the class).</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text) || _pattern is null) return text ?? "";
        string scrubbed = Replace(text);
        string decoded = Decode(scrubbed);
        if (decoded == scrubbed) return scrubbed;
        // Decoded, what is left still shows the endpoint (escaped in a way no form above covers): only the decoded text is safe to show.
        string again = Replace(decoded);
        return again == decoded ? scrubbed : again;
    }

    private string Replace(string text) => _pattern!.Replace(text, m => _whole.Contains(m.Value) ? Redacted : Placeholder);

    /// <summary>A part worth scrubbing on its own: long enough to say something, and not a word every API uses.</summary>
    private static bool OfSubstance(string part)
    {
        string p = Unescape(part);
        return p.Length >= 3 && !s_generic.Contains(p) && !s_genericShape.IsMatch(p);
    }

    /// <summary>The forms a part of the URL takes in text: as given, percent-decoded and -encoded, form-encoded, HTML- and JSON-escaped.</summary>
    private static IEnumerable<string> Forms(string s)
    {
        if (string.IsNullOrEmpty(s)) yield break;
        string plain = Unescape(s);
        var forms = new HashSet<string>(StringComparer.Ordinal)
        {
            s, plain, Uri.EscapeDataString(plain), WebUtility.UrlEncode(plain), EscapeUnsafe(plain),
        };
        foreach (var f in forms.ToArray())
        {
            forms.Add(WebUtility.HtmlEncode(f));
            forms.Add(HtmlEncoder.Default.Encode(f));
            forms.Add(f.Replace("/", "\\/"));
            string json = JavaScriptEncoder.Default.Encode(f);
            forms.Add(json);
            forms.Add(json.Replace("/", "\\/"));
        }
        foreach (var f in forms) if (f.Length > 0) yield return f;
    }

    private static string Unescape(string s)
    {
        try { return Uri.UnescapeDataString(s); }
        catch (UriFormatException) { return s; }
    }

    /// <summary>Percent-encodes only what a URL may not hold as it is (spaces, non-ASCII), as browsers and servers print paths.</summary>
    private static string EscapeUnsafe(string s)
    {
        var b = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in s.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F && rune.Value != '%') { b.Append((char)rune.Value); continue; }
            int n = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < n; i++) b.Append('%').Append(utf8[i].ToString("X2", CultureInfo.InvariantCulture));
        }
        return b.ToString();
    }

    private static readonly Regex s_jsonEscape = new(@"\\u([0-9a-fA-F]{4})|\\/", RegexOptions.CultureInvariant);

    /// <summary>The text with HTML entities, JSON escapes and percent escapes decoded, twice over (an encoding inside another).</summary>
    private static string Decode(string text)
    {
        string d = text;
        for (int round = 0; round < 2; round++)
        {
            d = WebUtility.HtmlDecode(d);
            d = s_jsonEscape.Replace(d, m => m.Value == "\\/" ? "/" : ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
            d = Unescape(d);
        }
        return d;
    }
}
