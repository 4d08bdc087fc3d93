using System.Globalization;
using System.Text;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Reads pair lists: LFW's pairs.txt (a header "folds pairs-per-fold" or a single count, then
/// "name n1 n2" for a match and "name1 n1 name2 n2" for a mismatch; keys become name_000n, the LFW file
/// stems) or a CSV with the columns Reference,Difference,IsMatch[,Fold] (IsMatch true/false, 1/0, yes/no).
/// </summary>
/// <remarks>
/// LFW's layout is checked as the file states it: "10 300" is 10 folds of 300 matched and 300 mismatched
/// pairs, so 6,000 pair lines, the fold of each given by its position; a single count N (pairsDevTrain.txt)
/// is N matched and N mismatched pairs, without folds. Every problem is one PairListInvalid error that
/// names the file and, when one line is at fault, its line number as an editor shows it (blank lines count).
/// </remarks>
public static class PairList
{
    private const string Forms = "LFW pairs.txt (a first line with the number of folds and of pairs per fold, such as '10 300', then 'name n1 n2' and 'name1 n1 name2 n2' lines) " +
        "or a CSV pair list (a header with the columns Reference,Difference,IsMatch[,Fold])";

    /// <exception cref="FaceEvalException">PairListInvalid for a file of neither form or a bad line; FileNotFound or FileUnreadable.</exception>
    public static IReadOnlyList<PairSpec> Read(string path)
    {
        // A regular file only, read to a bound: a pipe or a device named as the pair list is refused, not waited on.
        string[] all;
        try
        {
            all = FaceEval.Core.IO.RegularFile.ReadAllText(path, "pair list").Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        }
        catch (FaceEvalException e) when (e.Error == FaceEvalError.EmptyFile)
        {
            throw Invalid(path, null, "the file is empty (or is not a regular file); it should be " + Forms);
        }
        var lines = all.Select((text, i) => new Line(i + 1, text)).Where(l => l.Text.Trim().Length > 0)
            .SkipWhile((l, k) => k == 0 && l.Text.Trim().StartsWith("sep=", StringComparison.OrdinalIgnoreCase)) // Excel's separator hint
            .ToArray();
        if (lines.Length == 0) throw Invalid(path, null, "the file is empty; it should be " + Forms);
        var pairs = IsCsvHeader(lines[0].Text) ? Csv(lines, path) : Lfw(lines, path);
        if (pairs.Count == 0) throw Invalid(path, null, "there is a header but no pairs");
        return pairs;
    }

    /// <summary>One non-blank line and its number in the file (from 1).</summary>
    private readonly record struct Line(int Number, string Text);

    private static bool IsCsvHeader(string line) =>
        line.Contains(',') || line.Contains(';') || line.Contains("Reference", StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<PairSpec> Lfw(Line[] lines, string path)
    {
        var first = lines[0];
        var header = Fields(first.Text);
        if (header.Length is < 1 or > 2 || !header.All(h => h.TrimStart('-', '+').Length > 0 && h.TrimStart('-', '+').All(char.IsAsciiDigit)))
            throw Invalid(path, first.Number, $"'{Shorten(first.Text)}' is the first line of neither {Forms}");
        long HeaderNumber(string text, string what)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) || v > int.MaxValue)
                throw Invalid(path, first.Number, $"{what} '{text}' is too large");
            if (v < 1) throw Invalid(path, first.Number, $"{what} '{text}' must be at least one");
            return v;
        }
        bool folded = header.Length == 2;
        long folds = folded ? HeaderNumber(header[0], "the number of folds") : 1;
        long perFold = HeaderNumber(header[^1], folded ? "the number of pairs per fold" : "the number of pairs");
        // Checked in 128 bits: 2 x folds x pairs per fold from two numbers of up to 2^31 cannot overflow.
        Int128 expected = (Int128)2 * folds * perFold;
        int given = lines.Length - 1;
        if (expected != given)
            throw Invalid(path, first.Number, (folded
                ? $"it promises {folds:N0} folds of {perFold:N0} matched and {perFold:N0} mismatched pairs, {expected:N0} pair lines"
                : $"it promises {perFold:N0} matched and {perFold:N0} mismatched pairs, {expected:N0} pair lines") +
                $", but {given:N0} follow: the list is cut short, has lines too many, or the first line is wrong");

        var pairs = new List<PairSpec>(given);
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var f = Fields(line.Text);
            int? fold = folded ? (int)((i - 1) / (2 * perFold)) : null;
            pairs.Add(f.Length switch
            {
                3 => new PairSpec(Key(f[0], f[1], path, line), Key(f[0], f[2], path, line), true, fold),
                4 => new PairSpec(Key(f[0], f[1], path, line), Key(f[2], f[3], path, line), false, fold),
                _ => throw Invalid(path, line.Number, $"it has {f.Length} fields; LFW pairs have 3 (match) or 4 (mismatch): 'name n1 n2' or 'name1 n1 name2 n2'"),
            });
        }
        return pairs;
    }

    private static IReadOnlyList<PairSpec> Csv(Line[] lines, string path)
    {
        var first = lines[0];
        var header = CsvFields(first, path).Select(h => h.Trim()).ToArray();
        int Column(string name, bool required)
        {
            var found = Enumerable.Range(0, header.Length).Where(c => header[c].Equals(name, StringComparison.OrdinalIgnoreCase)).ToArray();
            if (found.Length > 1) throw Invalid(path, first.Number, $"the column {name} appears twice in the header");
            if (found.Length == 0 && required)
                throw Invalid(path, first.Number, $"the header has no {name} column (a CSV pair list needs Reference,Difference,IsMatch[,Fold])" +
                    (header.Length == 1 && first.Text.Contains(';') ? "; the file seems to separate its fields with ';', and FaceEval reads commas" : ""));
            return found.Length == 0 ? -1 : found[0];
        }
        int a = Column("Reference", true), b = Column("Difference", true), m = Column("IsMatch", true), fold = Column("Fold", false);
        var pairs = new List<PairSpec>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            var f = CsvFields(line, path).Select(x => x.Trim()).ToArray();
            if (f.Length != header.Length) throw Invalid(path, line.Number, $"it has {f.Length} fields; the header has {header.Length}");
            if (f[a].Length == 0) throw Invalid(path, line.Number, "its Reference is empty");
            if (f[b].Length == 0) throw Invalid(path, line.Number, "its Difference is empty");
            pairs.Add(new PairSpec(f[a], f[b], ParseMatch(f[m], path, line.Number), fold < 0 ? null : Fold(f[fold], path, line.Number)));
        }
        return pairs;
    }

    /// <summary>true/false, 1/0, yes/no (any case).</summary>
    /// <param name="text">The IsMatch value.</param>
    /// <param name="source">The file (or input) it comes from, for the message.</param>
    /// <param name="line">Its line number in that file (from 1); 0 when it has none.</param>
    /// <exception cref="FaceEvalException">PairListInvalid for any other text.</exception>
    public static bool ParseMatch(string text, string source = "input", int line = 0) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw (line > 0
            ? Invalid(source, line, $"IsMatch '{text}' is not true/false, 1/0 or yes/no")
            : new FaceEvalException(FaceEvalError.PairListInvalid, $"IsMatch '{text}' of '{source}' is not true/false, 1/0 or yes/no.", source)),
    };

    private static int Fold(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int fold) && fold >= 0
            ? fold
            : throw Invalid(path, line, $"the fold '{text}' is not a whole number of 0 or more");

    private static string Key(string name, string number, string path, Line line) =>
        number.All(char.IsAsciiDigit) && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? $"{name}_{n:D4}"
            : throw Invalid(path, line.Number, $"'{number}' is not an image number (a whole number such as 1 or 12)");

    private static FaceEvalException Invalid(string path, int? line, string what) =>
        new(FaceEvalError.PairListInvalid, line is int n ? $"The pair list '{path}', line {n}: {what}." : $"The pair list '{path}' cannot be used: {what}.", path);

    private static string[] Fields(string line) => line.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The fields of one CSV line (RFC 4180 quoting: "a,b" is one field, "" inside quotes is a quote).</summary>
    private static List<string> CsvFields(Line line, string path)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        string text = line.Text;
        int i = 0;
        while (true)
        {
            // Blanks before an opening quote are allowed, as Excel and Import-Csv allow them.
            int start = i;
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length) throw Invalid(path, line.Number, "a quote opened in it is never closed (a field cannot span lines)");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(text[i++]);
                }
                while (i < text.Length && text[i] is ' ' or '\t') i++;
                if (i < text.Length && text[i] != ',')
                    throw Invalid(path, line.Number, "there is text after a closing quote (a quote inside a field is written as two quotes)");
            }
            else
            {
                i = start;
                while (i < text.Length && text[i] != ',')
                {
                    if (text[i] == '"') throw Invalid(path, line.Number, "a quote stands inside an unquoted field (quote the whole field, doubling the quote)");
                    field.Append(text[i++]);
                }
            }
            fields.Add(field.ToString());
            field.Clear();
            if (i >= text.Length) return fields;
            i++; // the comma
        }
    }

    /// <summary>A line as a message can show it: control characters (a binary file) as '?', at most 60 characters.</summary>
    private static string Shorten(string text)
    {
        string shown = new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length <= 60 ? shown : shown[..57] + "...";
    }
}
