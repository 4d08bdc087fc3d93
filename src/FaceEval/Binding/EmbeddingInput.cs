using System.Collections;
using System.Management.Automation;
using FaceEval.Core.IO;
using FaceEval.Core.Metrics;

namespace FaceEval.PowerShell;

/// <summary>Turns what users pass as embeddings (FaceEmbedding objects, number arrays, .npy paths) into vectors.</summary>
internal static class EmbeddingInput
{
    public static IEnumerable<LabelledVector> Read(PSCmdlet cmdlet, object? item, Func<string> nextLabel)
    {
        object? value = item is PSObject p ? p.BaseObject : item;
        switch (value)
        {
            case null:
                yield break;
            case FaceEmbedding e:
                yield return new LabelledVector(e.Vector, e.ImagePath ?? e.NpyPath ?? e.SourcePath, e.Model, e.Identity);
                yield break;
            case float[] f:
                yield return new LabelledVector(f, nextLabel(), null, null);
                yield break;
            case string or FileInfo:
                string path = value is FileInfo fi ? fi.FullName : FilePath(cmdlet, (string)value);
                var rows = EmbeddingFile.Read(path);
                string identity = Path.GetFileName(Path.GetDirectoryName(path)) ?? "";
                for (int r = 0; r < rows.Length; r++)
                    yield return new LabelledVector(rows[r], rows.Length == 1 ? path : $"{path}[{r}]", null, identity);
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

    /// <summary>A path as the file system sees it; one that names no file-system location is that item's NpyUnreadable error.</summary>
    private static string FilePath(PSCmdlet cmdlet, string text)
    {
        try
        {
            string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text, out var provider, out _);
            if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider)) return path;
            throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"'{text}' is a {provider.Name} path, not a file: give the path of a .npy file.", text);
        }
        catch (Exception e) when (e is RuntimeException or ArgumentException or NotSupportedException or IOException)
        {
            throw new FaceEvalException(FaceEvalError.NpyUnreadable, $"'{text}' is not a path to a .npy file: {e.Message}", text, e);
        }
    }
}
