using System.Globalization;

namespace FaceEval.Core.Metrics;

/// <summary>
/// Reads pair lists: LFW's pairs.txt (a header "folds pairs-per-fold" or a single count, then
/// "name n1 n2" for a match and "name1 n1 name2 n2" for a mismatch; keys become name_000n, the LFW file
/// stems) or a CSV with the columns Reference,Difference,IsMatch[,Fold] (IsMatch true/false, 1/0, yes/no).
/// </summary>
public static class PairList
{
    /// <exception cref="FaceEvalException">PairListInvalid for a file of neither form or a bad line; FileNotFound or FileUnreadable.</exception>
    public static IReadOnlyList<PairSpec> Read(string path)
    {
        string[] all;
        try
        {
            all = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FaceEvalException(FaceEvalError.FileNotFound, $"The pair list '{path}' does not exist.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FaceEvalException(FaceEvalError.FileUnreadable, $"The pair list '{path}' cannot be read: {e.Message}", path);
        }
        var lines = all.Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0) throw Invalid($"The pair list '{path}' is empty.");
        return lines[0].Contains("Reference", StringComparison.OrdinalIgnoreCase) ? Csv(lines, path) : Lfw(lines, path);
    }

    private static IReadOnlyList<PairSpec> Lfw(string[] lines, string path)
    {
        var header = Fields(lines[0]);
        if (header.Length is < 1 or > 2 || !header.All(h => int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw Invalid($"'{path}' is neither LFW pairs.txt (first line: folds and pairs per fold) nor a CSV with a Reference column.");
        int pairsPerFold = header.Length == 2 ? int.Parse(header[1], CultureInfo.InvariantCulture) : int.MaxValue / 4;
        if (pairsPerFold < 1) throw Invalid($"The first line of '{path}' gives {pairsPerFold} pairs per fold; an LFW pair list has at least one.");
        bool folded = header.Length == 2;
        var pairs = new List<PairSpec>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = Fields(lines[i]);
            int? fold = folded ? (i - 1) / (2 * pairsPerFold) : null;
            pairs.Add(f.Length switch
            {
                3 => new PairSpec(Key(f[0], f[1], path, i), Key(f[0], f[2], path, i), true, fold),
                4 => new PairSpec(Key(f[0], f[1], path, i), Key(f[2], f[3], path, i), false, fold),
                _ => throw Invalid($"Line {i + 1} of '{path}' has {f.Length} fields; LFW pairs have 3 (match) or 4 (mismatch)."),
            });
        }
        return pairs;
    }

    private static IReadOnlyList<PairSpec> Csv(string[] lines, string path)
    {
        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int Column(string name, bool required)
        {
            int c = Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (c < 0 && required) throw Invalid($"'{path}' has no {name} column (it needs Reference,Difference,IsMatch[,Fold]).");
            return c;
        }
        int a = Column("Reference", true), b = Column("Difference", true), m = Column("IsMatch", true), fold = Column("Fold", false);
        var pairs = new List<PairSpec>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',').Select(x => x.Trim().Trim('"')).ToArray();
            if (f.Length < header.Length) throw Invalid($"Line {i + 1} of '{path}' has {f.Length} fields; the header has {header.Length}.");
            pairs.Add(new PairSpec(f[a], f[b], ParseMatch(f[m], path, i), fold < 0 ? null : Fold(f[fold], path, i)));
        }
        return pairs;
    }

    /// <summary>true/false, 1/0, yes/no (any case).</summary>
    /// <exception cref="FaceEvalException">PairListInvalid for any other text.</exception>
    public static bool ParseMatch(string text, string source = "input", int line = 0) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw Invalid($"IsMatch '{text}' on line {line + 1} of '{source}' is not true/false, 1/0 or yes/no."),
    };

    private static int Fold(string text, string path, int line) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int fold) && fold >= 0
            ? fold
            : throw Invalid($"Line {line + 1} of '{path}': the fold '{text}' is not a whole number of 0 or more.");

    private static string Key(string name, string number, string path, int line) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? $"{name}_{n:D4}"
            : throw Invalid($"Line {line + 1} of '{path}': '{number}' is not an image number.");

    private static FaceEvalException Invalid(string message) => new(FaceEvalError.PairListInvalid, message);

    private static string[] Fields(string line) => line.Split(new[] { '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries);
}
