BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Face = New-GradientImage (Join-Path $Work 'face.png') 90 110
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Start-FaceEvalServer and Stop-FaceEvalServer' {
    It 'starts a server on a free loopback port that answers the vendor protocol, detecting faces as the vendor does' {
        $server = Start-FaceEvalServer -Model dingo=lbp, eagle=lbp
        try {
            $server.Url | Should -Match '^http://127\.0\.0\.1:\d+/extract$'
            $server.Models | Should -Be 'dingo', 'eagle'
            $server.Detection | Should -Be 'face_detection_yunet_2023mar.onnx (bundled)'
            ($server | Format-Table | Out-String) | Should -Match 'Detection'
            (Get-Process -Id $server.ProcessId).Id | Should -Be $server.ProcessId
            $reply = Invoke-RestMethod $server.Url -Method Post -Form @{ image = Get-Item (Join-Path $Orl 's1/1.pgm'); model_name = 'eagle' }
            $reply.model_name | Should -Be 'eagle'
            $norm = [math]::Sqrt(($reply.feature | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
            $norm | Should -BeGreaterThan (1 - 1e-5)
            $norm | Should -BeLessThan (1 + 1e-5)
            # No face in a gradient: no feature, as the vendor answers (it used to get a vector).
            @((Invoke-RestMethod $server.Url -Method Post -Form @{ image = Get-Item $Face; model_name = 'eagle' }).feature).Count | Should -Be 0
        } finally {
            Stop-FaceEvalServer $server
        }
        $plain = Start-FaceEvalServer -Model eagle=lbp -NoDetector
        try {
            $plain.Detection | Should -Be 'off'
            @((Invoke-RestMethod $plain.Url -Method Post -Form @{ image = Get-Item $Face; model_name = 'eagle' }).feature).Count | Should -BeGreaterThan 0
        } finally {
            Stop-FaceEvalServer $plain
        }
        $server.HasExited | Should -BeTrue
        # The process entry can outlive the kill by a moment while the runtime reaps it.
        $deadline = [datetime]::UtcNow.AddMinutes(1)   # a hang guard, not a timing assertion
        while ((Get-Process -Id $server.ProcessId -ErrorAction Ignore) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-Process -Id $server.ProcessId -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'serves on the port and path asked for' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $server = Start-FaceEvalServer -Port $port -EndpointPath /v1/features
        try {
            $server.Url | Should -Be "http://127.0.0.1:$port/v1/features"
            { Invoke-RestMethod "http://127.0.0.1:$port/extract" -Method Post -Form @{ image = Get-Item $Face; model_name = 'dingo' } } |
                Should -Throw '*Not found*'
        } finally {
            Stop-FaceEvalServer $server
        }
    }

    It 'rejects an unlisted model with the server''s error' {
        $server = Start-FaceEvalServer
        try {
            $e = { Invoke-RestMethod $server.Url -Method Post -Form @{ image = Get-Item $Face; model_name = 'buffalo' } } | Should -Throw -PassThru
            $e.Exception.Response.StatusCode | Should -Be 'BadRequest'
            ($e.ErrorDetails.Message | ConvertFrom-Json).error | Should -Match 'rejected'
        } finally {
            Stop-FaceEvalServer $server
        }
    }

    It 'fails with the server''s own message when a model spec is wrong' {
        { Start-FaceEvalServer -Model 'eagle=onnx:/no/such/model.onnx' } | Should -Throw -ErrorId 'ServerStartFailed,*'
        try { Start-FaceEvalServer -Model 'eagle=tensorflow:x' } catch { $_.Exception.Message | Should -Match 'Unknown model kind' }
    }

    It 'lists the servers of the session, stops them only with -All or by name, and honours -WhatIf' {
        $a = Start-FaceEvalServer -Model dingo=lbp
        $b = Start-FaceEvalServer -Model kiwi=hog -NoDetector
        $ids = (Get-FaceEvalServer).ProcessId
        $ids | Should -Contain $a.ProcessId
        $ids | Should -Contain $b.ProcessId
        (Get-FaceEvalServer -Model kiw*).ProcessId | Should -Be $b.ProcessId
        { Stop-FaceEvalServer -ErrorAction Stop } | Should -Throw -Because 'no argument is not an instruction to stop everything'
        Stop-FaceEvalServer -All -WhatIf
        $a.HasExited | Should -BeFalse
        Get-FaceEvalServer -Model kiwi | Stop-FaceEvalServer
        $b.HasExited | Should -BeTrue
        $a.HasExited | Should -BeFalse
        Stop-FaceEvalServer -All
        $a.HasExited | Should -BeTrue
        @(Get-FaceEvalServer).Count | Should -Be 0
    }

    It 'warns when Import-Module -Force stops the servers of the session, and is silent when none runs' {
        # A script file, not a script block: the warning goes to the console's host, which is what a user sees
        # (a script block would run the child with XML output, which carries only the streams).
        $child = Join-Path (New-TestFolder) 'reimport.ps1'
        Set-Content $child @'
param($Module)
Import-Module $Module
$server = Start-FaceEvalServer -Model dingo=lbp -NoDetector
Import-Module $Module -Force
"exited=$($server.HasExited)"
'second re-import'
Import-Module $Module -Force
'end'
'@
        $text = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $child -Module $env:FACEEVAL_MODULE 2>&1 | Out-String
        Remove-Item (Split-Path $child) -Recurse
        $text | Should -Match 'exited=True'
        $text | Should -Match '(?s)WARNING: Removing the FaceEval module .*stopped the reference server at http://127\.0\.0\.1:\d+/extract.*Start-FaceEvalServer.*exited=True'
        $text | Should -Match '(?s)second re-import\s+end' -Because 'no warning when no server was running'
    }

    It 'stops a server whose session was killed outright (kill -9), which frees its port' {
        # The server runs in a session of its own (setsid), so no signal of the console reaches it; it watches
        # the process that started it instead.
        $folder = New-TestFolder
        $info = Join-Path $folder 'server.txt'
        $script = Join-Path $folder 'start.ps1'
        Set-Content $script @'
param($Module, $Info)
Import-Module $Module
$server = Start-FaceEvalServer -Model dingo=lbp -NoDetector
"$($server.ProcessId) $(([uri]$server.Url).Port)" | Set-Content $Info
Start-Sleep 600
'@
        $session = Start-Process (Join-Path $PSHOME 'pwsh') -PassThru -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script, '-Module', $env:FACEEVAL_MODULE, '-Info', $info
        $serverId = $null
        try {
            $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard
            while (-not ((Test-Path $info) -and (Get-Content $info)) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $serverId, $port = (Get-Content $info) -split ' '
            (Get-Process -Id $serverId).Id | Should -Be $serverId
            Stop-Process -Id $session.Id -Force   # SIGKILL on Linux: the session gets no chance to stop its server
            $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard
            while ((Get-Process -Id $serverId -ErrorAction Ignore) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-Process -Id $serverId -ErrorAction Ignore | Should -BeNullOrEmpty -Because 'the server stops when the session that started it is gone'
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, [int]$port)
            $listener.Start()   # the port is free again
            $listener.Stop()
        } finally {
            Stop-Process -Id $session.Id -Force -ErrorAction Ignore
            if ($serverId -and (Get-Process -Id $serverId -ErrorAction Ignore).ProcessName -eq 'dotnet') { Stop-Process -Id $serverId -Force }
            Remove-Item $folder -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'starts nothing with -WhatIf, and takes -NoDetector or -DetectorModel, not both' {
        $before = @(Get-FaceEvalServer).Count
        Start-FaceEvalServer -Model dingo=lbp -WhatIf | Should -BeNullOrEmpty
        @(Get-FaceEvalServer).Count | Should -Be $before
        { Start-FaceEvalServer -NoDetector -DetectorModel ./x.onnx } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        (Get-Command Start-FaceEvalServer).ParameterSets.Name | Should -Be 'Detector', 'NoDetector'
    }

    It 'resolves a relative ONNX path against the PowerShell location' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        Push-Location (Join-Path $TestData 'models')
        try {
            $server = Start-FaceEvalServer -Model 'eagle=onnx:dlib_resnet_face_recognition_v1_150.onnx;preset=dlib150' -DetectorModel ./face_detection_yunet_2023mar.onnx
        } finally {
            Pop-Location
        }
        try {
            $reply = Invoke-RestMethod $server.Url -Method Post -Form @{ image = Get-Item (Join-Path $Orl 's1/1.pgm'); model_name = 'eagle' }
            $reply.feature.Count | Should -Be 128
        } finally {
            Stop-FaceEvalServer $server
        }
    }
}
