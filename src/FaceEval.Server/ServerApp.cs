using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using FaceEval.Server.Embedding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FaceEval.Server;

/// <summary>The reply of a successful extraction, exactly as the vendor sends it.</summary>
public sealed record ExtractResponse(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("feature")] float[] Feature);

/// <summary>The body of every error reply.</summary>
public sealed record ErrorResponse([property: JsonPropertyName("error")] string Error);

/// <summary>What test mode remembers of a request: the form as sent, never the image itself.</summary>
public sealed record RecordedPart(string Name, string? FileName, string? ContentType, long Length);
public sealed record RecordedRequest(DateTimeOffset Time, string Method, string? ContentType, IReadOnlyList<RecordedPart> Parts, string? ModelName, string? ImageSha256, int Status);

/// <summary>Builds the reference server: one POST endpoint, the vendor's replies, optional rate limit and faults.</summary>
public static class ServerApp
{
    /// <summary>Room for multipart headers and the model_name field beyond the image itself.</summary>
    private const long FormOverheadBytes = 64 * 1024;
    private const int MaxRecorded = 20_000;

    /// <summary>Limits of the request line and headers (Kestrel's defaults), quoted in the errors.</summary>
    public const int MaxRequestLineBytes = 8 * 1024;
    public const int MaxRequestHeaderBytes = 32 * 1024;
    public const int MaxRequestHeaderCount = 100;
    /// <summary>Most parts a form may have: the vendor's has two.</summary>
    public const int MaxFormParts = 8;
    /// <summary>Longest model_name, in UTF-8 bytes.</summary>
    public const int MaxModelNameBytes = 1024;
    /// <summary>Longest file name or content type kept for a recorded part.</summary>
    private const int MaxRecordedText = 128;

    public static WebApplication Build(ServerOptions o, string[] aspNetArgs)
    {
        var builder = WebApplication.CreateSlimBuilder(aspNetArgs);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Room to read and discard an oversized upload before answering 413: a client still sending
            // when the server closes gets a broken pipe instead of the answer.
            k.Limits.MaxRequestBodySize = Math.Max(4 * o.MaxUploadBytes, o.MaxUploadBytes + 16 * 1024 * 1024) + FormOverheadBytes;
            // Said here, not left to defaults, because the error messages quote them.
            k.Limits.MaxRequestLineSize = MaxRequestLineBytes;
            k.Limits.MaxRequestHeadersTotalSize = MaxRequestHeaderBytes;
            k.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            k.ConfigureEndpointDefaults(listen =>
            {
                // The vendor's protocol is HTTP/1.1, and ErrorBodyPipeWriter reads HTTP/1.x answers.
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    var transport = connection.Transport;
                    connection.Transport = new DuplexPipe(transport.Input, new ErrorBodyPipeWriter(transport.Output, ProtocolErrorMessage));
                    return next(connection);
                });
            });
        });
        // A server stopped because its parent went away should not wait long for requests in flight.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(c => c.FormatterName = SafeConsoleFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<SafeConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);

        // Before anything is loaded or bound: a parent that is already gone is a start-up error.
        var parent = o.ParentProcessId is int parentId ? ParentProcessWatch.Open(parentId) : null;

        var embedders = o.Models.ToDictionary(m => m.Key, m => m.Value.CreateEmbedder(), StringComparer.Ordinal);
        var extractor = new FaceFeatureExtractor(embedders, o.DetectorModel, o.DetectorMinConfidence, o.MaxPixels);
        builder.Services.AddSingleton(extractor);
        var endpoints = new EndpointPath(o.Path, o.RecordRequests);
        // Each upload is held in memory while it is read, decoded and embedded: so many at once, so many waiting.
        var uploads = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentUploads,
            QueueLimit = o.MaxQueuedUploads,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        if (o.RateLimit > 0) builder.Services.AddRateLimiter(rl => ConfigureRateLimit(rl, o, endpoints));

        var app = builder.Build();
        var log = app.Logger;
        var recorded = o.RecordRequests ? new ConcurrentQueue<RecordedRequest>() : null;
        var modelSwitch = new ModelSwitch(o.FaultSwitchModelAfter);
        if (o.FaultSwitchModelAfter is int after) log.LogWarning("Test mode: after {After} extraction requests every model answers with other vectors.", after);

        foreach (var (name, e) in embedders) log.LogInformation("Serving model {Name}: {Description}", name, e.Description);
        log.LogInformation("Secondary detection: {Detector}", o.DetectorModel is null ? "off (whole upload is embedded)" : "YuNet " + Path.GetFileName(o.DetectorModel));
        log.LogInformation("Endpoint: POST {Path}; upload limit {Limit} bytes, {Concurrent} at once and {Queued} waiting; rate limit {Rate}", o.Path, o.MaxUploadBytes,
            o.MaxConcurrentUploads, o.MaxQueuedUploads, o.RateLimit > 0 ? $"{o.RateLimit}/s per client, burst {Burst(o)}" : "none");
        if (parent is not null) StopWithParent(app, parent);

        // One log line per request: method, path, status, time and model. Never file names or image content;
        // what the client chose (method, path, model) escaped and bounded.
        app.Use(async (ctx, next) =>
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await next();
            }
            finally
            {
                log.LogInformation("{Method} {Path} -> {Status} in {Ms:F0} ms{Model}", LogText.Safe(ctx.Request.Method), LogText.Safe(ctx.Request.Path.Value),
                    ctx.Response.StatusCode, watch.Elapsed.TotalMilliseconds, ctx.Items["model"] is string m ? $" (model {LogText.Safe(m)})" : "");
            }
        });
        if (o.RateLimit > 0) app.UseRateLimiter();
        if (o.FaultLatencyMs > 0 || o.FaultErrorRate > 0 || o.FaultDropRate > 0) app.Use(Faults(o, endpoints));

        // The dispatch: by the same decision the rate limiter and the faults took.
        app.Run(ctx => endpoints.Of(ctx) switch
        {
            ServerEndpoint.Extract when HttpMethods.IsPost(ctx.Request.Method) => Extract(ctx, extractor, o, uploads, recorded, modelSwitch),
            ServerEndpoint.Extract => MethodNotAllowed(ctx, "POST", $"Use POST on {o.Path}."),
            ServerEndpoint.RecordedRequests when HttpMethods.IsGet(ctx.Request.Method) => ctx.Response.WriteAsJsonAsync(recorded!.ToArray(), ctx.RequestAborted),
            ServerEndpoint.RecordedRequests => MethodNotAllowed(ctx, "GET", "Use GET on the list of recorded requests."),
            _ => Error(ctx, StatusCodes.Status404NotFound, "Not found."),
        });
        app.Lifetime.ApplicationStopped.Register(extractor.Dispose);
        app.Lifetime.ApplicationStopped.Register(uploads.Dispose);
        return app;
    }

    private static void StopWithParent(WebApplication app, ParentProcessWatch parent)
    {
        var log = app.Logger;
        log.LogInformation("Stops when process {Pid} exits ({Method}).", parent.ProcessId, parent.Method);
        app.Lifetime.ApplicationStopped.Register(parent.Dispose);
        parent.Start(() =>
        {
            log.LogWarning("The process {Pid} that started this server has exited: stopping, which frees the port.", parent.ProcessId);
            app.Lifetime.StopApplication();
            // Should stopping hang, leave anyway: the point is to let go of the port. (This thread is a background one,
            // so a normal stop ends it first.)
            Thread.Sleep(TimeSpan.FromSeconds(30));
            Environment.Exit(3);
        });
    }

    /// <summary>The message for an error the HTTP layer answered before the application ran (it gives no reason, only a status).</summary>
    public static string ProtocolErrorMessage(int status) => status switch
    {
        400 => "The request is not well-formed HTTP/1.1 (request line, a header, Content-Length or Transfer-Encoding). Send a multipart/form-data POST.",
        408 => "The request did not arrive in time.",
        411 => "The request has a body but no Content-Length: send one, or a chunked body.",
        413 => "The request is too large.",
        414 => $"The request line (method, path and query) is over the limit of {MaxRequestLineBytes} bytes.",
        431 => $"The request headers are over the limit of {MaxRequestHeaderBytes} bytes or {MaxRequestHeaderCount} headers.",
        500 => "The server failed to answer the request.",
        505 => "This HTTP version is not supported: send HTTP/1.1.",
        _ => $"The request was refused (HTTP {status}).",
    };

    private static Task<int> MethodNotAllowed(HttpContext ctx, string allow, string message)
    {
        ctx.Response.Headers.Allow = allow;
        return Error(ctx, StatusCodes.Status405MethodNotAllowed, message);
    }

    private sealed class DuplexPipe(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output) : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input { get; } = input;
        public System.IO.Pipelines.PipeWriter Output { get; } = output;
    }

    private static int Burst(ServerOptions o) => o.RateBurst > 0 ? o.RateBurst : Math.Max(1, (int)Math.Ceiling(o.RateLimit));

    private static void ConfigureRateLimit(Microsoft.AspNetCore.RateLimiting.RateLimiterOptions rl, ServerOptions o, EndpointPath endpoints)
    {
        // A token bucket per client address. Replenish in steps of about 100 ms (at least one token).
        int tokensPerPeriod = Math.Max(1, (int)Math.Round(o.RateLimit / 10));
        var period = TimeSpan.FromSeconds(tokensPerPeriod / o.RateLimit);
        // Only extraction requests count: a probe or a wrong path is answered without spending a token.
        rl.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
            endpoints.Of(ctx) != ServerEndpoint.Extract || !HttpMethods.IsPost(ctx.Request.Method)
                ? RateLimitPartition.GetNoLimiter("free")
                : RateLimitPartition.GetTokenBucketLimiter(ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Burst(o),
                    TokensPerPeriod = tokensPerPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        rl.OnRejected = async (context, cancellation) =>
        {
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : period;
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Error(context.HttpContext, StatusCodes.Status429TooManyRequests, $"Rate limit of {o.RateLimit} requests per second exceeded.");
        };
    }

    private static Func<HttpContext, Func<Task>, Task> Faults(ServerOptions o, EndpointPath endpoints)
    {
        var random = o.FaultSeed is int seed ? new Random(seed) : new Random();
        return async (ctx, next) =>
        {
            if (endpoints.Of(ctx) == ServerEndpoint.Extract && HttpMethods.IsPost(ctx.Request.Method))
            {
                if (o.FaultLatencyMs > 0)
                {
                    // Said in the answer (Server-Timing, the standard header for server-side time), so tests check the
                    // delay the server added without timing it.
                    ctx.Response.Headers.Append("Server-Timing", $"fault-latency;dur={o.FaultLatencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                    await Task.Delay(o.FaultLatencyMs, ctx.RequestAborted);
                }
                double draw;
                lock (random) draw = random.NextDouble();
                if (draw < o.FaultDropRate)
                {
                    ctx.Items["model"] = "(fault: connection dropped)";
                    ctx.Abort();
                    return;
                }
                if (draw < o.FaultDropRate + o.FaultErrorRate)
                {
                    await Error(ctx, StatusCodes.Status500InternalServerError, "Injected fault.");
                    return;
                }
            }
            await next();
        };
    }

    private static async Task Extract(HttpContext ctx, FaceFeatureExtractor extractor, ServerOptions o, ConcurrencyLimiter uploads, ConcurrentQueue<RecordedRequest>? recorded, ModelSwitch modelSwitch)
    {
        RateLimitLease place;
        try
        {
            place = await uploads.AcquireAsync(1, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client left while waiting
        }
        using (place)
        {
            if (!place.IsAcquired)
            {
                ctx.Response.Headers.RetryAfter = "1";
                await Error(ctx, StatusCodes.Status503ServiceUnavailable,
                    $"The server is busy: {o.MaxConcurrentUploads} uploads are being processed and {o.MaxQueuedUploads} wait. Try again shortly.");
                return;
            }
            await ExtractOne(ctx, extractor, o, recorded, modelSwitch);
        }
    }

    private static async Task ExtractOne(HttpContext ctx, FaceFeatureExtractor extractor, ServerOptions o, ConcurrentQueue<RecordedRequest>? recorded, ModelSwitch modelSwitch)
    {
        var parts = new List<RecordedPart>();
        byte[]? image = null;
        string? model = null;
        int status;
        try
        {
            (status, image, model) = await ReadForm(ctx, o, parts);
            if (status == 0) status = await Answer(ctx, extractor, image!, model!, modelSwitch);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            status = await TooLarge(ctx, o);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            if (ctx.RequestAborted.IsCancellationRequested) return;
            status = await Error(ctx, 408, "The upload arrived too slowly.");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            if (ctx.RequestAborted.IsCancellationRequested) return;
            status = await Error(ctx, 400, "The multipart/form-data body is malformed.");
        }
        if (recorded is not null)
        {
            recorded.Enqueue(new RecordedRequest(DateTimeOffset.UtcNow, ctx.Request.Method, Bounded(ctx.Request.ContentType?.Split(';')[0]), parts, model,
                image is null ? null : Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant(), status));
            while (recorded.Count > MaxRecorded) recorded.TryDequeue(out _);
        }
    }

    /// <summary>Reads the form as a stream, holding the image in memory only (never a temporary file).</summary>
    private static async Task<(int Status, byte[]? Image, string? Model)> ReadForm(HttpContext ctx, ServerOptions o, List<RecordedPart> parts)
    {
        if (!MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(mediaType.Boundary).Length == 0)
            return (await Error(ctx, 400, "Send multipart/form-data with a file part 'image' and a field 'model_name'."), null, null);
        if (ctx.Request.ContentLength > o.MaxUploadBytes + FormOverheadBytes)
            return (await TooLarge(ctx, o), null, null);

        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!, ctx.Request.Body)
        {
            HeadersLengthLimit = 16 * 1024,
            BodyLengthLimit = o.MaxUploadBytes + FormOverheadBytes,
        };
        byte[]? image = null;
        string? model = null;
        int count = 0;
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ctx.RequestAborted)) is not null)
        {
            if (++count > MaxFormParts)
                return (await Error(ctx, 400, $"The form has more than {MaxFormParts} parts: send a file part 'image' and a field 'model_name'."), null, null);
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || !cd.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                await section.Body.DrainAsync(ctx.RequestAborted);
                continue;
            }
            string name = HeaderUtilities.RemoveQuotes(cd.Name).Value ?? "";
            string? fileName = Bounded(cd.FileName.HasValue ? HeaderUtilities.RemoveQuotes(cd.FileName).Value : null);
            string? contentType = Bounded(section.ContentType);
            if (name is "image" or "model_name" && parts.Any(p => p.Name == name))
                return (await Error(ctx, 400, $"The form has more than one '{name}': send exactly one."), null, null);
            if (name == "image")
            {
                image = await ReadLimited(section.Body, o.MaxUploadBytes, ctx.RequestAborted);
                if (image is null)
                {
                    parts.Add(new RecordedPart(name, fileName, contentType, -1));
                    return (await TooLarge(ctx, o), null, null);
                }
                parts.Add(new RecordedPart(name, fileName, contentType, image.Length));
            }
            else if (name == "model_name")
            {
                var text = await ReadLimited(section.Body, MaxModelNameBytes, ctx.RequestAborted);
                if (text is null) return (await Error(ctx, 400, $"model_name is over the limit of {MaxModelNameBytes} bytes."), null, null);
                model = Encoding.UTF8.GetString(text).Trim();
                parts.Add(new RecordedPart(name, fileName, contentType, text.Length));
            }
            else
            {
                long length = await section.Body.DrainAsync(ctx.RequestAborted);
                parts.Add(new RecordedPart(Bounded(name)!, fileName, contentType, length));
            }
        }
        if (image is null) return (await Error(ctx, 400, "The form has no file part 'image'."), null, model);
        if (string.IsNullOrEmpty(model)) return (await Error(ctx, 400, "The form has no field 'model_name'."), image, model);
        return (0, image, model);
    }

    private static async Task<int> Answer(HttpContext ctx, FaceFeatureExtractor extractor, byte[] image, string model, ModelSwitch modelSwitch)
    {
        ctx.Items["model"] = model;
        if (!extractor.Serves(model))
            return await Error(ctx, 400, $"model_name '{LogText.Safe(model)}' is rejected: it is not on this server's list.");
        float[] feature;
        try
        {
            feature = extractor.Extract(image, model);
        }
        catch (FaceEvalException e) when (e.Error == FaceEvalError.ImageTooLarge)
        {
            return await Error(ctx, 413, "The image has more pixels than this server accepts.");
        }
        catch (FaceEvalException e) when (e.Error is FaceEvalError.EmptyFile or FaceEvalError.NotAnImage or FaceEvalError.CorruptImage)
        {
            return await Error(ctx, 400, "The image could not be decoded.");
        }
        await ctx.Response.WriteAsJsonAsync(new ExtractResponse(model, modelSwitch.Apply(feature)), ctx.RequestAborted);
        return StatusCodes.Status200OK;
    }

    /// <summary>Client text kept in test mode's record, cut to a bounded length.</summary>
    private static string? Bounded(string? text) => text is null || text.Length <= MaxRecordedText ? text : text[..MaxRecordedText] + "…";

    /// <summary>Reads a stream into memory; null when it is longer than the limit.</summary>
    private static async Task<byte[]?> ReadLimited(Stream body, long limit, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + n > limit) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static async Task<long> DrainAsync(this Stream body, CancellationToken cancellation)
    {
        var chunk = new byte[81920];
        long total = 0;
        int n;
        while ((n = await body.ReadAsync(chunk, cancellation)) > 0) total += n;
        return total;
    }

    /// <summary>Reads and discards the rest of the upload (bounded by Kestrel's limit), then answers 413.</summary>
    private static async Task<int> TooLarge(HttpContext ctx, ServerOptions o)
    {
        try
        {
            await ctx.Request.Body.DrainAsync(ctx.RequestAborted);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // Far over even the discard allowance: answer now; Kestrel closes the connection.
        }
        return await Error(ctx, 413, $"The upload is over the limit of {o.MaxUploadBytes} bytes.");
    }

    private static async Task<int> Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        await ctx.Response.WriteAsJsonAsync(new ErrorResponse(message), ctx.RequestAborted);
        return status;
    }
}
