using FaceEval.Core.Concurrency;
using FaceEval.Core.IO;

namespace FaceEval.Core.Tests;

public class CropWriterTests
{
    private static FaceCrop Crop(string source, int index = 0) => new()
    {
        SourcePath = source, FaceIndex = index, Box = new(0, 0, 1, 1), CropBox = new(0, 0, 1, 1),
        Width = 1, Height = 1, Scale = 1, PngData = new byte[] { 1, 2, 3 },
    };

    [Fact]
    public void NamesAreStemAndFaceIndex()
    {
        using var dir = new TempDir();
        var writer = new CropWriter(dir.Path);
        Assert.Equal(dir.File("photo.v2_3.png"), writer.GetPath("/data/photo.v2.jpg", 3));
    }

    [Fact]
    public void PreservedStructureKeepsSubFolders()
    {
        using var dir = new TempDir();
        var writer = new CropWriter(dir.Path, root: "/data/set");
        Assert.Equal(Path.Combine(dir.Path, "s1", "deep", "1_0.png"), writer.GetPath("/data/set/s1/deep/1.pgm", 0));
        Assert.Equal(dir.File("top_0.png"), writer.GetPath("/data/set/top.pgm", 0));
        Assert.Equal(FaceEvalError.SourceOutsideRoot, Assert.Throws<FaceEvalException>(() => writer.GetPath("/data/other/1.pgm", 0)).Error);
    }

    [Fact]
    public void WritesAndMovesTheBytesToTheFile()
    {
        using var dir = new TempDir();
        var writer = new CropWriter(Path.Combine(dir.Path, "new", "folder"));
        var crop = Crop("/x/a.png");
        string target = writer.GetPath(crop.SourcePath, 0);
        writer.Write(crop, target);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target));
        Assert.Equal(target, crop.Path);
        Assert.Null(crop.PngData);
        // No temp file left behind: the crop, and the ledger that names it for Remove-FaceEvalData.
        Assert.Equal(new[] { "a_0.png", OutputLedger.FileName }, Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var entry = Assert.Single(OutputLedger.Read(Path.Combine(Path.GetDirectoryName(target)!, OutputLedger.FileName)));
        Assert.Equal((target, "crop", OutputLedger.Sha256Of(target)), (entry.Path, entry.Kind, entry.Sha256));
    }

    [Fact]
    public void AFileThatHoldsThisVeryCropIsReusedAndMarkedResumed()
    {
        using var dir = new TempDir();
        new CropWriter(dir.Path).Write(Crop("/x/a.png"), dir.File("a_0.png"));
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(dir.File("a_0.png"), stamp);

        var again = Crop("/x/a.png");
        new CropWriter(dir.Path).Write(again, dir.File("a_0.png")); // a second run, same bytes
        Assert.True(again.Resumed);
        Assert.Equal(dir.File("a_0.png"), again.Path);
        Assert.Null(again.PngData);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(dir.File("a_0.png"))); // not rewritten

        var fresh = Crop("/x/b.png");
        new CropWriter(dir.Path).Write(fresh, dir.File("b_0.png"));
        Assert.False(fresh.Resumed);
    }

    [Fact]
    public void ExistingFilesAreKeptWithoutForce()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a_0.png"), "precious");
        var writer = new CropWriter(dir.Path);
        var e = Assert.Throws<FaceEvalException>(() => writer.Write(Crop("/x/a.png"), dir.File("a_0.png")));
        Assert.Equal(FaceEvalError.OutputExists, e.Error);
        Assert.Equal("precious", File.ReadAllText(dir.File("a_0.png")));

        new CropWriter(dir.Path, force: true).Write(Crop("/x/a.png"), dir.File("a_0.png"));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(dir.File("a_0.png")));
    }

    [Fact]
    public void TwoSourcesWithOneNameCollideEvenWithForce()
    {
        using var dir = new TempDir();
        var writer = new CropWriter(dir.Path, force: true);
        writer.Write(Crop("/data/s1/1.pgm"), writer.GetPath("/data/s1/1.pgm", 0));
        var e = Assert.Throws<FaceEvalException>(() => writer.Write(Crop("/data/s2/1.pgm"), writer.GetPath("/data/s2/1.pgm", 0)));
        Assert.Equal(FaceEvalError.OutputNameCollision, e.Error);
        Assert.Contains("-PreserveStructure", e.Message);
    }
}

public class AtomicFileTests
{
    [Theory]
    [InlineData("a-folder", "it is a folder")]
    [InlineData("a-file/report.html", "a-file' is a file")]
    [InlineData("a-file/deeper/still/roc.csv", "a-file' is a file")]
    public void AFileThatCannotBeWrittenIsWriteFailedNamingItNeverTheTemporaryFile(string relative, string expected)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("a-folder"));
        File.WriteAllText(dir.File("a-file"), "x");
        string path = Path.Combine(dir.Path, relative);
        var e = Assert.Throws<FaceEvalException>(() => AtomicFile.WriteAllBytes(path, new byte[] { 1, 2, 3 }, overwrite: true));
        Assert.Equal(FaceEvalError.WriteFailed, e.Error);
        Assert.Equal(path, e.Target);
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.DoesNotContain(".tmp", e.InnerException?.Message ?? "");
        Assert.Equal(new[] { "a-file" }, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public void AFolderThatCannotBeCreatedSaysWhatIsInTheWay()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a-file"), "x");
        var e = Assert.Throws<FaceEvalException>(() => AtomicFile.CreateFolder(dir.File("a-file")));
        Assert.Contains("it is a file, not a folder", e.Message);
        e = Assert.Throws<FaceEvalException>(() => AtomicFile.CreateFolder(Path.Combine(dir.File("a-file"), "plots")));
        Assert.Contains($"'{dir.File("a-file")}' is a file", e.Message);
        AtomicFile.CreateFolder(Path.Combine(dir.Path, "new", "plots"));
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "new", "plots")));
    }

    [Fact]
    public void RemovesOnlyItsOwnStaleTemporaryFiles()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("sub"));
        File.WriteAllText(dir.File($".a.npy.{Guid.NewGuid():N}.tmp"), "torn");
        File.WriteAllText(Path.Combine(dir.Path, "sub", $".b.npy.{Guid.NewGuid():N}.tmp"), "torn");
        File.WriteAllText(dir.File(".mine.tmp"), "not ours");
        File.WriteAllText(dir.File("a.npy"), "kept");
        Assert.Equal(2, AtomicFile.RemoveStale(dir.Path));
        Assert.Equal(new[] { ".mine.tmp", "a.npy" }, Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order());
    }
}

public class OrderedWorkQueueTests
{
    [Fact]
    public void ResultsComeBackInQueueOrder()
    {
        using var queue = new OrderedWorkQueue<int>(4);
        var rng = new Random(7);
        var delays = Enumerable.Range(0, 40).Select(_ => rng.Next(0, 15)).ToArray();
        var taken = new List<int>();
        for (int i = 0; i < delays.Length; i++)
        {
            int n = i;
            queue.Enqueue(_ => { Thread.Sleep(delays[n]); return n; });
            while (queue.IsFull) taken.Add(queue.TakeNext());
            taken.AddRange(queue.TakeReady());
        }
        while (queue.Count > 0) taken.Add(queue.TakeNext());
        Assert.Equal(Enumerable.Range(0, 40), taken);
    }

    [Fact]
    public void RunsInParallelUpToTheDegree()
    {
        using var queue = new OrderedWorkQueue<int>(3);
        int running = 0, peak = 0;
        for (int i = 0; i < 6; i++)
            queue.Enqueue(_ =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                Thread.Sleep(100);
                Interlocked.Decrement(ref running);
                return 0;
            });
        while (queue.Count > 0) queue.TakeNext();
        Assert.Equal(3, peak);
    }

    [Fact]
    public void DegreeOneRunsOnTheCallingThread()
    {
        using var queue = new OrderedWorkQueue<int>(1);
        int caller = Environment.CurrentManagedThreadId;
        queue.Enqueue(_ => Environment.CurrentManagedThreadId);
        Assert.Equal(caller, queue.TakeNext());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
