using System.Security.Cryptography;
using System.Text;

namespace FaceEval.Core.Service;

/// <summary>
/// The vendor endpoint is confidential: this gives the form that may be shown (scheme and a short hash
/// of the URL, e.g. <c>https://endpoint-3f9a1c2b</c>) and scrubs the URL, its authority and its host
/// out of any text before it reaches a message, a log or a file.
/// </summary>
public sealed class EndpointRedactor
{
    private readonly string[] _secrets;

    public EndpointRedactor(Uri endpoint)
    {
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint.AbsoluteUri)))[..8].ToLowerInvariant();
        Redacted = $"{endpoint.Scheme}://endpoint-{hash}";
        _secrets = new[] { endpoint.OriginalString, endpoint.AbsoluteUri, endpoint.GetLeftPart(UriPartial.Path), endpoint.Authority, endpoint.Host, endpoint.IdnHost }
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct()
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    /// <summary>What may be printed in place of the endpoint.</summary>
    public string Redacted { get; }

    /// <summary>The text with every form of the endpoint replaced by <see cref="Redacted"/>.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        foreach (var secret in _secrets) text = text.Replace(secret, Redacted, StringComparison.OrdinalIgnoreCase);
        return text;
    }
}
