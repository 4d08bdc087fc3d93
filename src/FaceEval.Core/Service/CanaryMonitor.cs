namespace FaceEval.Core.Service;

/// <summary>
/// Drift canaries: a few fixed images embedded at the start of a run, again every so many items and at the end,
/// through the run's own client (so they count against the rate limit), outside the run's output. Each later
/// embedding is compared with the canary's first one: a cosine below 1 − <see cref="ServiceAccount.CanaryTolerance"/>,
/// another dimension, no face where there was one, or a reply refused as a protocol error (a changed
/// model_name) is drift. Every canary request is a manifest row (Kind "canary") with its cosine, so the service
/// account (<see cref="ServiceAccount"/>) can report it.
/// </summary>
public sealed class CanaryMonitor
{
    private readonly EmbeddingClient _client;
    private readonly string _model;
    private readonly RunManifest? _manifest;
    private readonly List<(string Source, string FileName, byte[] Bytes)> _canaries = new();
    private readonly Dictionary<string, float[]> _reference = new(StringComparer.Ordinal);
    private int _checks;

    public CanaryMonitor(EmbeddingClient client, string model, RunManifest? manifest)
    {
        _client = client;
        _model = model;
        _manifest = manifest;
    }

    /// <summary>Canaries held.</summary>
    public int Count => _canaries.Count;

    /// <summary>True once the reference embeddings were taken.</summary>
    public bool Started { get; private set; }

    /// <summary>Checks run after the start.</summary>
    public int Checks => _checks;

    /// <summary>The lowest cosine to a first embedding seen so far; NaN before any check.</summary>
    public double LowestCosine { get; private set; } = double.NaN;

    /// <summary>Adds a canary (before the start): its source (for the manifest), the file name sent and the bytes sent.</summary>
    public void Add(string source, string fileName, byte[] bytes)
    {
        if (Started) throw new InvalidOperationException("Canaries are added before their first embedding.");
        _canaries.Add((source, fileName, bytes));
    }

    /// <summary>
    /// Embeds every canary: at "start" the reference embeddings, later a check against them. Returns what
    /// drifted (empty when nothing did, and always at the start). A canary whose request fails for another
    /// reason (the service unavailable) is recorded as such and is not drift.
    /// </summary>
    /// <param name="phase">"start", "interval" or "end".</param>
    /// <param name="cancellation">Stops the check (the run was stopped).</param>
    public async Task<IReadOnlyList<string>> CheckAsync(string phase, CancellationToken cancellation)
    {
        bool start = !Started;
        if (start) phase = "start";
        else _checks++;
        var drift = new List<string>();
        foreach (var (source, fileName, bytes) in _canaries)
        {
            var attempts = new EmbeddingAttempts();
            float[]? vector = null;
            FaceEvalException? error = null;
            try
            {
                vector = (await _client.EmbedAsync(bytes, fileName, _model, cancellation, attempts).ConfigureAwait(false)).Feature;
            }
            catch (FaceEvalException e) when (e.Error == FaceEvalError.NoFaceDetected)
            {
                vector = Array.Empty<float>();
                error = e;
            }
            catch (FaceEvalException e) when (e.Error is not (FaceEvalError.ModelRejected or FaceEvalError.EndpointUnreachable or FaceEvalError.EndpointRejected or FaceEvalError.EndpointRedirected))
            {
                error = e;
            }
            double? cosine = null;
            if (start)
            {
                if (vector is not null) _reference[source] = vector;
            }
            else if (_reference.TryGetValue(source, out var reference))
            {
                if (vector is not null)
                {
                    cosine = Cosine(reference, vector);
                    if (vector.Length != reference.Length) drift.Add($"a canary's vector has {vector.Length} numbers, its first had {reference.Length}");
                    else if (!(cosine >= 1 - ServiceAccount.CanaryTolerance)) drift.Add($"a canary's cosine to its first embedding is {cosine:0.000000}");
                    if (cosine is double c && !double.IsNaN(c)) LowestCosine = double.IsNaN(LowestCosine) ? c : Math.Min(LowestCosine, c);
                }
                else if (error?.Error == FaceEvalError.ProtocolError)
                    drift.Add("a canary's reply broke the protocol (a changed model_name?): " + error.Message);
            }
            _manifest?.Append(new ManifestRow
            {
                Source = source, Model = _model, Kind = ManifestRow.CanaryKind, CanaryPhase = phase,
                Status = error is null ? RunManifest.StatusOk : error.Error == FaceEvalError.NoFaceDetected ? RunManifest.StatusNoFace : RunManifest.StatusError,
                ErrorId = error?.Error.ToString(), Error = error?.Message,
                Dimension = vector?.Length, CanaryCosine = cosine is double x && !double.IsNaN(x) ? x : null,
                Attempts = attempts.Sent, Started = attempts.FirstSent, LatencyMs = attempts.LastLatency?.TotalMilliseconds,
                RateWaitMs = attempts.RateWait.TotalMilliseconds, Throttled = attempts.Throttled, Statuses = attempts.Statuses.ToArray(),
            });
        }
        Started = true;
        return drift;
    }

    /// <summary>The cosine of two vectors, in double; NaN when their lengths differ or one is zero.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length || a.Length == 0) return double.NaN;
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : double.NaN;
    }
}
