using System.Globalization;
using System.Text;

namespace FaceEval.Server;

/// <summary>
/// Client-supplied text made fit for a log line: every character that a terminal or a log reader would obey
/// instead of showing (line ends, escape sequences, C1 controls, bidirectional overrides, lone surrogates) is
/// written as a visible escape, and the result is bounded. Every log call that carries request data passes
/// that data through <see cref="Safe"/>; <see cref="SafeConsoleFormatter"/> escapes whole lines as a backstop.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of one value a log line carries, before the note of what was left out.</summary>
    public const int MaxLength = 200;

    public static string Safe(string? value, int maxLength = MaxLength)
    {
        if (value is null) return "(none)";
        var sb = new StringBuilder(Math.Min(value.Length, maxLength) + 16);
        int i = 0;
        for (; i < value.Length; i++)
        {
            int before = sb.Length;
            Append(sb, value, i, out bool pair);
            if (sb.Length > maxLength)
            {
                sb.Length = before; // never half an escape or half a surrogate pair
                break;
            }
            if (pair) i++;
        }
        if (i < value.Length) sb.Append(CultureInfo.InvariantCulture, $"…(+{value.Length - i} chars)");
        return sb.ToString();
    }

    /// <summary>Escapes the characters of a whole line without bounding it (for the log formatter).</summary>
    internal static string EscapeLine(string line)
    {
        int first = 0;
        while (first < line.Length && !NeedsEscape(line, first)) first++;
        if (first == line.Length) return line;
        var sb = new StringBuilder(line.Length + 16).Append(line, 0, first);
        for (int i = first; i < line.Length; i++)
        {
            Append(sb, line, i, out bool pair);
            if (pair) i++;
        }
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string s, int i, out bool pair)
    {
        char c = s[i];
        pair = char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
        if (pair) sb.Append(c).Append(s[i + 1]);
        else if (c == '\r') sb.Append(@"\r");
        else if (c == '\n') sb.Append(@"\n");
        else if (c == '\t') sb.Append(@"\t");
        else if (IsUnsafe(c)) sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        else sb.Append(c);
    }

    private static bool NeedsEscape(string s, int i) =>
        IsUnsafe(s[i]) && !(char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) &&
        !(char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1]));

    /// <summary>
    /// C0 controls and DEL, C1 controls, the bidirectional marks, embeddings, overrides and isolates, the Unicode
    /// line and paragraph separators, and surrogates (a paired surrogate is kept by the callers).
    /// </summary>
    private static bool IsUnsafe(char c) =>
        c < '\u0020' || c is >= '\u007F' and <= '\u009F' ||
        c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029' ||
        c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069' ||
        char.IsSurrogate(c);
}
