using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using FaceEval.Core.Imaging;
using FaceEval.Core.IO;
using OpenCvSharp;

namespace FaceEval.Core.Service;

/// <summary>
/// Embeds items one by one through <see cref="EmbeddingClient"/>: reads the image, re-encodes non-PNG
/// input as PNG (unless sending as is), skips items an earlier run finished, checks that every vector
/// of a model has the same dimension, saves .npy files atomically and appends the manifest.
/// </summary>
public sealed class EmbeddingRunner
{
    private readonly EmbeddingClient _client;
    private readonly string _model;
    private readonly RunManifest? _manifest;
    private readonly bool _force;
    private readonly bool _sendAsIs;
    private readonly long _maxPixels;
    private readonly ConcurrentDictionary<string, int> _dimensions = new();

    public EmbeddingRunner(EmbeddingClient client, string model, RunManifest? manifest = null, bool force = false, bool sendAsIs = false, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        _client = client;
        _model = model;
        _manifest = manifest;
        _force = force;
        _sendAsIs = sendAsIs;
        _maxPixels = maxPixels;
        // Items of an earlier run embedded with this model: the model is served, so a refusal naming it is about one image.
        if (manifest is not null && manifest.Rows.Any(r => r.Status == RunManifest.StatusOk && r.Model == model)) client.RememberServed(model);
    }

    /// <summary>What to do about an input over the pixel limit, in the terms of Invoke-FaceEmbedding (the only command that runs this).</summary>
    private const string TooLargeHint = "it is decoded only to be re-encoded as PNG: send the file as it is with -SendAsIs, or crop the face from it with Get-FaceCrop first";

    private int _saved;

    /// <summary>Vectors this runner has saved and recorded so far (items finish out of input order).</summary>
    public int Saved => Volatile.Read(ref _saved);

    public async Task<EmbeddingOutcome> RunAsync(EmbeddingItem item, CancellationToken cancellation)
    {
        await Task.Yield(); // file reading and re-encoding run off the caller's thread
        cancellation.ThrowIfCancellationRequested();
        byte[] bytes;
        bool reencoded = false;
        try
        {
            (bytes, reencoded) = Prepare(item);
        }
        catch (FaceEvalException e)
        {
            return Fail(item, e, null, null, TimeSpan.Zero, reencoded);
        }

        string sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        if (item.NpyPath is not null && !_force && _manifest is not null && _manifest.IsDone(item.NpyPath, _model, sha))
            return new EmbeddingOutcome(item, Embedding(item, NpyFile.Read(item.NpyPath)[0], TimeSpan.Zero, 0, resumed: true), null, reencoded);

        var watch = Stopwatch.StartNew();
        var attempts = new EmbeddingAttempts();
        EmbeddingReply reply;
        string? npySha = null;
        try
        {
            reply = await _client.EmbedAsync(bytes, item.FileName, _model, cancellation, attempts).ConfigureAwait(false);
            // The first vector of the run fixes the dimension, or the last one saved in this folder by an
            // earlier run: a model whose vectors change length mid-evaluation is no longer the same model.
            int dimension = _dimensions.GetOrAdd(_model, m => _manifest?.LastDimension(m) ?? reply.Feature.Length);
            if (dimension != reply.Feature.Length)
                throw new FaceEvalException(FaceEvalError.DimensionMismatch,
                    $"The reply for '{item.FileName}' has {reply.Feature.Length} numbers, where earlier vectors of model '{_model}'{(_manifest is null ? "" : " in this folder")} have {dimension}: the model behind the name has changed. Vectors of both cannot be compared; embed into a new folder.", item.FileName);
            if (item.NpyPath is not null)
            {
                NpyFile.Write(item.NpyPath, reply.Feature);
                npySha = RunManifest.HashOf(item.NpyPath);
            }
        }
        catch (FaceEvalException e)
        {
            return Fail(item, e, sha, attempts, watch.Elapsed, reencoded);
        }
        try
        {
            _manifest?.Append(new ManifestRow
            {
                Source = item.FilePath ?? item.SourcePath, CropSha256 = sha, Model = _model, Status = RunManifest.StatusOk,
                Npy = item.NpyPath, NpySha256 = npySha, Dimension = reply.Feature.Length, ElapsedMs = reply.Elapsed.TotalMilliseconds, Attempts = reply.Attempts,
                // The labels are the user's own columns; one holding the endpoint (a ServerUrl column, say) is scrubbed like any text written.
                Attributes = item.Labels is { Count: > 0 } ? item.Labels.ToDictionary(l => l.Key, l => _client.Redactor.Scrub(l.Value), StringComparer.OrdinalIgnoreCase) : null,
                Started = attempts.FirstSent, LatencyMs = attempts.LastLatency?.TotalMilliseconds, RateWaitMs = attempts.RateWait.TotalMilliseconds, Throttled = attempts.Throttled, Statuses = attempts.Statuses.ToArray(),
                ConsentRef = Scrubbed(item.ConsentRef), Consent = ConsentOf(item),
            });
        }
        catch (FaceEvalException e)
        {
            return new EmbeddingOutcome(item, null, e, reencoded) { Attempts = reply.Attempts }; // the manifest cannot take the row: the run stops
        }
        if (item.NpyPath is not null) Interlocked.Increment(ref _saved);
        return new EmbeddingOutcome(item, Embedding(item, reply.Feature, reply.Elapsed, reply.Attempts, resumed: false, reply.Throttled), null, reencoded) { Attempts = reply.Attempts };
    }

    /// <summary>The bytes sent for an item: as read, or re-encoded as PNG from its decoded pixels when it is not PNG (unless sending as is).</summary>
    /// <exception cref="FaceEvalException">The file cannot be read or decoded.</exception>
    public (byte[] Bytes, bool Reencoded) Prepare(EmbeddingItem item)
    {
        byte[] bytes = item.Data ?? ImageDecoder.ReadFile(item.FilePath!);
        if (ImageHeader.IsPng(bytes) || _sendAsIs) return (bytes, false);
        using var image = ImageDecoder.Decode(bytes, item.FileName, _maxPixels, TooLargeHint);
        Cv2.ImEncode(".png", image, out bytes);
        return (bytes, true);
    }

    private EmbeddingOutcome Fail(EmbeddingItem item, FaceEvalException e, string? sha, EmbeddingAttempts? tally, TimeSpan elapsed, bool reencoded)
    {
        int attempts = tally?.Sent ?? 0;
        if (e.Error is not (FaceEvalError.ModelRejected or FaceEvalError.WriteFailed))
        {
            try
            {
                _manifest?.Append(new ManifestRow
            {
                Source = item.FilePath ?? item.SourcePath, CropSha256 = sha, Model = _model,
                Status = e.Error == FaceEvalError.NoFaceDetected ? RunManifest.StatusNoFace : RunManifest.StatusError,
                    ErrorId = e.Error.ToString(), Error = e.Message, Npy = item.NpyPath, ElapsedMs = elapsed.TotalMilliseconds, Attempts = attempts,
                    Started = tally?.FirstSent, LatencyMs = tally?.LastLatency?.TotalMilliseconds, RateWaitMs = tally?.RateWait.TotalMilliseconds, Throttled = tally?.Throttled, Statuses = tally?.Statuses.ToArray(),
                    ConsentRef = Scrubbed(item.ConsentRef), Consent = ConsentOf(item),
                });
            }
            catch (FaceEvalException written)
            {
                return new EmbeddingOutcome(item, null, written, reencoded) { Attempts = attempts };
            }
        }
        return new EmbeddingOutcome(item, null, e, reencoded) { Attempts = attempts };
    }

    private FaceEmbedding Embedding(EmbeddingItem item, float[] vector, TimeSpan elapsed, int attempts, bool resumed, int throttled = 0) => new()
    {
        SourcePath = item.SourcePath, Model = _model, Vector = vector, FaceIndex = item.FaceIndex, ImagePath = item.FilePath,
        NpyPath = item.NpyPath, Elapsed = elapsed, Attempts = attempts, Throttled = throttled, Resumed = resumed,
    };


    /// <summary>"given" or "none": whether the item was sent under a consent reference.</summary>
    internal static string ConsentOf(EmbeddingItem item) => string.IsNullOrWhiteSpace(item.ConsentRef) ? "none" : "given";

    /// <summary>A label as the manifest may hold it: never with the endpoint in it.</summary>
    private string? Scrubbed(string? text) => text is null ? null : _client.Redactor.Scrub(text);
}
