using System.Collections;
using System.Management.Automation;
using FaceEval.Core.IO;
using FaceEval.Core.Metrics;

namespace FaceEval.PowerShell;

/// <summary>Turns what users pass as embeddings (FaceEmbedding objects, number arrays, .npy paths) into vectors.</summary>
internal static class EmbeddingInput
{
    /// <summary>The vectors of one input item; a .npy path with wildcards gives those of every matching file.</summary>
    /// <param name="fileError">Told about each .npy file that cannot be read (NpyUnreadable), so that one bad file of a glob costs only itself.</param>
    /// <exception cref="FaceEvalException">NpyUnreadable for a path that names no file.</exception>
    /// <exception cref="ArgumentException">The item is not an embedding.</exception>
    public static IEnumerable<LabelledVector> Read(PSCmdlet cmdlet, object? item, Func<string> nextLabel, Action<FaceEvalException> fileError)
    {
        object? value = item is PSObject p ? p.BaseObject : item;
        switch (value)
        {
            case null:
                yield break;
            case FaceEmbedding e:
                string label = e.ImagePath ?? e.NpyPath ?? e.SourcePath ?? "";
                if (e.Vector is null) throw new ArgumentException($"The FaceEmbedding '{label}' has no Vector.");
                yield return new LabelledVector(e.Vector, label, e.Model, e.Identity);
                yield break;
            case float[] f:
                yield return new LabelledVector(f, nextLabel(), null, null);
                yield break;
            case string or FileInfo:
                foreach (var path in value is FileInfo fi ? new[] { fi.FullName } : FilePaths(cmdlet, (string)value))
                {
                    float[][] rows;
                    try
                    {
                        rows = EmbeddingFile.Read(path);
                    }
                    catch (FaceEvalException e)
                    {
                        fileError(e);
                        continue;
                    }
                    string identity = Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
                    for (int r = 0; r < rows.Length; r++)
                        yield return new LabelledVector(rows[r], rows.Length == 1 ? path : $"{path}[{r}]", null, identity);
                }
                yield break;
            case IEnumerable numbers:
                var list = new List<float>();
                foreach (var n in numbers)
                {
                    try { list.Add(LanguagePrimitives.ConvertTo<float>(n)); }
                    catch (PSInvalidCastException) { throw new ArgumentException($"'{n}' in a vector is not a number."); }
                }
                yield return new LabelledVector(list.ToArray(), nextLabel(), null, null);
                yield break;
            default:
                throw new ArgumentException($"A {value.GetType().Name} is not an embedding: pass FaceEmbedding objects, arrays of numbers or .npy paths.");
        }
    }

    /// <summary>
    /// The files a path names: itself, or every match of its wildcards (as Import-FaceEmbedding -Path expands
    /// them) when it has some and is not itself an existing file. A path that names no file-system location
    /// or matches nothing is that item's NpyUnreadable error.
    /// </summary>
    private static IReadOnlyList<string> FilePaths(PSCmdlet cmdlet, string text)
    {
        try
        {
            string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text, out var provider, out _);
            if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"'{text}' is a {provider.Name} path, not a file: give the path of a .npy file.", text);
            if (!WildcardPattern.ContainsWildcardCharacters(text) || File.Exists(path)) return new[] { path };
            IEnumerable<string> matches = (IEnumerable<string>?)PathInput.FastGlob(cmdlet, text) ?? cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(text, out _);
            var files = matches.Where(File.Exists).ToArray();
            return files.Length > 0 ? files : throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"No .npy file matches '{text}'.", text);
        }
        catch (Exception e) when (e is RuntimeException or ArgumentException or NotSupportedException or IOException)
        {
            throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"'{text}' is not a path to a .npy file: {e.Message}", text, e);
        }
    }
}
