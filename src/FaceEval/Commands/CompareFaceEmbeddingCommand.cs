using System.Management.Automation;
using FaceEval.Core.Metrics;

namespace FaceEval.PowerShell;

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
        // A reference that cannot be used is an error about that reference; the others still make the gallery.
        int unusable = 0;
        foreach (var item in ReferenceEmbedding)
        {
            try
            {
                foreach (var v in EmbeddingInput.Read(this, item, () => $"reference[{_references.Count}]", e => { unusable++; WriteError(ErrorRecords.From(e)); }))
                {
                    try
                    {
                        Add(_references, v);
                    }
                    catch (FaceEvalException e)
                    {
                        unusable++;
                        WriteError(ErrorRecords.From(e, item));
                    }
                }
            }
            catch (FaceEvalException e)
            {
                unusable++;
                WriteError(ErrorRecords.From(e, item));
            }
            catch (ArgumentException e)
            {
                unusable++;
                WriteError(ErrorRecords.Create(e, "InvalidReference", ErrorCategory.InvalidData, item));
            }
        }
        if (_references.Count == 0)
            ThrowTerminatingError(ErrorRecords.Argument("NoReference", unusable == 0
                ? "-ReferenceEmbedding holds no embedding."
                : $"None of the {unusable:N0} references could be used (see the errors above), so there is nothing to compare with.", null));
    }

    protected override void ProcessRecord()
    {
        foreach (var item in DifferenceEmbedding)
        {
            try
            {
                _progress ??= new StreamProgress(this, 1, "Compare-FaceEmbedding", $"embeddings compared with {_references.Count:N0} references");
                foreach (var probe in EmbeddingInput.Read(this, item, () => $"difference[{_unlabelled++}]", e => WriteError(ErrorRecords.From(e))))
                {
                    _progress.Add();
                    IReadOnlyList<FaceComparison> comparisons;
                    try
                    {
                        comparisons = EmbeddingComparer.Compare(_references, probe, Top); // refuses a probe that cannot be scored
                    }
                    catch (FaceEvalException e)
                    {
                        WriteError(ErrorRecords.From(e, item)); // this probe only: the next row or file of the item goes on
                        continue;
                    }
                    if (EmbeddingComparer.IsOffUnitNorm(probe.Vector)) _offNorm++;
                    foreach (var c in comparisons) WriteObject(c);
                }
            }
            catch (FaceEvalException e)
            {
                WriteError(ErrorRecords.From(e, item));
            }
            catch (ArgumentException e)
            {
                WriteError(ErrorRecords.Create(e, "InvalidEmbedding", ErrorCategory.InvalidData, item));
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
        EmbeddingComparer.Validate(v); // an empty or non-finite reference is that reference's error
        if (EmbeddingComparer.IsOffUnitNorm(v.Vector)) _offNorm++;
        list.Add(v);
    }
}
