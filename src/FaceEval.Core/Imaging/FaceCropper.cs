using OpenCvSharp;

namespace FaceEval.Core.Imaging;

/// <summary>
/// Decodes an image, finds or takes its face boxes, and cuts each face as a PNG. Safe to call from
/// several threads at once: each thread gets its own detector.
/// </summary>
public sealed class FaceCropper : IDisposable
{
    private readonly CropSettings _settings;
    private readonly ThreadLocal<YuNetFaceDetector?> _detectors;

    public FaceCropper(CropSettings settings)
    {
        _settings = settings;
        if (settings.DetectorModel is string model && !File.Exists(model))
            throw new FaceEvalException(FaceEvalError.DetectorModelMissing, $"The detector model '{model}' does not exist.", model);
        _detectors = new ThreadLocal<YuNetFaceDetector?>(
            () => settings.DetectorModel is null ? null : new YuNetFaceDetector(settings.DetectorModel, settings.MinConfidence),
            trackAllValues: true);
        if (settings.DetectorModel is string detector) Probe(detector);
    }

    /// <summary>
    /// Runs the detector once on a blank image, quietly, so that a model that is not YuNet (an embedder given by
    /// mistake, say) stops the run at once with one clear error, not with OpenCV's own messages for every image.
    /// </summary>
    private void Probe(string model)
    {
        OpenCvRuntime.ClaimErrors();
        var level = Cv2.GetLogLevel();
        Cv2.SetLogLevel(OpenCvSharp.LogLevel.SILENT);
        try
        {
            // Two awkward sizes: a network that is not YuNet fails on shapes a detector must take.
            foreach (var (w, h) in new[] { (92, 112), (61, 53) })
            {
                using var blank = new Mat(h, w, MatType.CV_8UC3, Scalar.All(0));
                _detectors.Value!.Detect(blank);
            }
        }
        catch (FaceEvalException e) when (e.Error == FaceEvalError.DetectorFailed)
        {
            throw new FaceEvalException(FaceEvalError.DetectorFailed,
                $"'{Path.GetFileName(model)}' does not work as a YuNet face detector (OpenCV: {(e.InnerException ?? e).Message.Split('\n')[0].Trim()}). Give a YuNet ONNX model such as face_detection_yunet_2023mar.onnx, or boxes with -BoundingBox.", model, e);
        }
        finally
        {
            Cv2.SetLogLevel(level);
        }
    }

    public CropSettings Settings => _settings;

    /// <summary>Crops every face of one image. Never throws for a bad input: errors come back as outcomes.</summary>
    public IReadOnlyList<CropOutcome> Process(CropJob job, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        try
        {
            using var image = ImageDecoder.Decode(ImageDecoder.ReadFile(job.SourcePath), job.SourcePath, _settings.MaxPixels, "raise it with -MaxPixels if the image is genuine");
            return job.Boxes is null ? Detect(job, image) : CropBoxes(job, image);
        }
        catch (FaceEvalException e)
        {
            return new[] { new CropOutcome(null, e, FirstTag(job)) };
        }
        catch (Exception e) when (e is OpenCVException or OutOfMemoryException or InvalidOperationException)
        {
            return new[] { new CropOutcome(null, new FaceEvalException(FaceEvalError.CropFailed, $"Cropping '{job.SourcePath}' failed: {e.Message}", job.SourcePath, e), FirstTag(job)) };
        }
    }

    private static object? FirstTag(CropJob job) => job.Boxes is { Count: > 0 } boxes ? boxes[0].Tag : job.Tag;

    private IReadOnlyList<CropOutcome> CropBoxes(CropJob job, Mat image)
    {
        var outcomes = new List<CropOutcome>(job.Boxes!.Count);
        foreach (var spec in job.Boxes!)
        {
            try
            {
                var box = FaceBox.From(spec.A, spec.B, spec.C, spec.D, spec.Format);
                outcomes.Add(new CropOutcome(Cut(job.SourcePath, image, box, spec.FaceIndex, null, null), null, spec.Tag));
            }
            catch (FaceEvalException e)
            {
                outcomes.Add(new CropOutcome(null, new FaceEvalException(e.Error, $"{e.Message} Image: '{job.SourcePath}'.", job.SourcePath), spec.Tag));
            }
        }
        return outcomes;
    }

    private IReadOnlyList<CropOutcome> Detect(CropJob job, Mat image)
    {
        var detector = _detectors.Value ?? throw new FaceEvalException(FaceEvalError.DetectorModelMissing,
            $"No face box was given for '{job.SourcePath}' and no detector model is set (the YuNet model that ships with the module is missing too). Pass -BoundingBox (or pipe objects with X, Y, Width, Height), or give a YuNet model with -DetectorModel or $env:FACEEVAL_DETECTOR_MODEL.",
            job.SourcePath);
        var faces = detector.Detect(image);
        if (faces.Count == 0)
            throw new FaceEvalException(FaceEvalError.NoFaceDetected, $"No face with confidence >= {_settings.MinConfidence} was found in '{job.SourcePath}'.", job.SourcePath);
        var outcomes = new List<CropOutcome>(faces.Count);
        for (int i = 0; i < faces.Count; i++)
        {
            try
            {
                outcomes.Add(new CropOutcome(Cut(job.SourcePath, image, faces[i].Box, i, faces[i].Score, faces[i].Landmarks), null, job.Tag));
            }
            catch (FaceEvalException e)
            {
                outcomes.Add(new CropOutcome(null, e, job.Tag));
            }
        }
        return outcomes;
    }

    private FaceCrop Cut(string source, Mat image, FaceBox box, int faceIndex, double? score, float[]? landmarks)
    {
        var plan = CropGeometry.Plan(box, image.Width, image.Height, _settings.Expansion, _settings.MaxSide);
        return new FaceCrop
        {
            SourcePath = source,
            FaceIndex = faceIndex,
            Box = box,
            CropBox = plan.CropBox,
            Width = plan.OutputWidth,
            Height = plan.OutputHeight,
            Scale = plan.Scale,
            DetectorScore = score,
            Landmarks = landmarks,
            PngData = CropToPng(image, plan),
        };
    }

    /// <summary>Cuts the planned region and encodes it as PNG: <c>img[y1:y2, x1:x2]</c>, then INTER_AREA resize when bounded.</summary>
    public static byte[] CropToPng(Mat image, CropPlan plan)
    {
        var r = plan.CropBox;
        using var roi = new Mat(image, new Rect(r.X, r.Y, r.Width, r.Height));
        using var resized = new Mat();
        Mat output = roi;
        if (plan.Resized)
        {
            Cv2.Resize(roi, resized, new Size(plan.OutputWidth, plan.OutputHeight), 0, 0, InterpolationFlags.Area);
            output = resized;
        }
        if (!Cv2.ImEncode(".png", output, out var png))
            throw new FaceEvalException(FaceEvalError.CropFailed, "OpenCV could not encode the crop as PNG.");
        return png;
    }

    public void Dispose()
    {
        foreach (var d in _detectors.Values) d?.Dispose();
        _detectors.Dispose();
    }
}
