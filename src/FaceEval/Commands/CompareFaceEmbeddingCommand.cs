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
        foreach (var item in ReferenceEmbedding)
        {
            try
            {
                foreach (var v in EmbeddingInput.Read(this, item, () => $"reference[{_references.Count}]")) Add(_references, v);
            }
            catch (Exception e) when (e is FaceEvalException or ArgumentException)
            {
                ThrowTerminatingError(ErrorRecords.Create(e, e is FaceEvalException fe ? fe.Error.ToString() : "InvalidReference", ErrorCategory.InvalidData, item));
            }
        }
        if (_references.Count == 0)
            ThrowTerminatingError(ErrorRecords.Argument("NoReference", "-ReferenceEmbedding holds no embedding.", null));
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
        if (EmbeddingComparer.IsOffUnitNorm(v.Vector)) _offNorm++;
        list.Add(v);
    }
}
