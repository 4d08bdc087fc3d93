using OpenCvSharp;

namespace FaceEval.Core.Samples;

/// <summary>
/// Draws labelled face-like photos for rehearsing an evaluation with nothing downloaded. Each identity
/// is a fixed set of traits drawn from its seed (face shape, skin and hair colour, hairline, eye spacing,
/// size and colour, brows, nose, mouth, and sometimes glasses or a beard); each photo of it varies pose
/// (turn and tilt), expression, scale and position, lighting direction, background, blur, sensor noise and
/// JPEG compression. The box is the face outline's bounding box with the few per cent of jitter a real
/// detector shows. Not a substitute for real faces: scores on these say the pipeline works, not how a
/// model performs.
/// </summary>
public static class SyntheticFaces
{
    private const int Size = 320;

    private sealed record Traits(double FaceW, double FaceH, Scalar Skin, Scalar Hair, double Hairline, double EyeGap, double EyeY,
        double EyeSize, Scalar Iris, double BrowTilt, double BrowThick, double NoseLen, double NoseW, double MouthW, double MouthY,
        Scalar Lip, bool Glasses, bool Beard);

    /// <summary>Writes <paramref name="perIdentity"/> JPEG photos of each of <paramref name="identities"/> identities under <paramref name="folder"/> (one sub-folder per identity).</summary>
    /// <param name="folder">Where the photos go; created when missing.</param>
    /// <param name="identities">How many people (at least 2).</param>
    /// <param name="perIdentity">Photos of each (at least 2).</param>
    /// <param name="seed">The same seed draws the same people and photos.</param>
    /// <param name="progress">Called after each photo with the number written so far.</param>
    public static IReadOnlyList<SyntheticFace> Write(string folder, int identities, int perIdentity, int seed = 0, Action<int>? progress = null)
    {
        if (identities < 2) throw new ArgumentOutOfRangeException(nameof(identities), identities, "At least two identities are needed for impostor pairs.");
        if (perIdentity < 2) throw new ArgumentOutOfRangeException(nameof(perIdentity), perIdentity, "At least two photos per identity are needed for genuine pairs.");
        var faces = new List<SyntheticFace>(identities * perIdentity);
        for (int id = 0; id < identities; id++)
        {
            string name = $"person{id + 1:D3}";
            var traits = TraitsOf(new Random(Mix(seed, id, -1)));
            string dir = Path.Combine(folder, name);
            Directory.CreateDirectory(dir);
            for (int k = 0; k < perIdentity; k++)
            {
                var random = new Random(Mix(seed, id, k));
                string path = Path.Combine(dir, $"{k + 1:D2}.jpg");
                using var image = Draw(traits, random, out var box);
                Cv2.ImWrite(path, image, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
                faces.Add(new SyntheticFace(path, name, box.X, box.Y, box.Width, box.Height));
                progress?.Invoke(faces.Count);
            }
        }
        return faces;
    }

    // Black, dark brown, brown, auburn, blond, grey (BGR).
    private static readonly Scalar[] HairColours = { new(20, 20, 25), new(30, 45, 70), new(45, 75, 115), new(40, 70, 150), new(90, 170, 210), new(160, 160, 160) };

    private static Scalar Shade(Scalar c, double f) => new(c.Val0 * f, c.Val1 * f, c.Val2 * f);

    /// <summary>A seed for one identity (k = -1) or one photo: fixed across processes and platforms, unlike HashCode.</summary>
    private static int Mix(int seed, int id, int k) => unchecked((int)(((uint)seed * 2654435761u) ^ ((uint)id * 40503u + 0x9E3779B9u) ^ ((uint)(k + 2) * 2246822519u)));

    private static double Between(Random r, double low, double high) => low + r.NextDouble() * (high - low);

    private static Scalar Colour(Random r, (double B, double G, double R) low, (double B, double G, double R) high) =>
        new(Between(r, low.B, high.B), Between(r, low.G, high.G), Between(r, low.R, high.R));

    private static Traits TraitsOf(Random r) => new(
        FaceW: Between(r, 0.30, 0.40), FaceH: Between(r, 0.40, 0.50),
        Skin: Colour(r, (60, 90, 120), (190, 210, 245)), Hair: Shade(HairColours[r.Next(HairColours.Length)], Between(r, 0.8, 1.2)),
        Hairline: Between(r, 0.55, 0.85), EyeGap: Between(r, 0.30, 0.46), EyeY: Between(r, -0.25, -0.05),
        EyeSize: Between(r, 0.07, 0.13), Iris: Colour(r, (20, 20, 20), (160, 140, 90)), BrowTilt: Between(r, -0.25, 0.25),
        BrowThick: Between(r, 0.02, 0.06), NoseLen: Between(r, 0.18, 0.34), NoseW: Between(r, 0.10, 0.22),
        MouthW: Between(r, 0.28, 0.52), MouthY: Between(r, 0.38, 0.55), Lip: Colour(r, (60, 50, 120), (130, 120, 210)),
        Glasses: r.NextDouble() < 0.2, Beard: r.NextDouble() < 0.2);

    /// <summary>One photo: the face drawn in a unit frame, then turned, tilted, scaled, placed and lit.</summary>
    private static Mat Draw(Traits t, Random r, out Rect box)
    {
        var background = Shade(Colour(r, (120, 120, 120), (230, 220, 210)), Between(r, 0.4, 1.0));
        var image = new Mat(Size, Size, MatType.CV_8UC3, background);
        double yaw = Between(r, -0.15, 0.15), roll = Between(r, -6, 6), scale = Between(r, 0.75, 1.05);
        double cx = Size / 2.0 + Between(r, -30, 30), cy = Size / 2.0 + Between(r, -20, 25);
        double unit = Size * 0.5 * scale;
        double smile = Between(r, -0.02, 0.05), open = Between(r, 0.7, 1.0);

        // Unit frame: the face centre at (0, 0), x to the right, y down, the face about 0.4 wide. A turn
        // (yaw) slides the inner features sideways and narrows the far side.
        Point P(double x, double y)
        {
            double shifted = x + yaw * 0.25 * (1 - Math.Abs(x));
            double squeezed = shifted * (1 - Math.Abs(yaw) * 0.25);
            double a = roll * Math.PI / 180, rx = squeezed * Math.Cos(a) - y * Math.Sin(a), ry = squeezed * Math.Sin(a) + y * Math.Cos(a);
            return new Point(cx + rx * unit, cy + ry * unit);
        }
        int L(double v) => Math.Max(1, (int)Math.Round(v * unit));
        var aa = LineTypes.AntiAlias;

        // Hair behind the head, then the face, ears and neck.
        Cv2.Ellipse(image, P(0, -t.FaceH * 0.15), new Size(L(t.FaceW * 1.12), L(t.FaceH * 1.05)), roll, 0, 360, t.Hair, -1, aa);
        Cv2.Rectangle(image, P(-t.FaceW * 0.35, t.FaceH * 0.7), P(t.FaceW * 0.35, 1.2), Shade(t.Skin, 0.85), -1, aa);
        foreach (var side in new[] { -1, 1 })
            Cv2.Ellipse(image, P(side * t.FaceW, -0.02), new Size(L(0.05), L(0.09)), roll, 0, 360, Shade(t.Skin, 0.9), -1, aa);
        Cv2.Ellipse(image, P(0, 0), new Size(L(t.FaceW * (1 - Math.Abs(yaw) * 0.25)), L(t.FaceH)), roll, 0, 360, t.Skin, -1, aa);
        // Hairline: a cap over the top of the face.
        Cv2.Ellipse(image, P(0, -t.FaceH * 0.95), new Size(L(t.FaceW * 1.02), L(t.FaceH * (1 - t.Hairline) + 0.05)), roll, 0, 360, t.Hair, -1, aa);
        if (t.Beard)
            Cv2.Ellipse(image, P(0, t.FaceH * 0.55), new Size(L(t.FaceW * 0.8), L(t.FaceH * 0.45)), roll, 0, 180, Shade(t.Hair, 0.9), -1, aa);

        foreach (var side in new[] { -1, 1 })
        {
            double ex = side * t.EyeGap * 0.5, ey = t.EyeY * t.FaceH;
            Cv2.Ellipse(image, P(ex, ey), new Size(L(t.EyeSize * 0.6), L(t.EyeSize * 0.32 * open)), roll, 0, 360, new Scalar(245, 245, 245), -1, aa);
            Cv2.Circle(image, P(ex + yaw * 0.03, ey), L(t.EyeSize * 0.22), t.Iris, -1, aa);
            Cv2.Circle(image, P(ex + yaw * 0.03, ey), L(t.EyeSize * 0.09), new Scalar(15, 15, 15), -1, aa);
            double by = ey - t.EyeSize * 0.55;
            Cv2.Line(image, P(ex - side * t.EyeSize * 0.6, by + t.BrowTilt * 0.05), P(ex + side * t.EyeSize * 0.7, by - t.BrowTilt * 0.05), Shade(t.Hair, 0.8), L(t.BrowThick), aa);
            if (t.Glasses) Cv2.Circle(image, P(ex, ey), L(t.EyeSize * 0.85), new Scalar(30, 30, 30), L(0.012), aa);
        }
        if (t.Glasses) Cv2.Line(image, P(-t.EyeGap * 0.5 + t.EyeSize * 0.85, t.EyeY * t.FaceH), P(t.EyeGap * 0.5 - t.EyeSize * 0.85, t.EyeY * t.FaceH), new Scalar(30, 30, 30), L(0.012), aa);

        // Nose: a bridge line and a base; mouth: a curve whose bend is the expression.
        double noseTop = t.EyeY * t.FaceH + 0.03, noseBottom = noseTop + t.NoseLen;
        Cv2.Line(image, P(yaw * 0.05, noseTop), P(yaw * 0.08, noseBottom), Shade(t.Skin, 0.7), L(0.015), aa);
        Cv2.Ellipse(image, P(yaw * 0.08, noseBottom), new Size(L(t.NoseW * 0.5), L(0.03)), roll, 0, 180, Shade(t.Skin, 0.6), L(0.015), aa);
        double my = t.MouthY * t.FaceH;
        var lip = Enumerable.Range(0, 13).Select(i => { double x = (i / 12.0 - 0.5) * t.MouthW; return P(x, my - smile * (1 - 4 * x * x / (t.MouthW * t.MouthW))); }).ToArray();
        Cv2.Polylines(image, new[] { lip }, false, t.Lip, L(0.025), aa);

        // Where the face is: the outline's bounding box, with a detector's jitter.
        var outline = Enumerable.Range(0, 36).Select(i => { double a = i * Math.PI / 18; return P(t.FaceW * Math.Cos(a), t.FaceH * Math.Sin(a)); }).ToArray();
        var bounds = Cv2.BoundingRect(outline);
        int jx = (int)(bounds.Width * Between(r, -0.04, 0.04)), jy = (int)(bounds.Height * Between(r, -0.04, 0.04));
        box = new Rect(bounds.X + jx, bounds.Y + jy, (int)(bounds.Width * Between(r, 0.96, 1.04)), (int)(bounds.Height * Between(r, 0.96, 1.04)))
            & new Rect(0, 0, Size, Size);

        // Light from one side, a little blur, sensor noise.
        double angle = Between(r, 0, 2 * Math.PI), strength = Between(r, 0.05, 0.25);
        using var light = new Mat(Size, Size, MatType.CV_32FC1);
        var ramp = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                ramp[y * Size + x] = (float)(1 + strength * (((x - Size / 2.0) * Math.Cos(angle) + (y - Size / 2.0) * Math.Sin(angle)) / Size));
        light.SetArray(ramp);
        using var lit = new Mat();
        image.ConvertTo(lit, MatType.CV_32FC3);
        using var light3 = new Mat();
        Cv2.Merge(new[] { light, light, light }, light3);
        Cv2.Multiply(lit, light3, lit);
        // Sensor noise from the photo's own generator (OpenCV's RNG is shared by the whole process).
        double sd = Between(r, 2, 9);
        var grain = new float[Size * Size * 3];
        for (int i = 0; i < grain.Length; i++)
            grain[i] = (float)(sd * Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble()));
        using var flat = new Mat(Size, Size * 3, MatType.CV_32FC1);
        flat.SetArray(grain);
        using var noise = flat.Reshape(3);
        Cv2.Add(lit, noise, lit);
        lit.ConvertTo(image, MatType.CV_8UC3);
        double sigma = Between(r, 0.3, 1.4);
        Cv2.GaussianBlur(image, image, new Size(0, 0), sigma);
        return image;
    }
}
