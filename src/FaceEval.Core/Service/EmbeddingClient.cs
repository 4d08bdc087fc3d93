using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
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
/// backoff and jitter (Polly), and on a 429 retries that request after the server's Retry-After (at most
/// <see cref="EmbeddingClientOptions.MaxRetryAfter"/>) while slowing the whole run to a learned pace (and
/// pausing every request when Retry-After is long).
/// </summary>
/// <remarks>
/// <para>Images go to the configured endpoint and nowhere else: redirects are never followed (a 3xx answer
/// stops the run with EndpointRedirected).</para>
/// <para>Every text that comes from the server (bodies, reason phrases, the model name of a reply) or from a
/// .NET exception passes <see cref="Redactor"/> before it reaches a message, and no exception is wrapped as
/// an inner exception: whatever leaves <see cref="EmbedAsync"/> is a <see cref="FaceEvalException"/> whose
/// text is scrubbed of the endpoint (or the caller's own cancellation).</para>
/// <para>Only evidence about the whole run stops it: nothing listening (EndpointUnreachable), a redirect
/// (EndpointRedirected), before any success a 405 or a 404 that says nothing of its own or echoes the
/// endpoint (EndpointRejected; a 404 with a message of its own needs a second image to confirm it), and a
/// model the server does not serve (ModelRejected: two different images refused with a text that names the
/// model, and no image ever embedded with it). A 4xx about one image fails that image only.</para>
/// </remarks>
public sealed class EmbeddingClient : IDisposable
{
    private const int MaxErrorText = 300;
    // Scrubbing and quoting look at no more of a reply than this (an error page can be megabytes).
    private const int MaxScannedText = 16 * 1024;

    /// <summary>A Retry-After at least this long pauses every request, not only the one refused.</summary>
    public static readonly TimeSpan LongRetryAfter = TimeSpan.FromSeconds(5);

    private readonly EmbeddingClientOptions _options;
    private readonly HttpClient _http;
    private readonly PriorityGate _inFlight;
    private long _started;
    private readonly RateLimiter? _rate;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConcurrentDictionary<string, FaceEvalException> _rejections = new(StringComparer.Ordinal);
    // Models the server has embedded an image with (this run, or an earlier one the caller knows of): never "rejected".
    private readonly ConcurrentDictionary<string, bool> _served = new(StringComparer.Ordinal);
    // The first image refused with a text naming the model, per model: a second, different image confirms the rejection.
    private readonly ConcurrentDictionary<string, string> _modelSuspects = new(StringComparer.Ordinal);
    // The first image answered 404 before any success: a second, different image confirms that the path is wrong.
    private string? _notFoundSuspect;
    // Set once the run is known to be misdirected (nothing listening, wrong path, a redirect): every request fails with it.
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

    /// <param name="options">The endpoint and how to talk to it.</param>
    /// <param name="handler">Tests only: the handler to send through (it then decides about redirects). By default a handler that never follows a redirect.</param>
    public EmbeddingClient(EmbeddingClientOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _time = options.TimeProvider;
        _pacer = new AdaptivePacer(_time);
        Redactor = new EndpointRedactor(options.Endpoint);
        // Certificate validation is never turned off: the default handler validates TLS. Redirects are not
        // followed: the image would go to a host nobody configured, and its reply would be saved as ours.
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
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
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(r => IsTransient(r.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(NextDelay(args.Outcome.Result, args.Context)),
                OnRetry = args =>
                {
                    var counts = args.Context.Properties.GetValue(s_attempts, new AttemptCounts());
                    bool throttled = args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests };
                    Retrying?.Invoke(new RetryScheduled(counts.FileName, args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode,
                        args.RetryDelay, counts.Tally.Sent - counts.Tally.Throttled, counts.StreakAtDecision,
                        throttled ? counts.RetryAfterAsked : null, throttled && counts.RetryAfterCapped));
                    // A long Retry-After means a quota is spent: everyone waits it out. A short one comes from
                    // a token bucket refilling as we speak: the pacer (told in the request itself) slows the whole run instead.
                    if (throttled && args.RetryDelay >= LongRetryAfter) PauseAll(args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        _pipeline = pipeline.AddTimeout(options.Timeout).Build();
    }

    public EndpointRedactor Redactor { get; }

    /// <summary>
    /// Raised for every retry the client decides on, before it waits: which attempt failed, how, and the delay
    /// chosen (for a 429, also what Retry-After asked and whether the delay was cut to
    /// <see cref="EmbeddingClientOptions.MaxRetryAfter"/>). Handlers run on the request's thread and must be quick.
    /// </summary>
    public event Action<RetryScheduled>? Retrying;

    /// <summary>How many 429 answers the run has had (every one, the last attempt of an item included).</summary>
    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>
    /// Tells the client that <paramref name="model"/> has embedded images before (an earlier run's manifest says so):
    /// a refusal that names it is then about that image, never a sign that the model is not served.
    /// </summary>
    public void RememberServed(string model) => _served[model] = true;

    /// <summary>Sends one image and returns its feature vector.</summary>
    /// <param name="image">The image bytes, sent as they are.</param>
    /// <param name="fileName">The file name sent in the form, and named in messages.</param>
    /// <param name="model">The model name sent in the form.</param>
    /// <param name="cancellation">Cancels the request; an <see cref="OperationCanceledException"/> is thrown.</param>
    /// <param name="attempts">Filled in with the requests sent and the 429 answers, also when the item fails.</param>
    /// <exception cref="FaceEvalException">
    /// Per item: NoFaceDetected, RequestRejected, ProtocolError, ServerUnavailable, RequestTimedOut or EmbeddingFailed.
    /// For the whole run: ModelRejected, EndpointUnreachable, EndpointRejected or EndpointRedirected.
    /// Messages never hold any part of the endpoint URL.
    /// </exception>
    public async Task<EmbeddingReply> EmbedAsync(byte[] image, string fileName, string model, CancellationToken cancellation, EmbeddingAttempts? attempts = null)
    {
        try
        {
            return await EmbedCoreAsync(image, fileName, model, attempts ?? new EmbeddingAttempts(), cancellation).ConfigureAwait(false);
        }
        catch (FaceEvalException e)
        {
            // Every message is scrubbed where it is made; this is the net under all of them.
            string message = Redactor.Scrub(e.Message);
            if (message == e.Message && e.InnerException is null) throw;
            throw new FaceEvalException(e.Error, message, e.Target);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Anything else a handler or the runtime throws: its message may carry the URI, so it is scrubbed and the exception itself dropped.
            throw new FaceEvalException(FaceEvalError.EmbeddingFailed,
                $"Sending '{fileName}' to {Redactor.Redacted} failed: {e.GetType().Name}: {ReplyText.Shorten(Redactor.Scrub(ReplyText.OneLine(e.Message)), MaxErrorText)}", fileName);
        }
    }

    private async Task<EmbeddingReply> EmbedCoreAsync(byte[] image, string fileName, string model, EmbeddingAttempts tally, CancellationToken cancellation)
    {
        long started = _time.GetTimestamp();
        // Items are served in the order they started, retries included (see PriorityGate).
        long order = Interlocked.Increment(ref _started);
        HttpResponseMessage response;
        var context = ResilienceContextPool.Shared.Get(cancellation);
        var counts = new AttemptCounts { FileName = fileName, Tally = tally };
        context.Properties.Set(s_attempts, counts);
        try
        {
            response = await _pipeline.ExecuteAsync(async context =>
            {
                var ct = context.CancellationToken;
                ThrowIfRejected(model);
                await _inFlight.WaitAsync(order, ct).ConfigureAwait(false);
                try
                {
                    // Inside the slot, so that requests queued for a slot while a 429 pause began wait it out too.
                    ThrowIfRejected(model);
                    // Time spent held back for the rate (a 429 pause, the learned pace, the client's own limit): the service account reports it.
                    long waitStarted = _time.GetTimestamp();
                    await WaitForPause(ct).ConfigureAwait(false);
                    long sentAt = await _pacer.WaitTurnAsync(ct).ConfigureAwait(false);
                    using var lease = _rate is null ? null : await _rate.AcquireAsync(1, ct).ConfigureAwait(false);
                    tally.AddRateWait(_time.GetElapsedTime(waitStarted));
                    using var form = Form(image, fileName, model);
                    HttpResponseMessage answer;
                    tally.CountSent(_time.GetUtcNow());
                    long postStarted = _time.GetTimestamp();
                    try
                    {
                        // The whole body is read here (HttpClient buffers it), so a connection lost mid-body is retried too.
                        answer = await _http.PostAsync(_options.Endpoint, form, ct).ConfigureAwait(false);
                        tally.LastLatency = _time.GetElapsedTime(postStarted);
                        tally.Answered((int)answer.StatusCode);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
                    {
                        tally.LastLatency = _time.GetElapsedTime(postStarted);
                        tally.Answered(0);
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
                    // A redirect ends the run: latch it before the slot is released, so no request queued behind
                    // this one goes out in the moment before the answer is read.
                    if ((int)answer.StatusCode is >= 300 and < 400) Fatal(Redirected((int)answer.StatusCode, fileName));
                    if (answer.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        tally.CountThrottled();
                        Interlocked.Increment(ref _throttled); // here, not when a retry is scheduled: the last attempt's 429 counts too
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
                $"No answer from {Redactor.Redacted} within {_options.Timeout.TotalSeconds:F0} s, {tally.Sent} attempt(s).", fileName);
        }
        catch (HttpRequestException e)
        {
            throw new FaceEvalException(FaceEvalError.ServerUnavailable,
                $"Could not reach {Redactor.Redacted} after {tally.Sent} attempt(s): {Describe(e)}.", fileName);
        }
        catch (IOException e)
        {
            throw new FaceEvalException(FaceEvalError.ServerUnavailable,
                $"Could not reach {Redactor.Redacted} after {tally.Sent} attempt(s): the connection failed ({e.GetType().Name}).", fileName);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        using (response)
        {
            // Bytes, decoded here: a charset in the header that .NET does not know must not end the run.
            byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            string body = ReplyText.Decode(bytes, response.Content.Headers);
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                var feature = ParseFeature(body, status, model, fileName, response.Content.Headers);
                Volatile.Write(ref _succeeded, 1);
                _served[model] = true;
                if (feature.Length == 0)
                    throw new FaceEvalException(FaceEvalError.NoFaceDetected, $"The server found no face in '{fileName}' (empty feature): counted as a failure to enrol.", fileName);
                return new EmbeddingReply(feature, tally.Sent, tally.Throttled, _time.GetElapsedTime(started));
            }
            if (status is >= 300 and < 400)
                throw Fatal(Redirected(status, fileName)); // (latched already, inside the slot)

            string raw = ReplyText.ErrorText(body.Length > MaxScannedText ? body[..MaxScannedText] : body, ReplyText.MediaType(response.Content.Headers));
            string error = ReplyText.Shorten(Redactor.Scrub(raw), MaxErrorText);
            string reason = ReplyText.Shorten(Redactor.Scrub(ReplyText.OneLine(response.ReasonPhrase)), 80);
            string answered = reason.Length > 0 ? $"{status} {reason}" : status.ToString();
            if (IsTransient(response.StatusCode))
                throw new FaceEvalException(FaceEvalError.ServerUnavailable, $"{Redactor.Redacted} answered {answered} after {tally.Sent} attempt(s): {error}".TrimEnd(' ', ':'), fileName);

            if (NamesTheModel(raw, model, fileName))
            {
                if (!_served.ContainsKey(model) && _modelSuspects.GetOrAdd(model, Fingerprint(image)) != Fingerprint(image))
                {
                    var rejected = new FaceEvalException(FaceEvalError.ModelRejected,
                        $"The server rejected the model name '{model}' ({answered}: {error}), for two different images and none embedded with it. Check -Model against the models your account may use.", model);
                    _rejections[model] = rejected;
                    throw rejected;
                }
                throw new FaceEvalException(FaceEvalError.RequestRejected, $"The server refused '{fileName}' ({answered}): {error}".TrimEnd(' ', ':'), fileName);
            }
            // No such path or method before any success: every request would get the same. Say what to check, once.
            if (status is 404 or 405 && Volatile.Read(ref _succeeded) == 0)
            {
                // A 405, or a 404 that says nothing of its own (empty, "Not Found", a server's HTML page) or echoes the URL
                // ("Cannot POST /path"), is about the URL. A 404 with a message of its own may be about the image (some
                // services answer "no face found" so): it is, when the model has embedded images before (an earlier run);
                // otherwise a second, different image answered so confirms that the URL is wrong.
                bool aboutTheUrl = status == 405 || IsGenericNotFound(raw, body, response) || Redactor.Scrub(raw) != raw ||
                    (!_served.ContainsKey(model) && Interlocked.CompareExchange(ref _notFoundSuspect, Fingerprint(image), null) is { } first && first != Fingerprint(image));
                if (aboutTheUrl)
                    throw Fatal(new FaceEvalException(FaceEvalError.EndpointRejected,
                        $"{Redactor.Redacted} answered {answered} to '{fileName}' before any request succeeded: the URL's path is probably wrong (the reference server answers POST on /extract). {error}".TrimEnd(), fileName));
            }
            throw new FaceEvalException(FaceEvalError.RequestRejected, $"The server refused '{fileName}' ({answered}): {error}".TrimEnd(' ', ':'), fileName);
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

    /// <summary>The run-ending error for a redirect. Nothing of the answer is quoted: its Location, reason phrase and body name the other URL.</summary>
    private FaceEvalException Redirected(int status, string fileName) =>
        new(FaceEvalError.EndpointRedirected,
            $"{Redactor.Redacted} answered {status}, a redirect, to '{fileName}'. FaceEval sends images only to the URL it was given and never follows a redirect, " +
            "so the run stops: every item would get the same answer. Ask the service for the URL it answers at (https:// for http://, another host or path) and give that one with -ServerUrl or $env:FACEEVAL_SERVER_URL.", fileName);

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

    /// <summary>
    /// True when a refusal's text is about the model: it names the model (as a word of its own, not inside a
    /// file name) and says "model" besides. The image's own file name is taken out first. This is how the
    /// protocol refuses a model that is not on the list (<c>model_name 'x' is rejected: ...</c>); a text that
    /// only says "rejected" is about the image. Whether the model is really not served is decided by the caller
    /// from more than one image.
    /// </summary>
    private bool NamesTheModel(string text, string model, string fileName)
    {
        if (model.Length == 0) return false;
        text = text.Replace(fileName, " ", StringComparison.OrdinalIgnoreCase);
        text = Redactor.Scrub(text); // a path that holds the model name is about the URL
        var name = new Regex($@"(?<![\p{{L}}\p{{N}}_.\-]){Regex.Escape(model)}(?![\p{{L}}\p{{N}}_\-]|\.[\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!name.IsMatch(text)) return false;
        return name.Replace(text, " ").Contains("model", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly Regex s_notFound = new(@"^\W*(404\W*)?(not\s*found|no\s*route|resource\s*not\s*found|page\s*not\s*found|route\s*not\s*found)\W*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>A 404 that says nothing but "not found": no body, a server's HTML page, the reason phrase, or "Not Found" in some words.</summary>
    private static bool IsGenericNotFound(string text, string body, HttpResponseMessage response) =>
        text.Length == 0 || body.TrimStart().StartsWith('<') || ReplyText.MediaType(response.Content.Headers) is "text/html" or "application/xhtml+xml" ||
        string.Equals(text, ReplyText.OneLine(response.ReasonPhrase), StringComparison.OrdinalIgnoreCase) || s_notFound.IsMatch(text);

    private static string Fingerprint(byte[] image) => Convert.ToHexString(SHA256.HashData(image));

    /// <summary>
    /// How long to wait before the next attempt: a 429's Retry-After as the server asks, up to
    /// <see cref="EmbeddingClientOptions.MaxRetryAfter"/>; otherwise <see cref="RetryBackoff"/> over this
    /// request's own failures (429s do not count) capped by the run's current streak of failed answers.
    /// </summary>
    private TimeSpan NextDelay(HttpResponseMessage? response, ResilienceContext context)
    {
        var counts = context.Properties.GetValue(s_attempts, new AttemptCounts());
        int streak = Volatile.Read(ref _failureStreak);
        counts.StreakAtDecision = streak;
        counts.RetryAfterAsked = null;
        counts.RetryAfterCapped = false;
        if (response is { StatusCode: HttpStatusCode.TooManyRequests } && RetryAfter(response) is { } asked)
        {
            counts.RetryAfterAsked = asked;
            var max = _options.MaxRetryAfter < TimeSpan.Zero ? TimeSpan.Zero : _options.MaxRetryAfter;
            if (asked <= max) return asked < TimeSpan.Zero ? TimeSpan.Zero : asked;
            counts.RetryAfterCapped = true;
            return max;
        }
        return RetryBackoff.Delay(_options.BaseDelay, _options.MaxDelay, counts.Tally.Sent - counts.Tally.Throttled, streak, Random.Shared.NextDouble());
    }

    /// <summary>What Retry-After asks for: its seconds, or its HTTP date less the current time (negative when past); null without one.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header;
        try { header = response.Headers.RetryAfter; }
        catch (FormatException) { return null; }
        return header?.Delta ?? (header?.Date is DateTimeOffset date ? date - _time.GetUtcNow() : null);
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

    private static readonly Regex s_namedNumber = new(@"(?<![\p{L}\p{N}_""])-?(NaN|Infinity)(?![\p{L}\p{N}_""])", RegexOptions.CultureInvariant);

    /// <summary>
    /// The feature vector of a reply, which must be exactly <c>{"model_name": the model asked for, "feature": [finite numbers]}</c>
    /// (other members are ignored; neither of these two may appear twice). An empty list is returned as it is (no face).
    /// </summary>
    private float[] ParseFeature(string body, int status, string model, string fileName, HttpContentHeaders headers)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            if (body.Trim().Length == 0) throw Protocol(fileName, $"the {status} reply is empty, not JSON");
            if (s_namedNumber.IsMatch(body)) throw Protocol(fileName, "the reply is not valid JSON: it holds NaN or Infinity, which JSON has no numbers for (and no embedding holds)");
            string media = ReplyText.MediaType(headers) is { } m ? $"{m}, " : "";
            throw Protocol(fileName, $"the reply is not JSON ({media}{(e.LineNumber is long line ? $"line {line + 1}, " : "")}byte {e.BytePositionInLine ?? 0})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Protocol(fileName, $"the reply is {Kind(root)}, not a JSON object with 'model_name' and 'feature'");
            foreach (var member in new[] { "model_name", "feature" })
                if (root.EnumerateObject().Count(p => p.NameEquals(member)) > 1)
                    throw Protocol(fileName, $"the reply has '{member}' more than once");

            if (!root.TryGetProperty("model_name", out var name))
                throw Protocol(fileName, $"the reply has no model_name (it must be \"{model}\")");
            if (name.ValueKind != JsonValueKind.String)
                throw Protocol(fileName, $"the reply's model_name is {Kind(name)}, not the string '{model}'");
            if (name.GetString() is var said && !string.Equals(said, model, StringComparison.Ordinal))
                throw Protocol(fileName, $"the reply's model_name is '{ReplyText.Shorten(Redactor.Scrub(ReplyText.OneLine(said)), 100)}', not '{model}'");

            if (!root.TryGetProperty("feature", out var feature))
                throw Protocol(fileName, "the reply has no 'feature' list");
            if (feature.ValueKind != JsonValueKind.Array)
                throw Protocol(fileName, $"the reply's 'feature' is {Kind(feature)}, not a list of numbers");
            var vector = new float[feature.GetArrayLength()];
            int i = 0;
            foreach (var item in feature.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number)
                    throw Protocol(fileName, $"feature[{i}] is {Kind(item)}, not a number");
                if (!item.TryGetDouble(out double d) || !double.IsFinite(d) || !float.IsFinite((float)d))
                    throw Protocol(fileName, $"feature[{i}] is not a finite 32-bit number");
                vector[i++] = (float)d;
            }
            return vector;
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static FaceEvalException Protocol(string fileName, string why) =>
        new(FaceEvalError.ProtocolError, $"The server's reply for '{fileName}' breaks the protocol: {why}.", fileName);

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
        public EmbeddingAttempts Tally = new();
        // The run's failure streak when the last retry delay was chosen, for the Retrying event.
        public int StreakAtDecision;
        // What the last 429's Retry-After asked for, and whether the delay was cut to the bound.
        public TimeSpan? RetryAfterAsked;
        public bool RetryAfterCapped;
    }

    public void Dispose()
    {
        _http.Dispose();
        _rate?.Dispose();
    }
}
