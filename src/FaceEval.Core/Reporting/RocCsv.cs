using System.Globalization;
using System.Text;
using FaceEval.Core.IO;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The ROC points of several models as one CSV file: <c>model,threshold,far,tar</c>, numbers round-trip
/// exact in the invariant culture. A model name is quoted when it holds a comma, quote or line break, and
/// one that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with an apostrophe.
/// </summary>
public static class RocCsv
{
    /// <summary>The file's text.</summary>
    public static string Text(IEnumerable<VerificationResult> results)
    {
        var csv = new StringBuilder("model,threshold,far,tar\n");
        foreach (var r in results)
        {
            string model = Field(r.Model);
            foreach (var p in r.Roc)
                csv.Append(model).Append(',').Append(Number(p.Threshold)).Append(',').Append(Number(p.Far)).Append(',').Append(Number(p.Tar)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Writes the file atomically (a temporary file, then a rename).</summary>
    public static void Write(string path, IEnumerable<VerificationResult> results) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Text(results)), overwrite: true);

    /// <summary>One CSV field: formula-like text defused, then quoted when needed (RFC 4180).</summary>
    public static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
