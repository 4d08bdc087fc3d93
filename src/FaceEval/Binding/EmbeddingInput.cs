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
                string path = value is FileInfo fi ? fi.FullName : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath((string)value);
                float[][] rows;
                try
                {
                    rows = NpyFile.Read(path);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    throw new FaceEvalException(FaceEvalError.NpyUnreadable, ex.Message, path);
                }
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
}
