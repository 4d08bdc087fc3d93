using FaceEval.Core.Concurrency;
using FaceEval.Core.IO;
using FaceEval.Core.Imaging;
using System.Diagnostics;
using System.Management.Automation;

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
    public double? X { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Y1", "Top")]
    public double? Y { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public double? Width { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public double? Height { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Right")]
    public double? X2 { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Bottom")]
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
    private readonly Dictionary<string, int> _nextFaceIndex = new(StringComparer.Ordinal);
    private FaceCropper? _cropper;
    private CropWriter? _writer;
    private OrderedWorkQueue<IReadOnlyList<CropOutcome>>? _queue;
    private PendingJob? _pending;
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private int _imagesDone, _cropsDone, _errors;

    private sealed record PendingJob(string Path, List<BoxSpec>? Boxes, IReadOnlyList<KeyValuePair<string, object?>>? Carried);

    protected override void BeginProcessing()
    {
        if (MaxSide is < 0)
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(MaxSide), MaxSide, "-MaxSide must be 0 (no bound) or a positive number of pixels."),
                "InvalidMaxSide", ErrorCategory.InvalidArgument, MaxSide));
        if (Root is not null && !PreserveStructure)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Root only makes sense with -PreserveStructure."), "RootWithoutPreserveStructure", ErrorCategory.InvalidArgument, Root));
        if (PreserveStructure && OutputDirectory is null)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-PreserveStructure needs -OutputDirectory."), "PreserveStructureWithoutOutput", ErrorCategory.InvalidArgument, null));

        string? model = DetectorModel ?? NullIfEmpty(Environment.GetEnvironmentVariable("FACEEVAL_DETECTOR_MODEL"));
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
            string? root = PreserveStructure ? PathInput.ResolveOne(this, Root ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath) : null;
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
        List<BoxSpec>? boxes;
        try
        {
            boxes = BoxesOfThisRecord(carried);
        }
        catch (FaceEvalException e)
        {
            WriteError(ErrorRecords.From(e, (object?)InputObject ?? paths.FirstOrDefault()));
            return;
        }
        bool fromProperties = BoundingBox is null && boxes is not null;

        foreach (var path in PathInput.Resolve(this, paths, literal))
        {
            // Consecutive rows for the same image (a detections CSV) become one job: the image is decoded once.
            if (fromProperties && _pending is { Boxes: not null } p && p.Path == path)
            {
                p.Boxes.Add(boxes![0] with { FaceIndex = NextFaceIndex(path) });
                continue;
            }
            Flush();
            var jobBoxes = boxes?.Select(b => b with { FaceIndex = NextFaceIndex(path) }).ToList();
            _pending = new PendingJob(path, jobBoxes, carried);
            if (!fromProperties) Flush();
        }
        WriteReady(wait: false);
    }

    protected override void EndProcessing()
    {
        Flush();
        WriteReady(wait: true);
        WriteProgress(new ProgressRecord(ProgressId, ProgressActivity, Status()) { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Cropped {_cropsDone} face(s) from {_imagesDone} image(s); {_errors} error(s).");
    }

    protected override void StopProcessing() => _stop.Cancel();

    private List<BoxSpec>? BoxesOfThisRecord(IReadOnlyList<KeyValuePair<string, object?>>? carried)
    {
        if (BoundingBox is not null)
        {
            if (BoundingBox.Length == 0 || BoundingBox.Length % 4 != 0)
                throw new FaceEvalException(FaceEvalError.InvalidBoundingBox,
                    $"-BoundingBox takes four numbers per face ({BoxFormat}); {BoundingBox.Length} were given.");
            var list = new List<BoxSpec>();
            for (int i = 0; i < BoundingBox.Length; i += 4)
                list.Add(new BoxSpec(BoundingBox[i], BoundingBox[i + 1], BoundingBox[i + 2], BoundingBox[i + 3], BoxFormat, 0, carried));
            return list;
        }
        bool any = X is not null || Y is not null || Width is not null || Height is not null || X2 is not null || Y2 is not null;
        if (!any) return null;
        if (X is double x && Y is double y)
        {
            if (X2 is double x2 && Y2 is double y2)
                return new List<BoxSpec> { new(x, y, x2, y2, BoxFormat.XYXY, 0, carried) };
            if (Width is double w && Height is double h)
                return new List<BoxSpec> { new(x, y, w, h, BoxFormat, 0, carried) };
        }
        throw new FaceEvalException(FaceEvalError.InvalidBoundingBox,
            "The input has part of a face box. Give X, Y, Width and Height (or X1, Y1, X2, Y2), all four.");
    }

    private int NextFaceIndex(string path)
    {
        _nextFaceIndex.TryGetValue(path, out int i);
        _nextFaceIndex[path] = i + 1;
        return i;
    }

    private IReadOnlyList<KeyValuePair<string, object?>>? Carried() =>
        s_carried.From(InputObject, name => WriteVerbose($"The input property '{name}' is not carried: the crop has a property of that name."));

    private void Flush()
    {
        if (_pending is null) return;
        var job = new CropJob(_pending.Path, _pending.Boxes, _pending.Carried);
        _pending = null;
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
        if (_sinceProgress.ElapsedMilliseconds < 250) return;
        _sinceProgress.Restart();
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

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
