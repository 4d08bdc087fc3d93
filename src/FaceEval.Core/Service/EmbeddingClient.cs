using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.RateLimiting;
using FaceEval.Core.Concurrency;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FaceEval.Core.Service;

/// <summary>
/// The protocol client: one multipart POST per image (file part <c>image</c>, field <c>model_name</c>),
/// exactly as the evaluation guide's client sends it. Shares one HttpClient, bounds the requests in
/// flight, keeps an optional client-side rate, retries transient failures with capped exponential
/// backoff and jitter (Polly), and on a 429 retries that request after the server's Retry-After while
/// slowing the whole run to a learned pace (and pausing every request when Retry-After is long).
/// Every message it raises has the endpoint scrubbed out.
/// </summary>
public sealed class EmbeddingClient : IDisposable
{
    private const int MaxErrorText = 300;
    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromMinutes(10);

    /// <summary>A Retry-After at least this long pauses every request, not only the one refused.</summary>
    public static readonly TimeSpan LongRetryAfter = TimeSpan.FromSeconds(5);

    private readonly EmbeddingClientOptions _options;
    private readonly HttpClient _http;
    private readonly PriorityGate _inFlight;
    private long _started;
    private readonly RateLimiter? _rate;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FaceEvalException> _rejections = new(StringComparer.Ordinal);
    // Set once the run is known to be misdirected (nothing listening, wrong path): every request fails with it.
    private FaceEvalException? _fatal;
    private int _answered, _succeeded, _refusedBeforeAnswer;

    /// <summary>Refused connections, before anything ever answered, after which the run stops (EndpointUnreachable).</summary>
    public const int RefusalsBeforeGivingUp = 3;
    private readonly AdaptivePacer _pacer;
    private readonly TimeProvider _time;
    private static readonly ResiliencePropertyKey<AttemptCounts> s_attempts = new("FaceEval.Attempts");
    private long _pausedUntilTicks;
    private int _throttled;
    // Answers in a row, over the whole run, that were failures (5xx, 408, no connection); any other answer ends the streak.
    private int _failureStreak;

    public EmbeddingClient(EmbeddingClientOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = options.TimeProvider;
        _pacer = new AdaptivePacer(_time);
        Redactor = new EndpointRedactor(options.Endpoint);
        // Certificate validation is never turned off: the default handler validates TLS.
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // per attempt, by the pipeline below
        _inFlight = new PriorityGate(options.MaxConcurrency);
        if (options.RequestsPerSecond > 0)
        {
            int perPeriod = Math.Max(1, (int)Math.Round(options.RequestsPerSecond / 10));
            _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, (int)Math.Ceiling(options.RequestsPerSecond)),
                TokensPerPeriod = perPeriod,
                ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / options.RequestsPerSecond),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (options.MaxRetries > 0) // Polly wants at least one retry; none means no retry strategy at all
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(NextDelay(args.Outcome.Result, args.Context)),
                OnRetry = args =>
                {
                    var counts = args.Context.Properties.GetValue(s_attempts, new AttemptCounts());
                    Retrying?.Invoke(new RetryScheduled(counts.FileName, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode,
                        args.RetryDelay, counts.Sent - counts.Throttled, counts.StreakAtDecision));
                    if (args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests })
                    {
                        Interlocked.Increment(ref _throttled);
                        // A long Retry-After means a quota is spent: everyone waits it out. A short one comes from
                        // a token bucket refilling as we speak: the pacer (told in the request itself) slows the whole run instead.
                        if (args.RetryDelay >= LongRetryAfter) PauseAll(args.RetryDelay);
                    }
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        _pipeline = pipeline.AddTimeout(options.Timeout).Build();
    }

    public EndpointRedactor Redactor { get; }

    /// <summary>
    /// Raised for every retry the client decides on, before it waits: which attempt failed, how, and the delay
    /// chosen. Handlers run on the request's thread and must be quick.
    /// </summary>
    public event Action<RetryScheduled>? Retrying;

    /// <summary>How many 429 answers the run has had.</summary>
    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>Sends one image and returns its feature vector.</summary>
    /// <exception cref="FaceEvalException">NoFaceDetected, ModelRejected, RequestRejected, ProtocolError, ServerUnavailable or RequestTimedOut.</exception>
    public async Task<EmbeddingReply> EmbedAsync(byte[] image, string fileName, string model, CancellationToken cancellation)
    {
        long started = _time.GetTimestamp();
        // Items are served in the order they started, retries included (see PriorityGate).
        long order = Interlocked.Increment(ref _started);
        HttpResponseMessage response;
        var context = ResilienceContextPool.Shared.Get(cancellation);
        var counts = new AttemptCounts { FileName = fileName };
        context.Properties.Set(s_attempts, counts);
        try
        {
            response = await _pipeline.ExecuteAsync(async context =>
            {
                var ct = context.CancellationToken;
                ThrowIfRejected(model);
                counts.Sent++;
                await _inFlight.WaitAsync(order, ct).ConfigureAwait(false);
                try
                {
                    // Inside the slot, so that requests queued for a slot while a 429 pause began wait it out too.
                    ThrowIfRejected(model);
                    await WaitForPause(ct).ConfigureAwait(false);
                    long sentAt = await _pacer.WaitTurnAsync(ct).ConfigureAwait(false);
                    using var lease = _rate is null ? null : await _rate.AcquireAsync(1, ct).ConfigureAwait(false);
                    using var form = Form(image, fileName, model);
                    HttpResponseMessage answer;
                    try
                    {
                        answer = await _http.PostAsync(_options.Endpoint, form, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
                    {
                        Interlocked.Increment(ref _failureStreak); // no connection, or this attempt timed out
                        // Refused again and again before anything ever answered: nothing is listening there. Stop the run
                        // at once instead of retrying every item (a mistyped port, a server that is not running).
                        if (e is HttpRequestException h && IsRefusal(h) && Volatile.Read(ref _answered) == 0
                            && Interlocked.Increment(ref _refusedBeforeAnswer) >= RefusalsBeforeGivingUp)
                            throw Fatal(new FaceEvalException(FaceEvalError.EndpointUnreachable,
                                $"Nothing answers at {Redactor.Redacted}: its first {RefusalsBeforeGivingUp} connections were refused. Check that the server is running and that the URL's host and port are right.", fileName));
                        throw;
                    }
                    Volatile.Write(ref _answered, 1);
                    if (answer.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        counts.Throttled++;
                        _pacer.Throttled(sentAt);
                    }
                    else if (IsTransient(answer.StatusCode)) Interlocked.Increment(ref _failureStreak);
                    else Volatile.Write(ref _failureStreak, 0);
                    return answer;
                }
                finally
                {
                    _inFlight.Release();
                }
            }, context).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException)
        {
            throw new FaceEvalException(FaceEvalError.RequestTimedOut,
                $"No answer from {Redactor.Redacted} within {_options.Timeout.TotalSeconds:F0} s, {counts.Sent} attempt(s).", fileName);
        }
        catch (HttpRequestException e)
        {
            throw new FaceEvalException(FaceEvalError.ServerUnavailable,
                $"Could not reach {Redactor.Redacted} after {counts.Sent} attempt(s): {Describe(e)}.", fileName);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status == 200)
            {
                Volatile.Write(ref _succeeded, 1);
                return new EmbeddingReply(ParseFeature(body, model, fileName), counts.Sent, counts.Throttled, _time.GetElapsedTime(started));
            }
            string error = Redactor.Scrub(ErrorText(body));
            if (IsTransient(response.StatusCode))
                throw new FaceEvalException(FaceEvalError.ServerUnavailable, $"{Redactor.Redacted} answered {status} after {counts.Sent} attempt(s): {error}", fileName);
            // No such path or method before any success: every request would get the same. Say what to check, once.
            if (status is 404 or 405 && Volatile.Read(ref _succeeded) == 0)
                throw Fatal(new FaceEvalException(FaceEvalError.EndpointRejected,
                    $"{Redactor.Redacted} answered {status} ({response.ReasonPhrase}) to '{fileName}' before any request succeeded: the URL's path is probably wrong (the reference server answers POST on /extract). {error}".TrimEnd(), fileName));
            if (IsModelRejection(status, error, model))
            {
                var rejected = new FaceEvalException(FaceEvalError.ModelRejected, $"The server rejected the model name '{model}' ({status}: {error}). Check -Model against the models your account may use.", model);
                _rejections[model] = rejected;
                throw rejected;
            }
            throw new FaceEvalException(FaceEvalError.RequestRejected, $"The server refused '{fileName}' ({status}): {error}", fileName);
        }
    }

    /// <summary>The multipart form the guide's client sends: files={"image": (name, f, "application/octet-stream")}, data={"model_name": m}.</summary>
    public static MultipartFormDataContent Form(byte[] image, string fileName, string model)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        form.Add(new StringContent(model), "model_name");
        return form;
    }

    /// <summary>Records a run-ending error (the first one wins) and returns the one in force.</summary>
    private FaceEvalException Fatal(FaceEvalException e)
    {
        Interlocked.CompareExchange(ref _fatal, e, null);
        return _fatal!;
    }

    private static bool IsRefusal(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused }) return true;
        return e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
    }

    /// <summary>Once a model is rejected, every later request for it would be too: none is sent.</summary>
    private void ThrowIfRejected(string model)
    {
        if (Volatile.Read(ref _fatal) is { } fatal) throw fatal;
        if (_rejections.TryGetValue(model, out var rejected)) throw rejected;
    }

    private static bool IsTransient(HttpStatusCode code) => code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)code >= 500;

    /// <summary>A 4xx that names the model (or says "rejected") means every item would fail the same way.</summary>
    private static bool IsModelRejection(int status, string error, string model) =>
        status is >= 400 and < 500 && status is not (408 or 413 or 429) &&
        (error.Contains("reject", StringComparison.OrdinalIgnoreCase) ||
         (error.Contains("model", StringComparison.OrdinalIgnoreCase) && error.Contains(model, StringComparison.Ordinal)));

    /// <summary>
    /// How long to wait before the next attempt: a 429's Retry-After as the server asks; otherwise
    /// <see cref="RetryBackoff"/> over this request's own failures (429s do not count) capped by the run's current
    /// streak of failed answers.
    /// </summary>
    private TimeSpan NextDelay(HttpResponseMessage? response, ResilienceContext context)
    {
        var counts = context.Properties.GetValue(s_attempts, new AttemptCounts { Sent = 1 });
        int streak = Volatile.Read(ref _failureStreak);
        counts.StreakAtDecision = streak;
        if (response is { StatusCode: HttpStatusCode.TooManyRequests } && RetryAfter(response) is { } asked) return asked;
        return RetryBackoff.Delay(_options.BaseDelay, _options.MaxDelay, counts.Sent - counts.Throttled, streak, Random.Shared.NextDouble());
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is DateTimeOffset date ? date - _time.GetUtcNow() : null);
        if (wait is null) return null; // Polly's exponential backoff with jitter
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > s_maxRetryAfter ? s_maxRetryAfter : wait;
    }

    private void PauseAll(TimeSpan delay)
    {
        long until = _time.GetUtcNow().UtcDateTime.Add(delay).Ticks;
        long seen;
        while ((seen = Interlocked.Read(ref _pausedUntilTicks)) < until && Interlocked.CompareExchange(ref _pausedUntilTicks, until, seen) != seen) { }
    }

    private async Task WaitForPause(CancellationToken cancellation)
    {
        while (true)
        {
            var wait = new DateTime(Interlocked.Read(ref _pausedUntilTicks), DateTimeKind.Utc) - _time.GetUtcNow().UtcDateTime;
            if (wait <= TimeSpan.Zero) return;
            await Task.Delay(wait, _time, cancellation).ConfigureAwait(false);
        }
    }

    private float[] ParseFeature(string body, string model, string fileName)
    {
        JsonElement feature;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("feature", out feature) || feature.ValueKind != JsonValueKind.Array)
                throw Protocol(fileName, "the reply has no 'feature' list");
            if (doc.RootElement.TryGetProperty("model_name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() != model)
                throw Protocol(fileName, $"the reply is for model '{name.GetString()}', not '{model}'");
            var vector = new float[feature.GetArrayLength()];
            int i = 0;
            foreach (var item in feature.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double d) || !double.IsFinite(d) || !float.IsFinite((float)d))
                    throw Protocol(fileName, $"feature[{i}] is not a finite number");
                vector[i++] = (float)d;
            }
            if (vector.Length == 0)
                throw new FaceEvalException(FaceEvalError.NoFaceDetected, $"The server found no face in '{fileName}' (empty feature): counted as a failure to enrol.", fileName);
            return vector;
        }
        catch (JsonException)
        {
            throw Protocol(fileName, "the reply is not JSON");
        }
    }

    private static FaceEvalException Protocol(string fileName, string why) =>
        new(FaceEvalError.ProtocolError, $"The server's reply for '{fileName}' breaks the protocol: {why}.", fileName);

    private static string ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                body = e.GetString() ?? "";
        }
        catch (JsonException) { }
        body = body.Trim();
        return body.Length > MaxErrorText ? body[..MaxErrorText] + "..." : body;
    }

    /// <summary>What went wrong on the wire, from the exception's type and socket error only: raw messages can carry the host.</summary>
    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is SocketException s) return $"connection failed ({s.SocketErrorCode})";
        return e.HttpRequestError switch
        {
            HttpRequestError.Unknown => "the request failed",
            var kind => $"the request failed ({kind})",
        };
    }

    /// <summary>One request's attempts so far, shared by its callback and the retry delay through Polly's context.</summary>
    private sealed class AttemptCounts
    {
        public string FileName = "";
        public int Sent;
        public int Throttled;
        // The run's failure streak when the last retry delay was chosen, for the Retrying event.
        public int StreakAtDecision;
    }

    public void Dispose()
    {
        _http.Dispose();
        _rate?.Dispose();
    }
}
