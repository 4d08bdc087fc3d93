using FaceEval.Core.Imaging;
using OpenCvSharp;

namespace FaceEval.Core.Tests;

public class FaceCropperTests
{
    private static string WriteImage(TempDir dir, string name, Mat img)
    {
        string path = dir.File(name);
        Cv2.ImWrite(path, img);
        return path;
    }

    [Fact]
    public void CropIsTheMarginRegionPixelForPixel()
    {
        using var dir = new TempDir();
        using var img = TestData.Gradient(120, 90);
        string path = WriteImage(dir, "g.png", img);
        using var cropper = new FaceCropper(new CropSettings());
        var outcome = Assert.Single(cropper.Process(new CropJob(path, new[] { new BoxSpec(30, 20, 40, 50, BoxFormat.XYWH, 0) })));
        Assert.Null(outcome.Error);
        var crop = outcome.Crop!;
        Assert.Equal(new FaceBox(26, 15, 48, 60), crop.CropBox); // dw = 4, dh = 5
        using var decoded = Cv2.ImDecode(crop.PngData!, ImreadModes.Unchanged);
        using var expected = new Mat(img, new Rect(26, 15, 48, 60));
        Assert.Equal(0, Cv2.Norm(decoded, expected, NormTypes.INF));
    }

    [Fact]
    public void ResizedCropUsesInterArea()
    {
        using var dir = new TempDir();
        using var img = TestData.Gradient(400, 300);
        string path = WriteImage(dir, "big.png", img);
        using var cropper = new FaceCropper(new CropSettings { Expansion = 0, MaxSide = 100 });
        var crop = cropper.Process(new CropJob(path, new[] { new BoxSpec(0, 0, 400, 300, BoxFormat.XYWH, 0) }))[0].Crop!;
        Assert.Equal((100, 75, 0.25), (crop.Width, crop.Height, crop.Scale));
        using var decoded = Cv2.ImDecode(crop.PngData!, ImreadModes.Unchanged);
        using var expected = new Mat();
        Cv2.Resize(img, expected, new Size(100, 75), 0, 0, InterpolationFlags.Area);
        Assert.Equal(0, Cv2.Norm(decoded, expected, NormTypes.INF));
        using var linear = new Mat();
        Cv2.Resize(img, linear, new Size(100, 75), 0, 0, InterpolationFlags.Linear);
        Assert.NotEqual(0, Cv2.Norm(decoded, linear, NormTypes.INF)); // the interpolation matters
    }

    [Fact]
    public void OutputIsLosslessPng()
    {
        using var dir = new TempDir();
        using var img = TestData.Gradient(50, 50);
        string path = WriteImage(dir, "g.bmp", img);
        using var cropper = new FaceCropper(new CropSettings { Expansion = 0 });
        var png = cropper.Process(new CropJob(path, new[] { new BoxSpec(0, 0, 50, 50, BoxFormat.XYWH, 0) }))[0].Crop!.PngData!;
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        using var back = Cv2.ImDecode(png, ImreadModes.Unchanged);
        Assert.Equal(0, Cv2.Norm(back, img, NormTypes.INF));
    }

    [Fact]
    public void ABadBoxFailsOnlyItself()
    {
        using var dir = new TempDir();
        using var img = TestData.Gradient(100, 100);
        string path = WriteImage(dir, "g.png", img);
        using var cropper = new FaceCropper(new CropSettings());
        var outcomes = cropper.Process(new CropJob(path, new[]
        {
            new BoxSpec(10, 10, 20, 20, BoxFormat.XYWH, 0, "first"),
            new BoxSpec(10, 10, 0, 20, BoxFormat.XYWH, 1, "second"),
            new BoxSpec(500, 500, 20, 20, BoxFormat.XYWH, 2, "third"),
            new BoxSpec(50, 50, 90, 90, BoxFormat.XYXY, 3, "fourth"),
        }));
        Assert.Equal(4, outcomes.Count);
        Assert.Equal(0, outcomes[0].Crop!.FaceIndex);
        Assert.Equal(FaceEvalError.InvalidBoundingBox, outcomes[1].Error!.Error);
        Assert.Equal(FaceEvalError.BoxOutsideImage, outcomes[2].Error!.Error);
        Assert.Equal(path, outcomes[2].Error!.Target);
        Assert.Equal(new FaceBox(50, 50, 40, 40), outcomes[3].Crop!.Box);
        Assert.Equal(new object[] { "first", "second", "third", "fourth" }, outcomes.Select(o => o.Tag));
    }

    [Fact]
    public void AMissingFileIsOneErrorOutcome()
    {
        using var cropper = new FaceCropper(new CropSettings());
        var outcome = Assert.Single(cropper.Process(new CropJob("/no/such/face.png", new[] { new BoxSpec(0, 0, 5, 5, BoxFormat.XYWH, 0, "tag") })));
        Assert.Equal(FaceEvalError.FileNotFound, outcome.Error!.Error);
        Assert.Equal("tag", outcome.Tag);
    }

    [Fact]
    public void NoBoxAndNoDetectorSaysWhatToPass()
    {
        using var dir = new TempDir();
        using var img = TestData.Gradient(30, 30);
        string path = WriteImage(dir, "g.png", img);
        using var cropper = new FaceCropper(new CropSettings());
        var error = Assert.Single(cropper.Process(new CropJob(path, null))).Error!;
        Assert.Equal(FaceEvalError.DetectorModelMissing, error.Error);
        Assert.Contains("-BoundingBox", error.Message);
        Assert.Contains("-DetectorModel", error.Message);
    }

    [Fact]
    public void AMissingDetectorModelFailsAtOnce()
    {
        var e = Assert.Throws<FaceEvalException>(() => new FaceCropper(new CropSettings { DetectorModel = "/no/yunet.onnx" }));
        Assert.Equal(FaceEvalError.DetectorModelMissing, e.Error);
    }

    [TestDataFact]
    public void DetectorFindsOneFaceWithLandmarksInsideTheBox()
    {
        using var cropper = new FaceCropper(new CropSettings { DetectorModel = TestData.YuNet });
        var outcome = Assert.Single(cropper.Process(new CropJob(Path.Combine(TestData.Orl, "s1", "1.pgm"), null, "tag")));
        var crop = outcome.Crop!;
        Assert.InRange(crop.DetectorScore!.Value, 0.8, 1.0);
        Assert.Equal("tag", outcome.Tag);
        var b = crop.Box;
        Assert.InRange(b.Width, 40, 92);
        for (int k = 0; k < 5; k++)
        {
            Assert.InRange(crop.Landmarks![2 * k], b.X, b.Right);
            Assert.InRange(crop.Landmarks![2 * k + 1], b.Y, b.Bottom);
        }
        Assert.True(crop.Landmarks![0] < crop.Landmarks![2], "the right eye (image left) comes first");
    }

    [TestDataFact]
    public void BlankImageHasNoFace()
    {
        using var dir = new TempDir();
        using var blank = new Mat(200, 200, MatType.CV_8UC3, new Scalar(128, 128, 128));
        string path = WriteImage(dir, "blank.png", blank);
        using var cropper = new FaceCropper(new CropSettings { DetectorModel = TestData.YuNet });
        Assert.Equal(FaceEvalError.NoFaceDetected, Assert.Single(cropper.Process(new CropJob(path, null))).Error!.Error);
    }

    [TestDataFact]
    public void DetectionOnALargeImageMapsBoxesBack()
    {
        // The same face at 4x: detection runs at 640 px and the box must come back in full-size pixels.
        using var small = Cv2.ImRead(Path.Combine(TestData.Orl, "s2", "1.pgm"));
        using var big = new Mat();
        Cv2.Resize(small, big, new Size(small.Width * 8, small.Height * 8), 0, 0, InterpolationFlags.Cubic);
        using var dir = new TempDir();
        using var cropper = new FaceCropper(new CropSettings { DetectorModel = TestData.YuNet });
        var a = Assert.Single(cropper.Process(new CropJob(WriteImage(dir, "small.png", small), null))).Crop!.Box;
        var b = Assert.Single(cropper.Process(new CropJob(WriteImage(dir, "big.png", big), null))).Crop!.Box;
        Assert.InRange(b.X / 8.0, a.X - 4, a.X + 4);
        Assert.InRange(b.Width / 8.0, a.Width * 0.85, a.Width * 1.15);
    }
}
