@{
    Synopsis    = 'Lists the reference servers this PowerShell session started.'
    Description = @(
        'Get-FaceEvalServer returns the servers that Start-FaceEvalServer started in this session and that have not been stopped with Stop-FaceEvalServer, running or exited, with their Url, Models, ProcessId and HasExited. Pipe them to Stop-FaceEvalServer, or read a server''s Url to point Invoke-FaceEmbedding at it.'
    )
    Parameters  = @{
        Model   = 'Only servers that serve a model of this name (the NAME of NAME=SPEC; wildcards allowed).'
        Running = 'Only servers that are still running.'
    }
    Inputs      = @(@{ Type = 'None'; Description = 'This cmdlet takes no pipeline input.' })
    Outputs     = @(@{ Type = 'FaceEval.ReferenceServer'; Description = 'Url, Models, ProcessId, HasExited and RecentOutput.' })
    Examples    = @(
        @{
            Title   = 'The servers of this session'
            Code    = @'
$null = Start-FaceEvalServer -Model dingo=lbp
$null = Start-FaceEvalServer -Model kiwi=hog -NoDetector
Get-FaceEvalServer
'@
            Output  = @'
Url                            Models ProcessId Running Detection
---                            ------ --------- ------- ---------
http://127.0.0.1:38889/extract dingo      13356 True    face_detection_yunet_2023mar.onnx (bundled)
http://127.0.0.1:40351/extract kiwi       13371 True    off
'@
            Remarks = 'One row per server: its address, the models it serves, its process, whether it still runs and whether it detects faces.'
        }
        @{
            Title   = 'Find the server of a model and stop it'
            Code    = @'
$null = Start-FaceEvalServer -Model kiwi=hog -NoDetector
Get-FaceEvalServer -Model kiwi -Running | Stop-FaceEvalServer
@(Get-FaceEvalServer -Model kiwi -Running).Count
'@
            Output  = @'
0
'@
            Remarks = 'Stops only the servers that serve kiwi.'
        }
    )
    Links       = @('Start-FaceEvalServer', 'Stop-FaceEvalServer')
}
