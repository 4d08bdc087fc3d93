using System.Globalization;

namespace FaceEval.Core.IO;

/// <summary>
/// Fields of the CSV files FaceEval writes. Text is always quoted (RFC 4180: inner quotes doubled, so commas
/// and line breaks stay inside the field), and text a spreadsheet would run as a formula is defused with a
/// leading apostrophe (OWASP CSV injection): text starting with =, +, -, @ (or their full-width forms)
/// after any blanks, or with a tab, carriage return, line feed or NUL. Numbers are written round-trip exact in
/// the invariant culture and never quoted.
/// </summary>
public static class CsvField
{
    /// <summary>One text field, defused and quoted.</summary>
    public static string Text(string? text)
    {
        text ??= "";
        if (IsFormulaLike(text)) text = "'" + text;
        return "\"" + text.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>One number: shortest round-trip form, invariant culture ("Infinity", "-Infinity" and "NaN" as .NET writes them).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>True when a spreadsheet could take the text for a formula or a command.</summary>
    public static bool IsFormulaLike(string text)
    {
        if (text.Length == 0) return false;
        if (text[0] is '\t' or '\r' or '\n' or '\0') return true;
        // Some spreadsheets trim leading blanks before they look for a formula.
        var t = text.AsSpan().TrimStart();
        return t.Length > 0 && t[0] is '=' or '+' or '-' or '@' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20';
    }
}
