using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using FaceEval.Core.Hosting;
using OpenCvSharp;

namespace FaceEval.Server.Tests;

/// <summary>Starts the real server process for a test class and stops it afterwards.</summary>
public abstract class ServerFixture : IDisposable
{
    protected ServerFixture(ReferenceServerOptions options)
    {
        Server = ServerProcess.Start(options with { ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll") });
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServerProcess Server { get; }
    public HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        Server.Dispose();
    }
}

/// <summary>Requests the way the evaluation guide's client sends them, and helpers to read replies.</summary>
public static class Client
{
    public static MultipartFormDataContent Form(byte[]? image, string? model, string fileName = "face.png")
    {
        var form = new MultipartFormDataContent();
        if (image is not null)
        {
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "image", fileName);
        }
        if (model is not null) form.Add(new StringContent(model), "model_name");
        return form;
    }

    public static async Task<(int Status, JsonElement Json, HttpResponseMessage Response)> Post(HttpClient http, string url, HttpContent content)
    {
        var response = await http.PostAsync(url, content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static async Task<float[]> Embed(HttpClient http, string url, byte[] image, string model)
    {
        var (status, json, _) = await Post(http, url, Form(image, model));
        Assert.True(status == 200, $"status {status}: {json}");
        Assert.Equal(model, json.GetProperty("model_name").GetString());
        return json.GetProperty("feature").EnumerateArray().Select(e => e.GetSingle()).ToArray();
    }

    public static byte[] Png(Mat image)
    {
        Cv2.ImEncode(".png", image, out var png);
        return png;
    }

    /// <summary>A PNG of random pixels: larger than ASP.NET's 64 KB in-memory form buffer when big enough.</summary>
    public static byte[] NoisePng(int width, int height)
    {
        using var m = new Mat(height, width, MatType.CV_8UC3);
        Cv2.Randu(m, Scalar.All(0), Scalar.All(256));
        return Png(m);
    }

    public static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));
}

/// <summary>Genuine/impostor statistics and the equal error rate of cosine scores.</summary>
public sealed record Separation(int Genuine, int Impostor, double GenuineMean, double GenuineSd, double ImpostorMean, double ImpostorSd, double Eer)
{
    public static Separation Of(IReadOnlyList<float[]> vectors, IReadOnlyList<string> identities)
    {
        var genuine = new List<double>();
        var impostor = new List<double>();
        for (int i = 0; i < vectors.Count; i++)
            for (int j = i + 1; j < vectors.Count; j++)
            {
                double s = 0;
                for (int k = 0; k < vectors[i].Length; k++) s += (double)vectors[i][k] * vectors[j][k];
                (identities[i] == identities[j] ? genuine : impostor).Add(s);
            }
        genuine.Sort();
        impostor.Sort();
        // Thresholds at every distinct score: FAR = impostors >= t, FRR = genuines < t.
        double best = double.MaxValue, eer = 1;
        foreach (double t in genuine.Concat(impostor).Distinct())
        {
            double far = (impostor.Count - LowerBound(impostor, t)) / (double)impostor.Count;
            double frr = LowerBound(genuine, t) / (double)genuine.Count;
            if (Math.Abs(far - frr) < best) { best = Math.Abs(far - frr); eer = (far + frr) / 2; }
        }
        return new Separation(genuine.Count, impostor.Count, genuine.Average(), Sd(genuine), impostor.Average(), Sd(impostor), eer);
    }

    private static int LowerBound(List<double> sorted, double t)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < t) lo = mid + 1; else hi = mid; }
        return lo;
    }

    private static double Sd(List<double> v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count);
    }

    public override string ToString() =>
        $"genuine {Genuine} pairs mean {GenuineMean:F4} sd {GenuineSd:F4}; impostor {Impostor} pairs mean {ImpostorMean:F4} sd {ImpostorSd:F4}; EER {Eer:P2}; d' {(GenuineMean - ImpostorMean) / Math.Sqrt((GenuineSd * GenuineSd + ImpostorSd * ImpostorSd) / 2):F2}";
}

/// <summary>A fact that needs Debian's python3 with the requests package; skipped with the reason otherwise.</summary>
public sealed class PythonRequestsFactAttribute : FactAttribute
{
    public PythonRequestsFactAttribute()
    {
        if (!HasRequests()) Skip = "/usr/bin/python3 with the 'requests' package (Debian python3-requests) is needed to run the guide's client.";
    }

    private static bool HasRequests()
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import requests\"") { RedirectStandardError = true, UseShellExecute = false });
        p!.WaitForExit();
        return p.ExitCode == 0;
    }
}
