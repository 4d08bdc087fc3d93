using FaceEval.Core.IO;
using FaceEval.Core.Metrics;
using System.Collections;
using System.Management.Automation;

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

/// <summary>Compares embeddings by cosine similarity: every reference with every difference, or the top K.</summary>
[Cmdlet(VerbsData.Compare, "FaceEmbedding")]
[OutputType(typeof(FaceComparison))]
public sealed class CompareFaceEmbeddingCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public object[] ReferenceEmbedding { get; set; } = Array.Empty<object>();

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object[] DifferenceEmbedding { get; set; } = Array.Empty<object>();

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Top { get; set; }

    private readonly List<LabelledVector> _references = new();
    private int _unlabelled, _offNorm;
    private StreamProgress? _progress;

    protected override void BeginProcessing()
    {
        foreach (var item in ReferenceEmbedding)
        {
            try
            {
                foreach (var v in EmbeddingInput.Read(this, item, () => $"reference[{_references.Count}]")) Add(_references, v);
            }
            catch (Exception e) when (e is FaceEvalException or ArgumentException)
            {
                ThrowTerminatingError(new ErrorRecord(e, e is FaceEvalException fe ? fe.Error.ToString() : "InvalidReference", ErrorCategory.InvalidData, item));
            }
        }
        if (_references.Count == 0)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-ReferenceEmbedding holds no embedding."), "NoReference", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        foreach (var item in DifferenceEmbedding)
        {
            try
            {
                _progress ??= new StreamProgress(this, 1, "Compare-FaceEmbedding", $"embeddings compared with {_references.Count:N0} references");
                foreach (var probe in EmbeddingInput.Read(this, item, () => $"difference[{_unlabelled++}]"))
                {
                    _progress.Add();
                    if (EmbeddingComparer.IsOffUnitNorm(probe.Vector)) _offNorm++;
                    foreach (var c in EmbeddingComparer.Compare(_references, probe, Top)) WriteObject(c);
                }
            }
            catch (FaceEvalException e)
            {
                WriteError(ErrorRecords.From(e, item));
            }
            catch (ArgumentException e)
            {
                WriteError(new ErrorRecord(e, "InvalidEmbedding", ErrorCategory.InvalidData, item));
            }
        }
    }

    protected override void EndProcessing()
    {
        _progress?.Complete();
        if (_offNorm > 0)
            WriteWarning($"{_offNorm} embedding(s) have a norm off 1 by more than {EmbeddingComparer.NormTolerance}: similarities are dot products of the vectors as returned, not re-normalised.");
    }

    private void Add(List<LabelledVector> list, LabelledVector v)
    {
        if (EmbeddingComparer.IsOffUnitNorm(v.Vector)) _offNorm++;
        list.Add(v);
    }
}
