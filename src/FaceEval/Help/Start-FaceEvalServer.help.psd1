@{
    Synopsis    = 'Starts the local reference feature-extraction server, which speaks the vendor''s protocol, so a whole evaluation run can be rehearsed.'
    Description = @(
        'Start-FaceEvalServer runs the reference server that ships with the module as a child process bound to 127.0.0.1, waits until it answers, and returns an object with its Url, Models and ProcessId. Point Invoke-FaceEmbedding (or any client of the vendor API) at the Url to rehearse the run before the vendor''s evaluation window opens.'
        'The server answers POST requests on -EndpointPath with multipart/form-data (a file part "image" and a text field "model_name") exactly as the vendor does: 200 with {"model_name": ..., "feature": [...]} holding an L2-normalised float32 embedding, an empty feature list when no face is found, 400 with {"error": ...} for a missing field, an image that does not decode or a model name that is not served ("rejected"), 413 for an upload over -MaxUploadBytes, 429 with Retry-After when a client exceeds -RateLimit, and 405/404 for other methods and paths.'
        'Each model is written NAME=SPEC: "dingo=lbp" is a built-in uniform-LBP descriptor and "kiwi=hog" a built-in histogram of oriented gradients, both needing no weights; "eagle=onnx:PATH;preset=arcface112" runs any face-recognition ONNX model with OpenCV DNN (presets arcface112 and dlib150, or rgb=, mean=, scale=, template= for other models). By default the server detects the largest face in each upload with the YuNet model that ships with the module (or -DetectorModel, or $env:FACEEVAL_DETECTOR_MODEL), aligns its five landmarks to the model''s template and embeds the aligned face, as the vendor says their server does: an upload without a face gets an empty feature list. -NoDetector embeds each whole upload instead (for drawn faces the detector does not find). The Detection property says which.'
        'On Linux each server runs in a session of its own, so Ctrl+C in the console stops the command at hand, never the servers. Images are processed in memory only: the server writes no file and logs no image content or client file name. Fault injection (-FaultLatencyMs, -FaultErrorRate, -FaultDropRate) rehearses a flaky network. Get-FaceEvalServer lists the servers of the session; they stop with Stop-FaceEvalServer, when the module is removed, or when PowerShell exits, even when it is killed outright (kill -9): each server watches the process that started it and stops by itself, freeing its port, once that process is gone. -NoDetector and -DetectorModel belong to different parameter sets.'
    )
    Parameters  = @{
        Model            = @{ Description = 'The models to serve, as NAME=SPEC: NAME=lbp, NAME=hog, or NAME=onnx:PATH[;preset=arcface112|dlib150][;rgb=true|false][;mean=M][;scale=S][;template=WxH:x1,y1,...,x5,y5]. Relative ONNX paths are resolved against the current location.'; Default = 'dingo=lbp' }
        NoDetector       = 'Embed each whole upload without detection (by default the bundled YuNet detects a face in each): for crops the detector cannot find again, such as the drawn faces of New-FaceEvalSample.'
        DetectorModel    = @{ Description = 'YuNet ONNX model for the secondary detection and alignment.'; Default = '$env:FACEEVAL_DETECTOR_MODEL, else the YuNet model that ships with the module' }
        Port             = @{ Description = 'The loopback port; 0 picks a free one.'; Default = '0' }
        EndpointPath     = @{ Description = 'The path that answers POST requests.'; Default = '/extract' }
        RateLimit        = @{ Description = 'Requests per second allowed per client address (token bucket); 0 for no limit.'; Default = '0' }
        RateBurst        = @{ Description = 'Requests a client may send at once before the rate applies.'; Default = 'RateLimit rounded up' }
        MaxUploadBytes   = @{ Description = 'Largest image upload accepted; larger ones get 413.'; Default = '10485760' }
        FaultLatencyMs   = @{ Description = 'Milliseconds added to every extraction request.'; Default = '0' }
        FaultErrorRate   = @{ Description = 'Share of extraction requests answered with 500, 0 to 1.'; Default = '0' }
        FaultDropRate    = @{ Description = 'Share of extraction requests whose connection is dropped without an answer, 0 to 1.'; Default = '0' }
        FaultSeed        = 'Seed for the fault draws, for a repeatable rehearsal.'
        FaultSwitchModelAfter = 'Test mode: after this many extraction requests, every model answers with other vectors (the same model_name and dimension, the features in reverse order), as when a service swaps the model behind a name mid-run. Rehearses Invoke-FaceEmbedding -Canary; off by default.'
        RecordRequests   = 'Test mode: GET /__faceeval/requests lists the form fields of each request received (part names, file names, content types, model name, image length and SHA-256; never the image).'
        StartTimeoutSec  = @{ Description = 'How long to wait for the server to answer before giving up.'; Default = '60' }
        WhatIf           = 'Shows the server that would be started (address and models) without starting it.'
        Confirm          = 'Asks before starting the server.'
    }
    Inputs      = @(@{ Type = 'None'; Description = 'This cmdlet takes no pipeline input.' })
    Outputs     = @(@{ Type = 'FaceEval.ReferenceServer'; Description = 'Url (the endpoint), Models, ProcessId, HasExited and RecentOutput (the server''s last log lines).' })
    Notes       = @('The server binds 127.0.0.1 only. It needs the .NET 10 runtime with ASP.NET Core, which the .NET SDK includes.')
    Examples    = @(
        @{
            Title   = 'Rehearse with the built-in descriptor, nothing downloaded'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp
$server
$reply = Invoke-RestMethod $server.Url -Method Post -Form @{ image = Get-Item ./out/demo/crops/s1/1_0.png; model_name = 'dingo' }
'{0}: {1} numbers' -f $reply.model_name, $reply.feature.Count
Stop-FaceEvalServer $server
'@
            Output  = @'
Url                            Models ProcessId Running Detection
---                            ------ --------- ------- ---------
http://127.0.0.1:41025/extract dingo      13307 True    face_detection_yunet_2023mar.onnx (bundled)

dingo: 2891 numbers
'@
            Remarks = 'The reply has the vendor''s shape; like the vendor''s, the server first finds and aligns the face (with the bundled YuNet; -NoDetector turns that off).'
        }
        @{
            Title   = 'Serve a real embedder, rate-limited like the vendor account'
            Code    = @'
$server = Start-FaceEvalServer -Model 'eagle=onnx:./examples/models/dlib_resnet_face_recognition_v1_150.onnx;preset=dlib150', 'dingo=lbp' -RateLimit 5
$server | Format-List Models, Detection, Running
Stop-FaceEvalServer $server
'@
            Output  = @'
Models    : {eagle, dingo}
Detection : face_detection_yunet_2023mar.onnx (bundled)
Running   : True
'@
            Remarks = 'eagle is the dlib face descriptor from the repository''s examples/models, as in the demo. A client sending more than 5 requests per second gets 429 with a Retry-After header.'
        }
        @{
            Title   = 'Rehearse a flaky network'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp -FaultErrorRate 0.2 -FaultDropRate 0.05 -FaultSeed 1
Get-ChildItem ./out/demo/crops/s1 -Filter *.png | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url | Measure-Object | Select-Object Count
$server.RecentOutput | Select-String ' -> 500' | Select-Object -First 2
Stop-FaceEvalServer -All
'@
            Output  = @'
Count
-----
   10

2026-12-01 05:10:16 info: FaceEval.Server[0] POST /extract -> 500 in 1 ms
2026-12-01 05:10:16 info: FaceEval.Server[0] POST /extract -> 500 in 0 ms
'@
            Remarks = 'One request in five gets a 500 and one in twenty loses its connection; Invoke-FaceEmbedding retries them and all 10 crops come back. Stop-FaceEvalServer -All stops every server this session started.'
        }
    )
    Links       = @('Get-FaceEvalServer', 'Stop-FaceEvalServer', 'Invoke-FaceEmbedding', 'about_FaceEval')
}
