BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Script = Join-Path $PSScriptRoot '../../examples/Invoke-NightlyEmbedding.ps1'
    $script:Crops = Join-Path $Work 'crops'
    foreach ($id in 'alice', 'bob') {
        New-Item -ItemType Directory -Force (Join-Path $Crops $id) | Out-Null
        foreach ($i in 1..4) { New-GradientImage (Join-Path $Crops "$id/$i.png") 60 70 -Seed ($i + 10 * $id.Length) | Out-Null }
    }
    function Invoke-Nightly([string] $Url, [string] $Model, [string] $Out) {
        $env:FACEEVAL_SERVER_URL = $Url
        try {
            & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $Script -CropFolder $Crops -OutputFolder $Out -Model $Model -ModulePath $env:FACEEVAL_MODULE -MaximumRetryCount 0 2>&1 | Out-String
        } finally {
            Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore
        }
    }
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'examples/Invoke-NightlyEmbedding.ps1' {
    It 'embeds everything, resumes on the next run, logs without the endpoint, and exits 0' {
        $server = Start-FaceEvalServer -Model eagle=lbp -NoDetector -RecordRequests
        $out = Join-Path $Work 'emb'
        Invoke-Nightly $server.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Get-ChildItem $out -Recurse -Filter *.npy).Count | Should -Be 8
        Test-Path (Join-Path $out 'alice/1.npy') | Should -BeTrue
        Invoke-Nightly $server.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Invoke-RestMethod ($server.Url -replace '/extract$', '/__faceeval/requests') | ForEach-Object { $_ }).Count | Should -Be 8 -Because 'the second run sends nothing'
        $log = Get-Content -Raw (Join-Path $out 'nightly.log')
        $log | Should -Match 'end: 8 crops, 8 embedded \(8 from earlier runs\), 0 failed'
        $log | Should -Not -Match ([regex]::Escape(([uri]$server.Url).Authority))
    }

    It 'exits 3 when the model is rejected and 2 without an endpoint' {
        $server = Start-FaceEvalServer -Model eagle=lbp -NoDetector
        Invoke-Nightly $server.Url buffalo (Join-Path $Work 'rejected') | Out-Null
        $LASTEXITCODE | Should -Be 3
        Get-Content -Raw (Join-Path $Work 'rejected/nightly.log') | Should -Match 'stopped: ModelRejected'
        Invoke-Nightly '' eagle (Join-Path $Work 'no-endpoint') | Out-Null
        $LASTEXITCODE | Should -Be 2
    }

    It 'exits 1 when some crops fail, and a later run finishes them' {
        $flaky = Start-FaceEvalServer -Model eagle=lbp -NoDetector -FaultErrorRate 1
        $out = Join-Path $Work 'partial'
        Invoke-Nightly $flaky.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 1
        Stop-FaceEvalServer $flaky
        $good = Start-FaceEvalServer -Model eagle=lbp -NoDetector
        Invoke-Nightly $good.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Get-ChildItem $out -Recurse -Filter *.npy).Count | Should -Be 8
    }

    It 'keeps every part of the endpoint out of its log and console when the server echoes the request (<Says>)' -TestCases @(
        @{ Status = 404; Reason = 'Not Found'; Type = 'text/html'; Body = '<html><body><pre>Cannot POST {target}</pre></body></html>'; Exit = 3; Says = 'stopped: EndpointRejected' }
        @{ Status = 400; Reason = 'Bad Request for {target}'; Type = 'application/json; charset=bogus'; Body = '{"error": "invalid request to {url} ({decoded}; {html})"}'; Exit = 1; Says = 'failed: RequestRejected' }
        @{ Status = 500; Reason = 'Upstream failed for POST {target}'; Type = $null; Body = ''; Exit = 1; Says = 'failed: ServerUnavailable' }
        @{ Status = 200; Reason = 'OK'; Type = 'application/json'; Body = '{"model_name": "{url}", "feature": [1, 0]}'; Exit = 1; Says = 'failed: ProtocolError' }
    ) {
        if (-not ('FaceEval.Core.Tests.FakeEndpoint' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot '../FaceEval.Core.Tests/FakeEndpoint.cs') }
        $echo = [FaceEval.Core.Tests.FakeEndpoint]::Template($Status, $Reason, $(if ($Type) { $Type } else { $null }), $Body, [string[]]@())
        try {
            $url = $echo.Url('/s3cr3t-token/extract?key=Qz7SecretKey99', 'svc-robot:pa55-w0rd').OriginalString
            $out = Join-Path $Work ('echo-' + [guid]::NewGuid().ToString('N'))
            $console = Invoke-Nightly $url eagle $out
            $LASTEXITCODE | Should -Be $Exit
            $echo.Received.Count | Should -BeGreaterThan 0
            $log = Get-Content -Raw (Join-Path $out 'nightly.log')
            $log | Should -Match ([regex]::Escape($Says))
            $all = $log + $console + (Get-Content -Raw (Join-Path $out 'manifest.jsonl') -ErrorAction Ignore)
            foreach ($secret in 's3cr3t', 'Qz7SecretKey99', 'svc-robot', 'pa55-w0rd', '127.0.0.1') { $all | Should -Not -Match ([regex]::Escape($secret)) }
            $all | Should -Not -Match "(?<![0-9a-f])$($echo.Port)(?![0-9a-f])"
        } finally {
            $echo.Dispose()
        }
    }

    It 'exits 1, not 3, when the server refuses some images (<Body>), and a re-run does too' -TestCases @(
        @{ Body = '{"error": "Image rejected: face too small"}' }
        @{ Body = '{"error": "Image rejected by model eagle: face too small"}' }
    ) {
        if (-not ('FaceEval.Core.Tests.FakeEndpoint' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot '../FaceEval.Core.Tests/FakeEndpoint.cs') }
        # alice/1.png and bob/1.png are refused; alice/1.png comes first, before any success.
        $fake = [FaceEval.Core.Tests.FakeEndpoint]::RejectingImages('1.png', 400, $Body)
        try {
            $out = Join-Path $Work ('refused-' + [guid]::NewGuid().ToString('N'))
            foreach ($run in 1, 2) {
                Invoke-Nightly $fake.Url('/extract', $null).OriginalString eagle $out | Out-Null
                $LASTEXITCODE | Should -Be 1 -Because "run ${run}: two images failed, the rest were embedded"
            }
            $log = Get-Content -Raw (Join-Path $out 'nightly.log')
            $log | Should -Not -Match 'stopped:'
            $log | Should -Match 'end: 8 crops, 6 embedded \(6 from earlier runs\), 2 failed'
            @([regex]::Matches($log, 'failed: RequestRejected')).Count | Should -Be 4
            $fake.Received.Count | Should -Be (8 + 2) -Because 'the second run sent only the two refused images again'
        } finally {
            $fake.Dispose()
        }
    }
}

Describe 'examples/Compare-FaceModels.ps1' {
    It 'compares three models on the same pairs and writes the report and operating points' {
        $samples = Join-Path $Work 'samples'
        New-FaceEvalSample $samples -Identities 6 -ImagesPerIdentity 3 -Seed 4 | Export-Csv (Join-Path $Work 'boxes.csv')
        $server = Start-FaceEvalServer -Model dingo=lbp, kiwi=hog, emu=lbp -NoDetector
        $out = Join-Path $Work 'comparison'
        $text = & (Join-Path $PSScriptRoot '../../examples/Compare-FaceModels.ps1') -Dataset $samples -Detections (Join-Path $Work 'boxes.csv') -Model dingo, kiwi, emu -ServerUrl $server.Url -OutputDirectory $out -BootstrapCount 50 -ModulePath $env:FACEEVAL_MODULE 6>&1 | Out-String
        $text | Should -Match '18 crops of 6 identities'
        $points = Import-Csv (Join-Path $out 'operating-points.csv')
        ($points.Model | Sort-Object -Unique) | Should -Be 'dingo', 'emu', 'kiwi'
        @($points).Count | Should -Be 12
        # The same pairs for every model: dingo and emu are the same descriptor, so the same numbers.
        $dingo = $points | Where-Object Model -eq dingo
        $emu = $points | Where-Object Model -eq emu
        $dingo.Tar | Should -Be $emu.Tar
        Get-Content -Raw (Join-Path $out 'report.html') | Should -Match '<th>dingo</th><th>emu</th><th>kiwi</th>'
        $text | Should -Not -Match ([regex]::Escape(([uri]$server.Url).Authority))
    }
}
