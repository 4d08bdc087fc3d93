using FaceEval.Core.IO;

namespace FaceEval.Core.Evaluation;

/// <summary>
/// Identity-level attributes from a CSV (-AttributePath): a header with an Identity column and attribute
/// columns (Sex, AgeBand, ...), one row per identity. Values are joined to the images on their identity; a
/// value an image carries itself wins over the identity's.
/// </summary>
public sealed class AttributeTable
{
    private readonly Dictionary<string, Dictionary<string, string>> _byIdentity;

    private AttributeTable(string[] columns, Dictionary<string, Dictionary<string, string>> byIdentity)
    {
        Columns = columns;
        _byIdentity = byIdentity;
    }

    /// <summary>The attribute columns (Identity excluded), as in the header.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Identities in the file.</summary>
    public int Count => _byIdentity.Count;

    /// <summary>The value of <paramref name="attribute"/> for <paramref name="identity"/>, or null when the file has none.</summary>
    public string? Value(string? identity, string attribute) =>
        identity is not null && _byIdentity.TryGetValue(identity, out var row) && row.TryGetValue(attribute, out var v) && v.Length > 0 ? v : null;

    /// <summary>Reads the file.</summary>
    /// <exception cref="FaceEvalException">AttributeFileInvalid (no Identity column, a row with the wrong number of fields, an identity twice with different values); FileUnreadable and the like.</exception>
    public static AttributeTable Read(string path)
    {
        string text = RegularFile.ReadAllText(path, "attribute file");
        string name = Path.GetFileName(path);
        FaceEvalException Bad(string why) => new(FaceEvalError.AttributeFileInvalid, $"The attribute file '{name}' {why}", path);
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) throw Bad("is empty: it needs a header with an Identity column and attribute columns (for example Identity,Sex,AgeBand), then one row per identity.");
        var header = Fields(lines[first]).Select(h => h.Trim()).ToArray();
        int id = Array.FindIndex(header, h => h.Equals("Identity", StringComparison.OrdinalIgnoreCase));
        if (id < 0) throw Bad($"has no Identity column (its header is '{lines[first]}'): the first line names the columns, one of them Identity, the others attributes such as Sex or AgeBand.");
        if (header.Length < 2) throw Bad("has an Identity column but no attribute column.");
        var duplicate = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw Bad($"names the column '{duplicate.Key}' twice.");
        var rows = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        for (int l = first + 1; l < lines.Length; l++)
        {
            if (lines[l].Trim().Length == 0) continue;
            List<string> f;
            try { f = Fields(lines[l]); }
            catch (FormatException e) { throw Bad($"line {l + 1}: {e.Message}"); }
            if (f.Count != header.Length) throw Bad($"line {l + 1} has {f.Count} fields where the header has {header.Length}.");
            string identity = f[id].Trim();
            if (identity.Length == 0) throw Bad($"line {l + 1} has no Identity.");
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int c = 0; c < header.Length; c++) if (c != id) values[header[c]] = f[c].Trim();
            if (rows.TryGetValue(identity, out var earlier))
            {
                if (earlier.Any(e => values[e.Key] != e.Value)) throw Bad($"line {l + 1} gives identity '{identity}' values that differ from an earlier line: one row per identity (put image-level values on the images instead).");
                continue;
            }
            rows[identity] = values;
        }
        return new AttributeTable(header.Where((_, c) => c != id).ToArray(), rows);
    }

    /// <summary>The fields of one CSV line (RFC 4180 quotes; blanks before an opening quote allowed).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            current.Clear();
            int start = i;
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new FormatException("a quoted field is not closed.");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    current.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != ',') throw new FormatException("text follows a closing quote.");
            }
            else
            {
                i = start;
                while (i < line.Length && line[i] != ',') current.Append(line[i++]);
            }
            fields.Add(current.ToString());
            if (i >= line.Length) return fields;
            i++; // the comma
        }
    }
}
