using System.Management.Automation;
using FaceEval.Core.Samples;

namespace FaceEval.PowerShell;

/// <summary>Draws a labelled set of face-like photos with detector boxes, for a rehearsal with nothing downloaded.</summary>
[Cmdlet(VerbsCommon.New, "FaceEvalSample", SupportsShouldProcess = true)]
[OutputType(typeof(PSObject))]
public sealed class NewFaceEvalSampleCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = "";

    [Parameter]
    [Alias("Identities")]
    [ValidateRange(2, 10000)]
    public int IdentityCount { get; set; } = 20;

    [Parameter]
    [ValidateRange(2, 1000)]
    public int ImagesPerIdentity { get; set; } = 8;

    [Parameter]
    public int Seed { get; set; }

    protected override void EndProcessing()
    {
        string folder = PathInput.ResolveOne(this, OutputDirectory);
        int total = IdentityCount * ImagesPerIdentity;
        if (!ShouldProcess(folder, $"Write {total} sample photos ({IdentityCount} identities x {ImagesPerIdentity})")) return;
        IReadOnlyList<SyntheticFace> faces;
        try
        {
            // Drawn on this thread, so progress goes straight to the host.
            faces = SyntheticFaces.Write(folder, IdentityCount, ImagesPerIdentity, Seed, done =>
            {
                if (done % 10 != 0 && done != total) return;
                WriteProgress(new ProgressRecord(1, "New-FaceEvalSample", $"{done} of {total} photos") { PercentComplete = 100 * done / total });
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ErrorRecords.Create(e, "SampleWriteFailed", ErrorCategory.WriteError, folder));
            return;
        }
        WriteProgress(new ProgressRecord(1, "New-FaceEvalSample", "Done") { RecordType = ProgressRecordType.Completed });
        // Custom objects, like rows of Import-Csv: Get-FaceCrop binds Path and the box, and carries every
        // other property (Identity) on to the crop and the embedding.
        foreach (var face in faces)
        {
            var row = new PSObject();
            row.TypeNames.Insert(0, "FaceEval.SampleFace");
            row.Properties.Add(new PSNoteProperty("Path", face.Path));
            row.Properties.Add(new PSNoteProperty("Identity", face.Identity));
            row.Properties.Add(new PSNoteProperty("X", face.X));
            row.Properties.Add(new PSNoteProperty("Y", face.Y));
            row.Properties.Add(new PSNoteProperty("Width", face.Width));
            row.Properties.Add(new PSNoteProperty("Height", face.Height));
            WriteObject(row);
        }
    }
}
