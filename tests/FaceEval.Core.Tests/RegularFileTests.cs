using System.Diagnostics;
using FaceEval.Core.IO;

namespace FaceEval.Core.Tests;

/// <summary>
/// Issue #13, defect 11: a path that names a device, a pipe or a link to one is refused without being
/// opened (a pipe would block for ever, /dev/zero never ends), and a regular file is read to a bound.
/// </summary>
public class RegularFileTests
{
    // A hang guard for the pipe cases, far above any plausible time; the refusal itself is immediate.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(1);

    public static TheoryData<string> Devices() => OperatingSystem.IsWindows() ? new() : new() { "/dev/zero", "/dev/urandom", "/dev/null" };

    [Theory]
    [MemberData(nameof(Devices))]
    public void ADeviceIsRefusedWithoutReadingIt(string device)
    {
        var e = Assert.Throws<FaceEvalException>(() => RegularFile.ReadAllBytes(device, "image file"));
        Assert.Equal(FaceEvalError.EmptyFile, e.Error);
        Assert.Contains("not a regular file", e.Message);
    }

    [Fact]
    public void ANamedPipeIsRefusedWithoutBlocking()
    {
        if (OperatingSystem.IsWindows()) return; // named pipes are not files there
        using var dir = new TempDir();
        string fifo = dir.File("face.jpg");
        MakeFifo(fifo);
        var read = Task.Run(() => RegularFile.ReadAllBytes(fifo, "image file"));
        Assert.True(((IAsyncResult)read).AsyncWaitHandle.WaitOne(Guard), "reading a pipe must not wait for a writer");
        var e = Assert.Throws<FaceEvalException>(() => read.GetAwaiter().GetResult());
        Assert.Equal(FaceEvalError.EmptyFile, e.Error);
    }

    [Fact]
    public void LinksAreFollowedToWhatTheyNameBeforeAnythingIsOpened()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        string fifo = dir.File("pipe");
        MakeFifo(fifo);
        File.CreateSymbolicLink(dir.File("to-zero.jpg"), "/dev/zero");
        File.CreateSymbolicLink(dir.File("to-pipe.jpg"), fifo);
        File.CreateSymbolicLink(dir.File("link-to-link.jpg"), dir.File("to-pipe.jpg"));
        foreach (var link in new[] { "to-zero.jpg", "to-pipe.jpg", "link-to-link.jpg" })
        {
            var read = Task.Run(() => RegularFile.ReadAllBytes(dir.File(link), "image file"));
            Assert.True(((IAsyncResult)read).AsyncWaitHandle.WaitOne(Guard), link);
            Assert.Equal(FaceEvalError.EmptyFile, Assert.Throws<FaceEvalException>(() => read.GetAwaiter().GetResult()).Error);
        }
        File.WriteAllBytes(dir.File("real.bin"), new byte[] { 1, 2, 3 });
        File.CreateSymbolicLink(dir.File("to-real.jpg"), dir.File("real.bin"));
        Assert.Equal(new byte[] { 1, 2, 3 }, RegularFile.ReadAllBytes(dir.File("to-real.jpg"), "image file"));
    }

    [Fact]
    public void AFileOverTheBoundIsRefusedBeforeItIsRead()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("big.png"), new byte[4096]);
        var e = Assert.Throws<FaceEvalException>(() => RegularFile.ReadAllBytes(dir.File("big.png"), "image file", maxBytes: 4095));
        Assert.Equal(FaceEvalError.FileTooLarge, e.Error);
        Assert.Equal(4096, RegularFile.ReadAllBytes(dir.File("big.png"), "image file", maxBytes: 4096).Length);
    }

    [Fact]
    public void MissingFilesAndFoldersSayWhatTheyAre()
    {
        using var dir = new TempDir();
        Assert.Equal(FaceEvalError.FileNotFound, Assert.Throws<FaceEvalException>(() => RegularFile.ReadAllBytes(dir.File("none.png"), "image file")).Error);
        var folder = Assert.Throws<FaceEvalException>(() => RegularFile.ReadAllBytes(dir.Path, "image file"));
        Assert.Equal(FaceEvalError.FileUnreadable, folder.Error);
        Assert.Contains("folder", folder.Message);
    }

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", new[] { path }) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
