using FaceEval.Core.Samples;
using FaceEval.Server.Embedding;
using OpenCvSharp;

namespace FaceEval.Server.Tests;

public class HogEmbedderTests
{
    [Fact]
    public void HogIsABuiltInModelSpec()
    {
        var spec = ModelSpec.Parse("HOG");
        Assert.Equal("hog", spec.Kind);
        using var embedder = spec.CreateEmbedder();
        Assert.IsType<HogEmbedder>(embedder);
        Assert.Contains("'hog'", Assert.Throws<FormatException>(() => ModelSpec.Parse("sift")).Message);
    }

    [Fact]
    public void HogDescribesLayoutDeterministicallyAndSeparatesDrawnIdentities()
    {
        string folder = Path.Combine(Path.GetTempPath(), "faceeval-hog-" + Guid.NewGuid().ToString("N"));
        try
        {
            var faces = SyntheticFaces.Write(folder, identities: 2, perIdentity: 2, seed: 3);
            using var hog = new HogEmbedder();
            float[] Embed(SyntheticFace f)
            {
                using var image = Cv2.ImRead(f.Path);
                using var face = new Mat(image, new Rect(f.X, f.Y, f.Width, f.Height));
                using var aligned = new Mat();
                Cv2.Resize(face, aligned, new Size(112, 112));
                return hog.Embed(aligned);
            }
            var v = faces.Select(Embed).ToArray();
            Assert.All(v, e => Assert.Equal(1764, e.Length));
            Assert.Equal(v[0], Embed(faces[0]));                   // same photo, same vector
            Assert.True(Math.Abs(v[0].Average()) < 1e-5);          // centred on its mean
            double Cos(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
            // Two photos of one drawn identity are closer than photos of two identities.
            Assert.True(Cos(v[0], v[1]) > Cos(v[0], v[2]), $"{Cos(v[0], v[1])} vs {Cos(v[0], v[2])}");
            Assert.True(Cos(v[2], v[3]) > Cos(v[1], v[3]), $"{Cos(v[2], v[3])} vs {Cos(v[1], v[3])}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
