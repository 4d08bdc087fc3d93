using System.Management.Automation;
using FaceEval.Core.Concurrency;
using FaceEval.Core.Imaging;
using FaceEval.Core.IO;

namespace FaceEval.PowerShell;

/// <summary>Cuts faces out of images, with the user's detector boxes or the built-in YuNet detector.</summary>
[Cmdlet(VerbsCommon.Get, "FaceCrop", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FaceCrop))]
public sealed class GetFaceCropCommand : PSCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressId = 1;
    private const string ProgressActivity = "Cropping faces";

    /// <summary>Labels of piped objects to copy onto the crops; the names here bind to parameters instead.</summary>
    private static readonly CarriedProperties s_carried = new(typeof(FaceCrop),
        "Path", "LiteralPath", "FullName", "X", "Y", "X1", "Y1", "X2", "Y2", "Width", "Height", "BoundingBox");

    // Not ValueFromPipeline: PowerShell would then bind any piped object, converted to a string, as a
    // path whenever one of its other properties (a typed X, say) bound first. Piped strings arrive
    // through InputObject instead and are treated as -Path.
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    [Parameter(Position = 1)]
    [FlattenNumbers]
    public double[]? BoundingBox { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("X1", "Left")]
    [StrictNumber]
    public double? X { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Y1", "Top")]
    [StrictNumber]
    public double? Y { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [StrictNumber]
    public double? Width { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [StrictNumber]
    public double? Height { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Right")]
    [StrictNumber]
    public double? X2 { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Bottom")]
    [StrictNumber]
    public double? Y2 { get; set; }

    [Parameter]
    public BoxFormat BoxFormat { get; set; } = BoxFormat.XYWH;

    [Parameter]
    [ValidateRange(0.0, 10.0)]
    public double ExpansionFactor { get; set; } = CropGeometry.DefaultExpansion;

    [Parameter]
    [AllowNull]
    public int? MaxSide { get; set; } = CropGeometry.DefaultMaxSide;

    [Parameter]
    [ValidateRange(0L, long.MaxValue)]
    public long MaxPixels { get; set; } = ImageDecoder.DefaultMaxPixels;

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OnnxFileCompleter))]
    public string? DetectorModel { get; set; }

    [Parameter]
    [ValidateRange(0.0f, 1.0f)]
    public float MinConfidence { get; set; } = YuNetFaceDetector.DefaultMinConfidence;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public SwitchParameter PreserveStructure { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>The whole piped object, so its other properties (Identity, ...) travel with the crop.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    private readonly CancellationTokenSource _stop = new();
    private readonly CropJobBuilder _jobs = new();
    private FaceCropper? _cropper;
    private CropWriter? _writer;
    private OrderedWorkQueue<IReadOnlyList<CropOutcome>>? _queue;
    private readonly ProgressThrottle _progress = new();
    private int _imagesDone, _cropsDone, _errors;

    protected override void BeginProcessing()
    {
        if (MaxSide is < 0)
            ThrowTerminatingError(ErrorRecords.Create(new ArgumentOutOfRangeException(nameof(MaxSide), MaxSide, "-MaxSide must be 0 (no bound) or a positive number of pixels."),
                "InvalidMaxSide", ErrorCategory.InvalidArgument, MaxSide));
        PreservedStructure.Check(this, PreserveStructure, Root);
        if (PreserveStructure && OutputDirectory is null)
            ThrowTerminatingError(ErrorRecords.Argument("PreserveStructureWithoutOutput", "-PreserveStructure needs -OutputDirectory.", null));

        string? model = ModuleEnvironment.DetectorModel(DetectorModel);
        try
        {
            _cropper = new FaceCropper(new CropSettings
            {
                Expansion = ExpansionFactor,
                MaxSide = MaxSide is null or 0 ? null : MaxSide,
                MaxPixels = MaxPixels,
                DetectorModel = model is null ? null : PathInput.ResolveOne(this, model),
                MinConfidence = MinConfidence,
            });
        }
        catch (FaceEvalException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
        if (OutputDirectory is not null)
        {
            string? root = PreservedStructure.Root(this, PreserveStructure, Root);
            _writer = new CropWriter(PathInput.ResolveOne(this, OutputDirectory), root, Force);
        }
        _queue = new OrderedWorkQueue<IReadOnlyList<CropOutcome>>(ThrottleLimit, _stop.Token);
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        string[]? paths = PathInput.OfRecord(this, literal ? LiteralPath : Path, InputObject,
            "file objects, path strings, or objects with a Path property");
        if (paths is null) return;
        var carried = Carried();
        IReadOnlyList<BoxSpec>? boxes;
        try
        {
            boxes = BoundingBox is not null
                ? BoxInput.FromNumbers(BoundingBox, BoxFormat, carried)
                : BoxInput.FromProperties(X, Y, Width, Height, X2, Y2, BoxFormat, carried) is { } one ? new[] { one } : null;
        }
        catch (FaceEvalException e)
        {
            WriteError(ErrorRecords.From(e, (object?)InputObject ?? paths.FirstOrDefault()));
            return;
        }
        bool oneRowPerFace = BoundingBox is null && boxes is not null;
        foreach (var path in PathInput.Resolve(this, paths, literal))
            foreach (var job in _jobs.Add(path, boxes, oneRowPerFace, carried)) Enqueue(job);
        WriteReady(wait: false);
    }

    protected override void EndProcessing()
    {
        if (_jobs.Flush() is { } last) Enqueue(last);
        WriteReady(wait: true);
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, Status()) { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Cropped {_cropsDone} face(s) from {_imagesDone} image(s); {_errors} error(s).");
    }

    protected override void StopProcessing() => _stop.Cancel();

    private IReadOnlyList<KeyValuePair<string, object?>>? Carried() =>
        s_carried.From(InputObject, name => WriteVerbose($"The input property '{name}' is not carried: the crop has a property of that name."));

    private void Enqueue(CropJob job)
    {
        var cropper = _cropper!;
        _queue!.Enqueue(ct => cropper.Process(job, ct));
        while (_queue.IsFull) Emit(_queue.TakeNext());
    }

    private void WriteReady(bool wait)
    {
        foreach (var outcomes in _queue!.TakeReady()) Emit(outcomes);
        if (!wait) return;
        while (_queue.Count > 0) Emit(_queue.TakeNext());
    }

    private void Emit(IReadOnlyList<CropOutcome> outcomes)
    {
        _imagesDone++;
        foreach (var outcome in outcomes)
        {
            if (outcome.Error is not null)
            {
                _errors++;
                // No box and no detector: every image without a box would fail the same way. Say it once.
                if (outcome.Error.Error == FaceEvalError.DetectorModelMissing)
                {
                    _stop.Cancel();
                    ThrowTerminatingError(ErrorRecords.From(outcome.Error));
                }
                WriteError(ErrorRecords.From(outcome.Error));
                continue;
            }
            var crop = outcome.Crop!;
            if (_writer is not null && !TryWrite(crop)) continue;
            _cropsDone++;
            WriteObject(CarriedProperties.Attach(crop, outcome.Tag as IReadOnlyList<KeyValuePair<string, object?>>));
        }
        ReportProgress(outcomes.Count > 0 ? outcomes[0].Crop?.SourcePath ?? outcomes[0].Error?.Target as string : null);
    }

    private bool TryWrite(FaceCrop crop)
    {
        try
        {
            string target = _writer!.GetPath(crop.SourcePath, crop.FaceIndex);
            _writer.CheckTarget(target, crop.SourcePath);
            if (!ShouldProcess(target, $"Write face crop {crop.FaceIndex} of '{crop.SourcePath}'")) return false;
            _writer.Write(crop, target);
            return true;
        }
        catch (FaceEvalException e)
        {
            _errors++;
            WriteError(ErrorRecords.From(e));
            return false;
        }
    }

    private void ReportProgress(string? current)
    {
        if (!_progress.IsDue()) return;
        // A new record each time: the host may keep the records it was given.
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, Status())
        {
            CurrentOperation = current is null ? null : System.IO.Path.GetFileName(current),
        });
    }

    private string Status() => $"{_imagesDone} image(s), {_cropsDone} crop(s), {_errors} error(s)";

    public void Dispose()
    {
        _queue?.Dispose();
        _cropper?.Dispose();
        _stop.Dispose();
    }
}
