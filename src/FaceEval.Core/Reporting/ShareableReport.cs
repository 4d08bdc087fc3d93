using System.Text.RegularExpressions;

namespace FaceEval.Core.Reporting;

/// <summary>
/// What makes a report fit for people outside the evaluation agreement: stable aliases for the model names
/// ("Model A", "Model B", … in the order given), and a last check of the finished page for anything that
/// must not leave — model names, identities, file names — so that a section added later cannot leak one by
/// accident. The private report names the aliases; the shareable one never does.
/// </summary>
public static class ShareableReport
{
    /// <summary>The first line of every private report.</summary>
    public const string ConfidentialNotice =
        "CONFIDENTIAL under the evaluation agreement: this report names the vendor's models and shows scores and thresholds. Do not share it beyond the parties of the agreement; give others the shareable report (-ShareablePath).";

    /// <summary>The first line of a shareable report.</summary>
    public const string ShareableNotice =
        "Shareable version: models appear under aliases; identities, file names, thresholds and score distributions are left out.";

    /// <summary>"Model A" … "Model Z", then "Model AA", "Model AB", …: the alias of the <paramref name="index"/>-th model (from 0).</summary>
    public static string Alias(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index));
        string letters = "";
        for (int n = index + 1; n > 0; n = (n - 1) / 26) letters = (char)('A' + (n - 1) % 26) + letters;
        return "Model " + letters;
    }

    /// <summary>
    /// What must not appear in a shareable report of these items: model names, identities, and each item's file
    /// name with and without its extension (folders are not: they are the identity, or a name of the user's tree
    /// that says nothing about a face).
    /// </summary>
    public static IReadOnlyList<string> Secrets(IEnumerable<string> models, IEnumerable<Evaluation.EvaluationItem> items, string? pairListPath = null)
    {
        var secrets = new HashSet<string>(models, StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item.Identity is { } identity) secrets.Add(identity);
            string name = Path.GetFileName(item.Label);
            secrets.Add(name);
            secrets.Add(Path.GetFileNameWithoutExtension(name));
        }
        if (pairListPath is not null) { secrets.Add(Path.GetFileName(pairListPath)); secrets.Add(Path.GetFileNameWithoutExtension(pairListPath)); }
        secrets.Remove("");
        return secrets.ToArray();
    }

    /// <summary>Each model's alias, by its place in <paramref name="models"/> (distinct names, in report order).</summary>
    public static IReadOnlyDictionary<string, string> Aliases(IEnumerable<string> models) =>
        models.Distinct(StringComparer.Ordinal).Select((m, k) => (m, k)).ToDictionary(x => x.m, x => Alias(x.k), StringComparer.Ordinal);

    /// <summary>
    /// The secrets (model names, identities, file names) that appear in <paramref name="html"/> as whole words,
    /// ignoring case; HTML-encoded forms count too; embedded images are not text and are skipped. Secrets of
    /// one character or without a letter (1.jpg, 0042) are not looked for: they would match every number and
    /// name nothing.
    /// </summary>
    public static IReadOnlyList<string> Leaks(string html, IEnumerable<string> secrets)
    {
        // Embedded images are base64 text: a short name can turn up in it by chance, and it shows no text.
        html = Regex.Replace(html, "data:[a-z/+]+;base64,[A-Za-z0-9+/=]*", "data:");
        string decoded = System.Net.WebUtility.HtmlDecode(html);
        var found = new List<string>();
        foreach (var secret in secrets.Where(s => s.Trim().Length > 1 && s.Any(char.IsLetter)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var word = new Regex($@"(?<![\p{{L}}\p{{N}}_]){Regex.Escape(secret.Trim())}(?![\p{{L}}\p{{N}}_])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            if (word.IsMatch(decoded) || word.IsMatch(html)) found.Add(secret);
        }
        return found;
    }
}

