using System.Text;
using FaceEval.Core.IO;

namespace FaceEval.Core.Reporting;

/// <summary>
/// The ROC points of several models as one CSV file: <c>model,threshold,far,tar</c>. The model name is text
/// (always quoted, formulas defused: <see cref="CsvField"/>); the numbers round-trip exact in the invariant culture.
/// </summary>
public static class RocCsv
{
    /// <summary>The file's text.</summary>
    public static string Text(IEnumerable<VerificationResult> results)
    {
        var csv = new StringBuilder("model,threshold,far,tar\n");
        foreach (var r in results)
        {
            string model = CsvField.Text(r.Model);
            foreach (var p in r.Roc)
                csv.Append(model).Append(',').Append(CsvField.Number(p.Threshold)).Append(',').Append(CsvField.Number(p.Far)).Append(',').Append(CsvField.Number(p.Tar)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Writes the file atomically (a temporary file, then a rename).</summary>
    public static void Write(string path, IEnumerable<VerificationResult> results) =>
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Text(results)), overwrite: true);
}
