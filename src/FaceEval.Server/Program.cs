using FaceEval.Server;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ServerOptions.Usage);
    return 0;
}

ServerOptions options;
string[] rest;
try
{
    (options, rest) = ServerOptions.Parse(args);
}
catch (Exception e) when (e is FormatException or IOException or System.Text.Json.JsonException or ArgumentException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

// OpenCV's own decode ceiling, before anything loads the library (see OpenCvLimits).
FaceEval.Core.Imaging.OpenCvLimits.Apply(options.MaxPixels > 0 ? options.MaxPixels : FaceEval.Core.Imaging.ImageDecoder.DefaultMaxPixels);

try
{
    await using var app = ServerApp.Build(options, rest);
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or IOException or OpenCvSharp.OpenCVException or FaceEval.FaceEvalException)
{
    Console.Error.WriteLine($"error: the server could not start: {e.Message}");
    return 1;
}
