@{
    Synopsis    = 'Sends face images to the feature-extraction endpoint, one request each, and returns their embeddings; resumes, retries and respects rate limits for unattended runs.'
    Description = @(
        'Invoke-FaceEmbedding posts each face image to the vendor''s endpoint exactly as the evaluation guide''s client does: multipart/form-data with a file part "image" (the crop''s file name, application/octet-stream) and a field "model_name". The reply''s "feature" list becomes a FaceEmbedding object with the vector as returned (never re-normalised). Input is face crops piped from Get-FaceCrop (their in-memory PNG, or their file), or image files by -Path/-LiteralPath. Objects come out in input order; other properties of the input (Identity, ConsentRef, ...) are carried onto them.'
        'The endpoint comes from -ServerUrl or $env:FACEEVAL_SERVER_URL and is confidential in every part (host and port, user-info, path, query): it never appears in output, progress, verbose, warning or error text, the manifest, or exception messages, also where the server''s answer or a .NET exception echoes the request (percent-encoded, decoded or HTML-escaped); a redacted form (scheme and a hash, e.g. https://endpoint-3f9a1c2b) is shown instead. TLS certificates are always validated.'
        'Requests run -ThrottleLimit at a time over one shared HTTP client, optionally paced by a client-side token bucket (-RequestsPerSecond). Requests answered 408, 429 or 5xx, timed out (-TimeoutSec per attempt) or failed on the network are retried up to -MaximumRetryCount times with capped exponential backoff and jitter (counted over the item''s own failures, 429s aside, and never steeper than the run''s current streak of failed answers, so one unlucky item among succeeding requests does not hold the ordered output back); a 429 honours Retry-After (seconds or an HTTP date) for that request up to 60 s per retry (a longer one waits 60 s, and one warning says so), and the whole run is paced to the rate the server was measured to admit (a Retry-After of 5 s or more pauses every request). Retries of early items go ahead of later items, so the output, which keeps input order, never waits long. Other 4xx answers fail the item without a retry, and the run goes on. An empty feature list means the server found no face: the item gets a NoFaceDetected error and a no_face row in the manifest (a failure to enrol, never dropped silently). A model name the server rejects stops the run with one ModelRejected error, since every item would fail the same way; so does an endpoint where nothing listens (its first 3 connections refused before any answer: EndpointUnreachable, which also says when it was a local server of the session that has exited), one whose path is wrong (before any success, a 405, a 404 that echoes the URL, or 404 for two different images: EndpointRejected), and one that answers with a redirect (3xx: EndpointRedirected; redirects are never followed, so an image goes nowhere but the endpoint given). Refused connections after the endpoint has answered are retried like other transient faults. Ctrl+C cancels the requests in flight.'
        'With -OutputDirectory each embedding is saved as <stem>.npy (NumPy format 1.0, little-endian float32, shape (D,)), written to a temporary file and renamed so a killed run never leaves half a file, and a manifest (manifest.jsonl: one JSON line per item with source, crop SHA-256, model, status, error, .npy path, dimension, time) is appended as the run goes. Run the same command again after a crash or a reboot: items whose .npy for the same model and the same image bytes is intact are read back from disk without a request (Resumed = True), so only what is missing is sent. -Force sends everything again.'
        'Input that is not PNG (a JPEG file, say) is decoded and sent re-encoded as PNG, and one warning at the end counts such inputs: lossy images lower embedding quality, so crop from the originals. -SendAsIs sends the file bytes unchanged.'
    )
    Parameters  = @{
        InputObject        = 'Face crops from Get-FaceCrop (or image path strings). Properties other than the crop''s own are carried onto the embeddings.'
        Path               = @{ Description = 'Image files to embed. Wildcards are expanded. Piped strings are taken as -Path.'; PipelineInput = 'ByValue', 'ByPropertyName' }
        LiteralPath        = 'Image files to embed, taken exactly as written. Binds from PSPath and FullName, so Get-ChildItem output pipes in.'
        Model              = 'The model name sent as model_name. Tab completion offers the names in $env:FACEEVAL_MODELS (comma-separated: set it to the models your account may use) and those of the local servers still running; the name is not checked here: the server decides.'
        ServerUrl          = @{ Description = 'The endpoint URL (alias: -Uri). Keep it out of scripts: set $env:FACEEVAL_SERVER_URL instead.'; Default = '$env:FACEEVAL_SERVER_URL' }
        OutputDirectory    = 'Folder for the .npy files and manifest.jsonl. Enables resuming. Without it, embeddings stay in memory. The manifest records with each vector the labels the input carried (detections CSV columns such as Sex or AgeBand, as text), which Import-FaceEmbedding gives back.'
        PreserveStructure  = 'Keep each image''s sub-folder, relative to -Root, under -OutputDirectory, so crops/s1/1_0.png and crops/s2/1_0.png do not collide.'
        Root               = @{ Description = 'The folder that -PreserveStructure keeps sub-folders relative to.'; Default = 'The current location' }
        ManifestPath       = @{ Description = 'Where to keep the run manifest.'; Default = '<OutputDirectory>/manifest.jsonl' }
        Force              = 'Send every item again, even those an earlier run finished.'
        ThrottleLimit      = @{ Description = 'Requests in flight at once.'; Default = '4' }
        RequestsPerSecond  = @{ Description = 'Client-side rate: at most this many requests per second (token bucket). 0 for no client-side limit (the server''s 429 answers still pace the run).'; Default = '0' }
        MaximumRetryCount  = @{ Description = 'Retries per item after the first attempt, for 408, 429, 5xx, timeouts and connection failures.'; Default = '5' }
        TimeoutSec         = @{ Description = 'Seconds allowed for one attempt.'; Default = '120' }
        SendAsIs           = 'Send non-PNG files unchanged instead of re-encoding them as PNG.'
        IdentityFrom       = @{ Description = 'Where each embedding''s Identity comes from. Auto: the piped object''s Identity property (a column of a detections CSV), else the name of the folder the image is in (photos/alice/1.jpg is alice; for a crop, the folder of the image it was cut from). Property: the Identity property only. Folder: the folder only. None: no identity. Measure-FaceVerification needs identities to label pairs genuine or impostor.'; Default = 'Auto' }
        Canary          = @{ Description = 'Drift canaries: the first N items of the run (or the -CanaryPath images) are embedded again, outside the output, at the start, every -CanaryInterval items and at the end; each check is a manifest row (kind canary) with its cosine to the first embedding. A cosine below 1 - 1e-4, another dimension or a reply refused as a protocol error (a changed model_name) is a warning at the time and a finding of Measure-FaceEmbeddingRun. Canary requests go through the same rate limit; Get-FaceEvalPlan counts them.'; Default = '0 (none)' }
        CanaryPath      = 'Fixed canary images (crops like the run''s) instead of the run''s first items; all of them are canaries.'
        CanaryInterval  = @{ Description = 'Items between canary checks; 0 checks at the start and the end only. Canary requests per run: N x (2 + floor(items / interval)).'; Default = '0' }
        RequireConsent  = @{ Description = 'Send only images that carry a consent reference (the ConsentRef property, or the one -ConsentProperty names, carried from the detections CSV like any label). An image without one is not sent: it is a non-terminating ConsentMissing error naming the image, and the run goes on. Every manifest row records the reference the image was sent under (consent_ref) and whether it had one (consent: given or none), with or without this switch. $FaceEvalRequireConsent = $true makes it the default for the session; -RequireConsent:$false overrides that. -CanaryPath is refused with it (those images carry no reference).'; Default = 'off, or $FaceEvalRequireConsent' }
        ConsentProperty = @{ Description = 'The input property that holds the consent reference.'; Default = 'ConsentRef' }
        WindowEnd       = @{ Description = 'The end of the evaluation window (the WindowEnd of Get-FaceEvalPlan): a run that starts after it gets a warning that the agreement may not allow sending images any more.'; Default = '$FaceEvalWindowEnd, for example $FaceEvalWindowEnd = $plan.WindowEnd' }
        IncludeFailureToEnrol = 'Besides the NoFaceDetected error, emit a FaceEmbedding with an empty Vector (and the input''s Identity) for each item the server found no face in, so that Measure-FaceVerification counts it as a failure to enrol instead of never seeing it.'
        WhatIf             = 'Shows which items would be sent (and which .npy files written) without sending anything or writing anything: not even the output folder or its manifest.'
        Confirm            = 'Asks before sending each item.'
    }
    Inputs      = @(
        @{ Type = 'FaceEval.FaceCrop'; Description = 'Crops from Get-FaceCrop, in memory or written to files.' }
        @{ Type = 'System.String, System.IO.FileInfo'; Description = 'Image paths and files.' }
    )
    Outputs     = @(@{ Type = 'FaceEval.FaceEmbedding'; Description = 'SourcePath, Model, Vector (float[]), Dimension, Norm, Identity, FaceIndex, ImagePath, NpyPath, Elapsed, Attempts, Resumed, plus carried properties.' })
    Notes       = @(
        'ErrorIds: NoFaceDetected, ModelRejected, EndpointUnreachable, EndpointRejected and EndpointRedirected (terminating), RequestRejected (other 4xx), ProtocolError (a reply that is not {"model_name": the model asked for, "feature": [finite numbers]} of a consistent dimension), ServerUnavailable (retries exhausted), RequestTimedOut, OutputNameCollision, and the file errors of Get-FaceCrop.'
        'A server answer counts as a model rejection when it is a 4xx (other than 408, 413, 429) whose error text names the model (as the protocol''s "model_name ''x'' is rejected" does; the image''s file name aside), for two different images, and no image has been embedded with that model in this run or an earlier run of the same manifest. A 4xx that only says "rejected" (an image refused) is that image''s RequestRejected error.'
    )
    Examples    = @(
        @{
            Title   = 'Crop and embed in one pipeline'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp
Get-ChildItem ./examples/data/orl_faces/s1 -Filter *.pgm | Select-Object -First 3 | Get-FaceCrop | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url
'@
            Output  = @'
Identity Source Face Model  Dim   Norm  Ms Resumed NpyPath
-------- ------ ---- -----  ---   ----  -- ------- -------
s1       1.pgm     0 dingo 2891 1.0000 143
s1       10.pgm    0 dingo 2891 1.0000 142
s1       2.pgm     0 dingo 2891 1.0000 145
'@
            Remarks = 'A local reference server stands in for the vendor here. Against the vendor, set $env:FACEEVAL_SERVER_URL once and leave out -ServerUrl; FaceEval never prints the address. The crops never touch the disk: each PNG goes from Get-FaceCrop''s memory straight into the request.'
        }
        @{
            Title   = 'An unattended run that saves .npy files and resumes'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp
Get-ChildItem ./out/demo/crops -Recurse -Filter *.png |
    Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -OutputDirectory ./embeddings/dingo -PreserveStructure -Root ./out/demo/crops -RequestsPerSecond 50 |
    Measure-Object | Select-Object Count
Get-Content ./embeddings/dingo/manifest.jsonl -TotalCount 1
'@
            Output  = @'
Count
-----
  400

{"time":"2026-12-01T05:09:26.5186082+00:00","source":"/home/me/FaceEval/out/demo/crops/s11/1_0.png","crop_sha256":"64b99cf9b86b2eb00fcdb8ceb3b195c49f5d7582a6abcc9826848763051b0197","model":"dingo","status":"ok","npy":"/home/me/FaceEval/embeddings/dingo/s11/1_0.npy","dimension":2891,"elapsed_ms":110.5696,"attempts":1}
'@
            Remarks = 'Embeds the crops the demo wrote (out/demo/crops, one folder per person), at most 50 requests a second, into embeddings/dingo/<person>/<name>.npy, with one manifest.jsonl line per crop. Run it again after an interruption (or on a schedule): finished crops are read back from their .npy files without a request, and only the rest is sent.'
        }
        @{
            Title   = 'Count the failures to enrol'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp
Get-FaceCrop ./examples/data/orl_faces/s1/1.pgm -BoundingBox (9,17,61,74),(0,0,20,20) |
    Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -ErrorVariable failed -ErrorAction SilentlyContinue
'failures to enrol: {0}' -f @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'NoFaceDetected,*' }).Count
'@
            Output  = @'
Identity Source Face Model  Dim   Norm Ms Resumed NpyPath
-------- ------ ---- -----  ---   ---- -- ------- -------
s1       1.pgm     0 dingo 2891 1.0000 18

failures to enrol: 1
'@
            Remarks = 'The second box holds hair and background: the server finds no face in it, which comes back as a NoFaceDetected error (and a no_face line in the manifest when there is one), not as a vector.'
        }
        @{
            Title   = 'See what would be sent'
            Code    = @'
Invoke-FaceEmbedding -Model dingo -Path ./out/demo/crops/s1/1_0.png, ./out/demo/crops/s1/2_0.png -OutputDirectory ./emb-preview -WhatIf
Test-Path ./emb-preview
'@
            Output  = @'
What if: Performing the operation "Create the output folder and its manifest.jsonl (and remove an interrupted run's temporary files)" on target "/home/me/FaceEval/emb-preview".
What if: Performing the operation "Send '1_0.png' to the endpoint for model 'dingo' and save the embedding" on target "/home/me/FaceEval/emb-preview/1_0.npy".
What if: Performing the operation "Send '2_0.png' to the endpoint for model 'dingo' and save the embedding" on target "/home/me/FaceEval/emb-preview/2_0.npy".
False
'@
            Remarks = 'Nothing is sent and nothing is written; no endpoint is needed.'
        }
    )
    Links       = @('Get-FaceCrop', 'Import-FaceEmbedding', 'Start-FaceEvalServer', 'about_FaceEval')
}
