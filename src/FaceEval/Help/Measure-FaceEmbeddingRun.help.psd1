@{
    Synopsis    = 'Gives an account of the service from the run manifests Invoke-FaceEmbedding wrote: outcomes, retries, 429s, latency percentiles, throughput, rate-limit waits and drift findings per model.'
    Description = @(
        'The thing under test is a hosted service, not a model file: how often it fails, how fast it answers and whether it stays the same model are part of the result. Measure-FaceEmbeddingRun reads one or more run manifests (the manifest.jsonl that Invoke-FaceEmbedding -OutputDirectory writes, one line per item with its outcome, the HTTP status of each of its requests, 429 answers, latency, rate-limit wait and times) and writes one EmbeddingRunAccount per model. It holds no file names and never the endpoint.'
        'Per model: Items (item rows: an item a later run sent again counts again), Ok, NoFace (the service found no face: a failure to enrol) and FailureToEnrolRate = NoFace / (Ok + NoFace) (ISO/IEC 19795-1''s failure-to-enrol rate over the images the service judged), Failed with FailedBy (counts by ErrorId), Requests (retries and 429s included), Answers (the requests by the HTTP status they got, 0 for none: a lost connection or a timed-out attempt), AttemptsDistribution (items by the requests they took), Throttled (429 answers), latency of the successful requests (the last attempt''s time on the wire) as LatencyP50Ms, LatencyP90Ms, LatencyP95Ms, LatencyP99Ms and LatencyMaxMs, Start, End and Span of the run, ItemsPerSecond (Ok / Span) and RequestsPerSecond, RateLimitWait (time the items were held back for the rate limit, summed over items), CanaryRequests and CanaryMinCosine, Findings, and Hours (the same figures hour by hour when the run spans more than an hour).'
        'Percentiles are nearest-rank: the P-th percentile of n values is the value of rank ceiling(P/100 x n) in ascending order, always one of the measured values (Hyndman and Fan 1996, Definition 1, the inverse of the empirical distribution; equal values need no tie rule).'
        'Findings, also written as warnings: a drift canary (Invoke-FaceEmbedding -Canary) whose later embedding has a cosine below 1 - 1e-4 to its first one, another dimension, or an answer refused as a protocol error (a changed model_name). When every canary differs at its last check, "the model changed during the run"; when some checks differ but not all at the end, "the answers are not deterministic". Vectors of one model with two dimensions are a finding too. Manifests written before these records were kept read as well: their latency is reported as n/a, with a finding that says so.'
    )
    Parameters  = @{
        Path = 'Run manifests (manifest.jsonl) or the output folders of Invoke-FaceEmbedding that hold them; wildcards allowed.'
    }
    Inputs      = @(@{ Type = 'System.String, System.IO.FileInfo'; Description = 'Paths of run manifests or their folders.' })
    Outputs     = @(@{ Type = 'FaceEval.EmbeddingRunAccount'; Description = 'Model, Items, Ok, NoFace, FailureToEnrolRate, Failed, FailedBy, Requests, Answers, AttemptsDistribution, Throttled, LatencySamples, LatencyP50Ms, LatencyP90Ms, LatencyP95Ms, LatencyP99Ms, LatencyMaxMs, Latencies, Start, End, Span, ItemsPerSecond, RequestsPerSecond, RateLimitWait, CanaryRequests, CanaryMinCosine, Findings, Hours.' })
    Examples    = @(
        @{
            Title   = 'The account of the demo''s runs, one row per model'
            Code    = @'
Measure-FaceEmbeddingRun ./out/demo/embeddings/*
'@
            Output  = @'
Model Items  Ok NoFace Failed Requests 429 p50 ms p95 ms p99 ms Items/s   Span Findings
----- -----  -- ------ ------ -------- --- ------ ------ ------ -------   ---- --------
dingo   400 400      0      0      400   0    114    245    409    26.3 15.2 s none
eagle   400 400      0      0      400   0    382    600    839     8.8 45.3 s none
'@
            Remarks = 'The demo''s local server (YuNet detection, then LBP for dingo and the dlib ResNet for eagle, on a shared machine) answered every request the first time: no retries, no 429s. Against a vendor''s service, this is the table for the management report: how often it failed, how fast it answered, and how long the rate limit held the run.'
        }
        @{
            Title   = 'What failed, and how many requests the items took'
            Code    = @'
$a = Measure-FaceEmbeddingRun ./out/demo/embeddings/eagle
$a | Format-List Model, FailureToEnrolRate, FailedBy, AttemptsDistribution, LatencyMaxMs, RateLimitWait, Findings
'@
            Output  = @'
Model                : eagle
FailureToEnrolRate   : 0
FailedBy             : {}
AttemptsDistribution : {[1, 400]}
LatencyMaxMs         : 6447.9454
RateLimitWait        : 00:00:00.0604996
Findings             : {}
'@
            Remarks = 'FailedBy counts failed items by ErrorId (ServerUnavailable, RequestTimedOut, ProtocolError, ...); AttemptsDistribution counts items by the requests they took.'
        }
    )
    Links       = @('Invoke-FaceEmbedding', 'Get-FaceEvalPlan', 'Measure-FaceVerification', 'about_FaceEval')
}
