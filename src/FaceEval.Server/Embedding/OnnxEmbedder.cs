using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace FaceEval.Server.Embedding;

/// <summary>Any face-recognition ONNX model run with OpenCV DNN; one network per concurrent caller.</summary>
public sealed class OnnxEmbedder : IFaceEmbedder
{
    private readonly OnnxPreprocessing _pre;
    private readonly Pool<Net> _nets;

    public OnnxEmbedder(string modelPath, OnnxPreprocessing preprocessing)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"The ONNX model '{modelPath}' does not exist.", modelPath);
        byte[] model = File.ReadAllBytes(modelPath);
        _pre = preprocessing;
        _nets = new Pool<Net>(() => CvDnn.ReadNetFromOnnx(model) ?? throw new InvalidOperationException($"OpenCV could not load '{modelPath}'."));
        // Load one network now, so that a broken model fails at start-up rather than on the first request.
        _nets.Use(_ => 0);
        Description = $"onnx {Path.GetFileName(modelPath)} ({_pre.Template.Width}x{_pre.Template.Height})";
    }

    public AlignmentTemplate Template => _pre.Template;
    public string Description { get; }

    public float[] Embed(Mat alignedBgr)
    {
        using var blob = CvDnn.BlobFromImage(alignedBgr, _pre.Scale, new Size(_pre.Template.Width, _pre.Template.Height),
            Scalar.All(_pre.Mean), swapRB: _pre.Rgb, crop: false);
        return _nets.Use(net =>
        {
            net.SetInput(blob);
            using var output = net.Forward();
            using var flat = output.Reshape(1, 1);
            flat.GetArray(out float[] values);
            return values;
        });
    }

    public void Dispose() => _nets.Dispose();
}
