using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using FaceEval.Core.Hosting;
using FaceEval.Core.Imaging;

// usage: dotnet run -c Release --project bench/FaceEval.Bench -- server-throughput --testdata DIR [--concurrency 8] [--seconds 20] [--no-detector]
if (args.Length == 0 || args[0] != "server-throughput")
{
    Console.Error.WriteLine("usage: FaceEval.Bench server-throughput --testdata DIR [--concurrency 8] [--seconds 20] [--no-detector]");
    return 2;
}
string? testData = Environment.GetEnvironmentVariable("FACEEVAL_TESTDATA");
int concurrency = 8, seconds = 20;
bool detector = true;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--testdata": testData = args[++i]; break;
        case "--concurrency": concurrency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-detector": detector = false; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (testData is null) { Console.Error.WriteLine("Give --testdata (a folder with models/ and data/orl_faces/, such as the repository's examples/)."); return 2; }
string yunet = Path.Combine(testData, "models", "face_detection_yunet_2023mar.onnx");

// The workload: the 400 ORL faces cropped as the real workflow does (YuNet boxes, 10 % margin, PNG).
using var cropper = new FaceCropper(new CropSettings { DetectorModel = yunet });
var crops = Directory.GetFiles(Path.Combine(testData, "data", "orl_faces"), "*.pgm", SearchOption.AllDirectories)
    .Order(StringComparer.Ordinal)
    .Select(f => cropper.Process(new CropJob(f, null))[0].Crop!.PngData!)
    .ToArray();

using var server = ServerProcess.Start(new ReferenceServerOptions
{
    Models = new[] { "dingo=lbp" },
    DetectorModel = detector ? yunet : null,
    ServerAssembly = Path.Combine(AppContext.BaseDirectory, "FaceEval.Server.dll"),
});
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });

async Task<bool> Send(byte[] png)
{
    using var form = new MultipartFormDataContent();
    var file = new ByteArrayContent(png);
    file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    form.Add(file, "image", "face.png");
    form.Add(new StringContent("dingo"), "model_name");
    using var response = await http.PostAsync(server.Url, form);
    await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode;
}

async Task<(int Ok, int Failed, List<double> Latencies)> Run(TimeSpan duration)
{
    var stop = Stopwatch.StartNew();
    int ok = 0, failed = 0, next = 0;
    var latencies = new List<double>();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (stop.Elapsed < duration)
        {
            var png = crops[Interlocked.Increment(ref next) % crops.Length];
            var t = Stopwatch.StartNew();
            bool success = await Send(png);
            lock (latencies) latencies.Add(t.Elapsed.TotalMilliseconds);
            if (success) Interlocked.Increment(ref ok); else Interlocked.Increment(ref failed);
        }
    }).ToArray();
    await Task.WhenAll(workers);
    return (ok, failed, latencies);
}

await Run(TimeSpan.FromSeconds(3)); // warm-up: JIT, detector and thread pool
var (okCount, failedCount, lat) = await Run(TimeSpan.FromSeconds(seconds));
lat.Sort();
double P(double q) => lat[Math.Min(lat.Count - 1, (int)(q * lat.Count))];
Console.WriteLine($"model lbp, detector {(detector ? "YuNet" : "off")}, {concurrency} concurrent clients, {seconds} s, {crops.Length} ORL crops ({crops.Average(c => c.Length) / 1024:F1} KB PNG on average)");
Console.WriteLine($"requests/s {okCount / (double)seconds:F1}; ok {okCount}; failed {failedCount}; latency p50 {P(0.5):F1} ms, p95 {P(0.95):F1} ms, max {lat[^1]:F1} ms");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
return failedCount == 0 ? 0 : 1;
