using System.Text;

namespace FaceEval.Core.IO;

/// <summary>
/// An (N, D) .npy matrix with a labels CSV of N rows in the same order: the header names an Identity column
/// (required) and optionally a Label (or Path) column; fields may be quoted (RFC 4180, no line breaks in fields).
/// </summary>
public static class EmbeddingMatrix
{
    /// <exception cref="FaceEvalException">NpyUnreadable for the matrix; FileNotFound or FileUnreadable for the labels, naming the line.</exception>
    public static (float[][] Rows, string[] Identities, string[] Labels) Read(string matrixPath, string labelPath)
    {
        var rows = NpyFile.Read(matrixPath);
        if (rows.Length > 0 && rows.Any(r => r.Length != rows[0].Length))
            throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"'{matrixPath}' is not one (N, D) matrix.", matrixPath);
        if (!File.Exists(labelPath)) throw new FaceEvalException(FaceEvalError.FileNotFound, $"The labels file '{labelPath}' does not exist.", labelPath);
        var lines = File.ReadAllLines(labelPath, Encoding.UTF8).Where(l => l.Trim().Length > 0).ToList();
        string Bad(string why) => throw new FaceEvalException(FaceEvalError.FileUnreadable, $"The labels file '{labelPath}' {why}", labelPath);
        if (lines.Count == 0) Bad("is empty: it needs a header with an Identity column and one line per row of the matrix.");
        var header = Fields(lines[0]);
        int identity = header.FindIndex(h => h.Equals("Identity", StringComparison.OrdinalIgnoreCase));
        int label = header.FindIndex(h => h.Equals("Label", StringComparison.OrdinalIgnoreCase));
        if (label < 0) label = header.FindIndex(h => h.Equals("Path", StringComparison.OrdinalIgnoreCase));
        if (identity < 0) Bad($"has no Identity column in its header ({string.Join(",", header)}): the first line names the columns, e.g. Identity,Label.");
        if (lines.Count - 1 != rows.Length)
            Bad($"has {lines.Count - 1:N0} label lines but '{Path.GetFileName(matrixPath)}' has {rows.Length:N0} rows: one line per row, in the same order.");
        var identities = new string[rows.Length];
        var labels = new string[rows.Length];
        string stem = Path.GetFileName(matrixPath);
        for (int i = 0; i < rows.Length; i++)
        {
            var f = Fields(lines[i + 1]);
            if (identity >= f.Count || f[identity].Length == 0) Bad($"has no Identity on data line {i + 1}.");
            identities[i] = f[identity];
            labels[i] = label >= 0 && label < f.Count && f[label].Length > 0 ? f[label] : $"{stem}[{i}]";
        }
        return (rows, identities, labels);
    }

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int k = 0; k < line.Length; k++)
        {
            char c = line[k];
            if (quoted)
            {
                if (c == '"' && k + 1 < line.Length && line[k + 1] == '"') { field.Append('"'); k++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString().Trim()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString().Trim());
        return fields;
    }
}
