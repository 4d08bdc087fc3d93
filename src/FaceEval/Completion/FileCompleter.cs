using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FaceEval.PowerShell;

/// <summary>
/// Completes a file parameter with folders and the files of the kinds it takes, relative to the current
/// location, so Tab offers model.onnx for -DetectorModel rather than every file in the folder.
/// </summary>
public abstract class FileCompleter : IArgumentCompleter
{
    private readonly string[] _extensions;

    protected FileCompleter(params string[] extensions) => _extensions = extensions;

    /// <summary>PowerShell's current file-system location (not the process's), asked from inside the completion.</summary>
    private static string CurrentFolder()
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem");
        return ps.Invoke<PathInfo>().FirstOrDefault()?.ProviderPath ?? Environment.CurrentDirectory;
    }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string word = wordToComplete.Trim('\'', '"');
        string here = CurrentFolder();
        int slash = word.LastIndexOfAny(new[] { '/', '\\' });
        string typedFolder = slash >= 0 ? word[..(slash + 1)] : "";
        string prefix = word[(slash + 1)..];
        string folder = Path.GetFullPath(typedFolder.Length == 0 ? "." : typedFolder, here);
        if (!Directory.Exists(folder)) yield break;
        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(e => e.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !e.Attributes.HasFlag(FileAttributes.Hidden))
            .Where(e => e is DirectoryInfo || _extensions.Any(x => e.Name.EndsWith(x, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e is DirectoryInfo ? 0 : 1).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            string text = typedFolder + entry.Name + (entry is DirectoryInfo ? Path.DirectorySeparatorChar.ToString() : "");
            string quoted = text.Contains(' ') || text.Contains('\'') ? "'" + text.Replace("'", "''") + "'" : text;
            yield return new CompletionResult(quoted, entry.Name, entry is DirectoryInfo ? CompletionResultType.ProviderContainer : CompletionResultType.ProviderItem, entry.FullName);
        }
    }
}
