using FaceEval.Core.Imaging;

namespace FaceEval.Core.Tests;

/// <summary>Crop geometry against answers worked out by hand from the guide's formulas.</summary>
public class CropGeometryTests
{
    [Theory]
    // Issue #13, defect 22: a box near the coordinate limit with a large margin overflowed 32-bit arithmetic
    // and was reported as outside the image. Python's int() does not overflow: the margin covers the image.
    [InlineData(0, 0, 536_000_000, 536_000_000, 9.0)]
    [InlineData(-100_000_000, -100_000_000, 500_000_000, 500_000_000, 10.0)]
    [InlineData(10, 10, 400_000_000, 20, 9.5)]
    public void AHugeBoxWithALargeMarginCoversTheImageInsteadOfOverflowing(int x, int y, int w, int h, double expansion)
    {
        var plan = CropGeometry.Plan(new FaceBox(x, y, w, h), 120, 90, expansion, maxSide: null);
        // Transcription of the helper with unbounded integers: x1 = max(0, x - int(w*f/2)), x2 = min(W, x + w + int(w*f/2)).
        System.Numerics.BigInteger dw = new((long)(w * expansion / 2)), dh = new((long)(h * expansion / 2));
        var x1 = System.Numerics.BigInteger.Max(0, x - dw); var x2 = System.Numerics.BigInteger.Min(120, x + (System.Numerics.BigInteger)w + dw);
        var y1 = System.Numerics.BigInteger.Max(0, y - dh); var y2 = System.Numerics.BigInteger.Min(90, y + (System.Numerics.BigInteger)h + dh);
        Assert.Equal(new FaceBox((int)x1, (int)y1, (int)(x2 - x1), (int)(y2 - y1)), plan.CropBox);
    }

    [Fact]
    public void AHugeBoxFarAwayIsStillOutsideTheImage()
    {
        var e = Assert.Throws<FaceEvalException>(() => CropGeometry.Plan(new FaceBox(500_000_000, 0, 30_000_000, 30), 120, 90, 10.0, maxSide: null));
        Assert.Equal(FaceEvalError.BoxOutsideImage, e.Error);
    }

    [Fact]
    public void MarginIsTenPercentEachSideInsideTheImage()
    {
        // dw = int(50*0.2/2) = 5, dh = int(60*0.2/2) = int(6.000000000000001) = 6
        var plan = CropGeometry.Plan(new FaceBox(10, 10, 50, 60), 100, 100);
        Assert.Equal(new FaceBox(5, 4, 60, 72), plan.CropBox);
        Assert.Equal((60, 72, 1.0), (plan.OutputWidth, plan.OutputHeight, plan.Scale));
        Assert.False(plan.Resized);
    }

    [Theory]
    // Odd sizes: the half-margin is truncated, never rounded.
    [InlineData(33, 3)]   // 33*0.2/2 = 3.3000000000000003
    [InlineData(35, 3)]   // 3.5000000000000004
    [InlineData(45, 4)]   // 4.5
    [InlineData(15, 1)]   // 1.5000000000000002
    [InlineData(4, 0)]    // 0.4
    public void HalfMarginIsTruncated(int side, int margin)
    {
        var plan = CropGeometry.Plan(new FaceBox(100, 100, side, side), 1000, 1000);
        Assert.Equal(new FaceBox(100 - margin, 100 - margin, side + 2 * margin, side + 2 * margin), plan.CropBox);
    }

    [Fact]
    public void ClampsAtTheLeftAndTop()
    {
        // dw = dh = 4: x1 = max(0, -2) = 0, y1 = max(0, -1) = 0, x2 = 2+40+4 = 46, y2 = 3+40+4 = 47
        var plan = CropGeometry.Plan(new FaceBox(2, 3, 40, 40), 100, 100);
        Assert.Equal(new FaceBox(0, 0, 46, 47), plan.CropBox);
    }

    [Fact]
    public void ClampsAtTheRightAndBottom()
    {
        // dw = 4, dh = 3: x1 = 66, y1 = 57, x2 = min(100, 114) = 100, y2 = min(80, 93) = 80
        var plan = CropGeometry.Plan(new FaceBox(70, 60, 40, 30), 100, 80);
        Assert.Equal(new FaceBox(66, 57, 34, 23), plan.CropBox);
    }

    [Fact]
    public void BoxLargerThanTheImageTakesTheWholeImage()
    {
        var plan = CropGeometry.Plan(new FaceBox(-10, -10, 500, 400), 92, 112);
        Assert.Equal(new FaceBox(0, 0, 92, 112), plan.CropBox);
    }

    [Fact]
    public void BoxPartlyAtNegativeCoordinatesIsClamped()
    {
        // dw = dh = 5: x1 = max(0, -25) = 0, x2 = -20+50+5 = 35
        var plan = CropGeometry.Plan(new FaceBox(-20, -20, 50, 50), 100, 100);
        Assert.Equal(new FaceBox(0, 0, 35, 35), plan.CropBox);
    }

    [Theory]
    [InlineData(200, 200, 10, 10)]
    [InlineData(-50, -50, 20, 20)]
    [InlineData(100, 10, 5, 5)]   // x1 = 100 = W: nothing left
    [InlineData(10, -30, 20, 20)] // y2 = -30+20+2 = -8 < 0
    public void BoxEntirelyOutsideIsAnError(int x, int y, int w, int h)
    {
        var e = Assert.Throws<FaceEvalException>(() => CropGeometry.Plan(new FaceBox(x, y, w, h), 100, 100));
        Assert.Equal(FaceEvalError.BoxOutsideImage, e.Error);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(-5, 10)]
    [InlineData(10, -1)]
    public void ZeroOrNegativeSizeIsAnError(int w, int h)
    {
        var e = Assert.Throws<FaceEvalException>(() => CropGeometry.Plan(new FaceBox(10, 10, w, h), 100, 100));
        Assert.Equal(FaceEvalError.InvalidBoundingBox, e.Error);
    }

    [Theory]
    // (crop w, crop h) -> output, with scale = 256 / longest and new = int(side * scale)
    [InlineData(300, 200, 256, 170)]   // 200 * 0.8533... = 170.67
    [InlineData(257, 256, 256, 255)]   // 256 * 256/257 = 255.0039
    [InlineData(999, 640, 256, 164)]   // 164.004
    [InlineData(1000, 640, 256, 163)]  // 163.84
    [InlineData(322, 100, 255, 79)]    // 322 * (256/322) = 255.99999999999997: the longest side is 255, not 256
    [InlineData(100, 322, 79, 255)]
    [InlineData(333, 333, 256, 256)]
    [InlineData(256, 200, 256, 200)]   // exactly the bound: untouched
    public void DownscaleRoundsLikePythonInt(int w, int h, int ow, int oh)
    {
        var plan = CropGeometry.Plan(new FaceBox(0, 0, w, h), w, h, expansion: 0);
        Assert.Equal(new FaceBox(0, 0, w, h), plan.CropBox);
        Assert.Equal((ow, oh), (plan.OutputWidth, plan.OutputHeight));
        Assert.Equal(w > 256 || h > 256, plan.Resized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void NoBoundKeepsTheSize(int? maxSide)
    {
        var plan = CropGeometry.Plan(new FaceBox(0, 0, 2000, 1500), 4000, 3000, expansion: 0, maxSide: maxSide);
        Assert.Equal((2000, 1500, 1.0), (plan.OutputWidth, plan.OutputHeight, plan.Scale));
    }

    [Fact]
    public void ExtremeAspectRatioKeepsOnePixel()
    {
        // int(1 * 256/1000) = 0 would be an empty image; the short side is kept at 1 pixel.
        var plan = CropGeometry.Plan(new FaceBox(0, 0, 1000, 1), 1000, 1, expansion: 0);
        Assert.Equal((256, 1), (plan.OutputWidth, plan.OutputHeight));
    }

    [Fact]
    public void CustomExpansion()
    {
        // f = 0.5: dw = int(40*0.5/2) = 10, dh = int(30*0.5/2) = int(7.5) = 7
        var plan = CropGeometry.Plan(new FaceBox(50, 50, 40, 30), 200, 200, expansion: 0.5);
        Assert.Equal(new FaceBox(40, 43, 60, 44), plan.CropBox);
    }
}

public class FaceBoxTests
{
    [Fact]
    public void XywhNumbersAreTruncatedTowardZero()
    {
        Assert.Equal(new FaceBox(10, -3, 50, 60), FaceBox.From(10.9, -3.7, 50.99, 60.5, BoxFormat.XYWH));
    }

    [Fact]
    public void XyxyCornersAreTruncatedThenSubtracted()
    {
        // int(70.9) - int(20.7) = 50, int(90.5) - int(30.2) = 60
        Assert.Equal(new FaceBox(20, 30, 50, 60), FaceBox.From(20.7, 30.2, 70.9, 90.5, BoxFormat.XYXY));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e12)]
    public void NonFiniteOrHugeNumbersAreRejected(double bad)
    {
        var e = Assert.Throws<FaceEvalException>(() => FaceBox.From(0, 0, bad, 10, BoxFormat.XYWH));
        Assert.Equal(FaceEvalError.InvalidBoundingBox, e.Error);
    }

    [Fact]
    public void PrintsAsFourNumbers() => Assert.Equal("1,2,3,4", new FaceBox(1, 2, 3, 4).ToString());
}
