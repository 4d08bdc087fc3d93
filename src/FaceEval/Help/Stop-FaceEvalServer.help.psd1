@{
    Synopsis    = 'Stops reference servers started by Start-FaceEvalServer.'
    Description = @(
        'Stop-FaceEvalServer ends the server processes given (or piped) to it and waits for them to exit; with -All it stops every server that Start-FaceEvalServer started in this PowerShell session. Servers are also stopped when PowerShell exits, and when the module is removed (Remove-Module, or Import-Module -Force, which removes it first; a warning then names the servers stopped), so none is left running by accident. Import-Module without -Force leaves them running.'
    )
    Parameters  = @{
        InputObject = 'The servers to stop, as returned by Start-FaceEvalServer or Get-FaceEvalServer.'
        All         = 'Stop every server this session started.'
        WhatIf      = 'Shows which servers would be stopped without stopping them.'
        Confirm     = 'Asks before stopping each server.'
    }
    Inputs      = @(@{ Type = 'FaceEval.ReferenceServer'; Description = 'Servers from Start-FaceEvalServer or Get-FaceEvalServer.' })
    Outputs     = @(@{ Type = 'None'; Description = 'This cmdlet writes nothing.' })
    Examples    = @(
        @{
            Title   = 'Stop one server'
            Code    = @'
$server = Start-FaceEvalServer
Stop-FaceEvalServer $server
$server.HasExited
'@
            Output  = @'
True
'@
            Remarks = 'HasExited is True once the server has stopped.'
        }
        @{
            Title   = 'Stop every server this session started'
            Code    = @'
$servers = 1..2 | ForEach-Object { Start-FaceEvalServer }
Stop-FaceEvalServer -All -WhatIf
Get-FaceEvalServer | Stop-FaceEvalServer
$servers.HasExited
'@
            Output  = @'
What if: Performing the operation "Stop the reference server" on target "http://127.0.0.1:41501/extract (process 13402)".
What if: Performing the operation "Stop the reference server" on target "http://127.0.0.1:44743/extract (process 13417)".
True
True
'@
            Remarks = 'The first call only lists the servers it would stop; the second stops both. Stop-FaceEvalServer -All does the same.'
        }
    )
    Links       = @('Start-FaceEvalServer', 'Get-FaceEvalServer')
}
