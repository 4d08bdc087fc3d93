namespace FaceEval.Core.Imaging;

/// <summary>
/// Turns input rows into crop jobs. Consecutive rows for the same image (a detections CSV with one row per
/// face) become one job, so the image is decoded once; boxes given with the image and images without boxes
/// (for the detector) are a job each. Face indices count up per image across the whole input.
/// </summary>
public sealed class CropJobBuilder
{
    private readonly Dictionary<string, int> _nextFaceIndex = new(StringComparer.Ordinal);
    private string? _path;
    private List<BoxSpec>? _boxes;
    private object? _tag;
    private bool _open;

    /// <summary>Adds one image with its boxes (null: detect); returns the jobs this completes (none, one or two), in order.</summary>
    /// <param name="path">The image.</param>
    /// <param name="boxes">Its boxes, or null to run the detector.</param>
    /// <param name="oneRowPerFace">True when the boxes come from a row's properties: the next row may add a face to the same image.</param>
    /// <param name="tag">The caller's, for the job (the first row's, when rows are merged).</param>
    public IReadOnlyList<CropJob> Add(string path, IReadOnlyList<BoxSpec>? boxes, bool oneRowPerFace, object? tag)
    {
        if (oneRowPerFace && _open && _boxes is not null && _path == path && boxes is not null)
        {
            foreach (var b in boxes) _boxes.Add(b with { FaceIndex = NextFaceIndex(path) });
            return Array.Empty<CropJob>();
        }
        var jobs = new List<CropJob>(2);
        if (Flush() is { } earlier) jobs.Add(earlier);
        _path = path;
        _boxes = boxes?.Select(b => b with { FaceIndex = NextFaceIndex(path) }).ToList();
        _tag = tag;
        _open = true;
        // Rows of one face each wait for the next row; anything else is complete at once.
        if (!oneRowPerFace) jobs.Add(Flush()!);
        return jobs;
    }

    /// <summary>The job still open, if any.</summary>
    public CropJob? Flush()
    {
        if (!_open) return null;
        _open = false;
        return new CropJob(_path!, _boxes, _tag);
    }

    private int NextFaceIndex(string path)
    {
        _nextFaceIndex.TryGetValue(path, out int i);
        _nextFaceIndex[path] = i + 1;
        return i;
    }
}
