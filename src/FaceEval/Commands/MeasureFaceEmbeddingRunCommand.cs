using System.Management.Automation;
using FaceEval.Core.Service;

namespace FaceEval.PowerShell;

/// <summary>
/// An account of the service from the run manifests Invoke-FaceEmbedding wrote: per model, items and how they
/// ended, requests, 429s, latency percentiles, throughput, rate-limit waits and the drift canaries' findings.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "FaceEmbeddingRun")]
[OutputType(typeof(EmbeddingRunAccount))]
public sealed class MeasureFaceEmbeddingRunCommand : PSCmdlet
{
    /// <summary>Run manifests (manifest.jsonl), or the output folders that hold them; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    private readonly List<ManifestRow> _rows = new();
    private int _manifests;

    protected override void ProcessRecord()
    {
        foreach (var manifest in ManifestFiles.Resolve(this, Path!))
        {
            try
            {
                var rows = RunManifest.Read(manifest);
                _manifests++;
                WriteVerbose($"Read {rows.Count} row(s) from '{manifest}'.");
                _rows.AddRange(rows);
            }
            catch (FaceEvalException e)
            {
                WriteError(ErrorRecords.From(e, manifest));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_manifests > 0 && _rows.Count == 0)
            WriteWarning("The run manifests hold no rows: nothing was sent through them yet.");
        foreach (var account in ServiceAccount.Of(_rows))
        {
            foreach (var finding in account.Findings) WriteWarning($"Model '{account.Model}': {finding}");
            WriteObject(account);
        }
    }
}
