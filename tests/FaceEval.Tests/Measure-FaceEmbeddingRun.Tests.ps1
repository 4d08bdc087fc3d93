BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore

    function New-Faces([string] $Folder, [int] $Count, [int] $Offset = 0) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        foreach ($i in 1..$Count) { New-GradientImage (Join-Path $Folder ('face{0:D4}.png' -f $i)) (40 + ($i + $Offset) % 37) (50 + ($i + $Offset) % 23) -Seed ($i + 1000 * $Offset) }
    }
    function Read-Manifest([string] $Path) { @(Get-Content $Path | ForEach-Object { $_ | ConvertFrom-Json }) }
    # The nearest-rank percentile, transcribed from its definition: the value of rank ceil(P/100 * n) in ascending order.
    function Get-NearestRank([double[]] $Values, [double] $P) {
        $sorted = @($Values | Sort-Object)
        $sorted[[math]::Ceiling($P / 100 * $sorted.Count) - 1]
    }
    # The server's own request log: one line per request, "POST /extract -> STATUS in N ms (model M)".
    function Get-ExtractLog($Server) { @($Server.RecentOutput | Where-Object { $_ -match 'POST /extract -> ' }) }
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-FaceEmbeddingRun' {
    It 'accounts for a run through injected faults, latency and a rate limit exactly as the server''s request log saw it' {
        $faces = New-Faces (Join-Path $Work 'faces') 30 -Offset 5
        $latency = 25
        $server = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs $latency -FaultErrorRate 0.2 -FaultDropRate 0.05 -FaultSeed 11 -RateLimit 20 -RateBurst 4
        $out = Join-Path $Work 'run/dingo'
        $null = Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -Path $faces -OutputDirectory $out -ThrottleLimit 4 -MaximumRetryCount 2 -ErrorAction SilentlyContinue -ErrorVariable failures
        $rows = Read-Manifest (Join-Path $out 'manifest.jsonl')
        $rows.Count | Should -Be 30
        $requests = ($rows.attempts | Measure-Object -Sum).Sum
        # The log lines come in asynchronously: wait (a hang guard, not a time bound) until the server has logged every request.
        $deadline = [datetime]::UtcNow.AddMinutes(2)
        while ((Get-ExtractLog $server).Count -lt $requests -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $log = Get-ExtractLog $server
        $server.RecentOutput[0] | Should -Not -Match 'POST /extract' -Because 'the log must hold the whole run (it keeps the last 200 lines)'

        $a = @(Measure-FaceEmbeddingRun (Join-Path $Work 'run/*'))
        $a.Count | Should -Be 1
        $a = $a[0]
        $a.Model | Should -Be 'dingo'
        $a.Items | Should -Be 30
        $a.Requests | Should -Be $log.Count -Because 'every request the manifest counts reached the server, and no other'
        $a.Throttled | Should -Be @($log | Where-Object { $_ -match '-> 429 ' }).Count
        $served = @($log | Where-Object { $_ -match '-> 200 ' -and $_ -notmatch 'connection dropped' })
        $a.Ok | Should -Be $served.Count -Because 'each 200 the server answered is one item done'
        $a.Failed | Should -Be $failures.Count
        $a.Ok + $a.Failed + $a.NoFace | Should -Be 30
        @($log | Where-Object { $_ -match '-> 500 |connection dropped' }).Count | Should -BeGreaterThan 0 -Because 'faults were injected'
        # Every request's outcome, as the client recorded it per attempt, against the server's own lines.
        function Answered([int] $Status) { if ($a.Answers.ContainsKey($Status)) { $a.Answers[$Status] } else { 0 } }
        Answered 200 | Should -Be $served.Count
        Answered 500 | Should -Be @($log | Where-Object { $_ -match '-> 500 ' }).Count
        Answered 429 | Should -Be $a.Throttled
        Answered 0 | Should -Be @($log | Where-Object { $_ -match 'connection dropped' }).Count -Because 'a dropped connection is a request without an answer'
        $a.Failed | Should -Be (($a.FailedBy.Values | Measure-Object -Sum).Sum)
        $a.AttemptsDistribution.Keys | ForEach-Object { $_ | Should -BeLessOrEqual 3 }
        (($a.AttemptsDistribution.GetEnumerator() | ForEach-Object { $_.Key * $_.Value }) | Measure-Object -Sum).Sum | Should -Be $a.Requests

        # Latency: nearest-rank percentiles of the ok rows' latency_ms, and no latency shorter than the server's own time.
        $ok = @($rows | Where-Object status -eq 'ok')
        $a.LatencySamples | Should -Be $ok.Count
        $a.LatencyP50Ms | Should -Be (Get-NearestRank $ok.latency_ms 50)
        $a.LatencyP90Ms | Should -Be (Get-NearestRank $ok.latency_ms 90)
        $a.LatencyP95Ms | Should -Be (Get-NearestRank $ok.latency_ms 95)
        $a.LatencyP99Ms | Should -Be (Get-NearestRank $ok.latency_ms 99)
        $a.LatencyMaxMs | Should -Be ($ok.latency_ms | Measure-Object -Maximum).Maximum
        $serverMs = @($served | ForEach-Object { [double]([regex]::Match($_, ' in (\d+) ms').Groups[1].Value) } | Sort-Object)
        $clientMs = @($ok.latency_ms | Sort-Object)
        $serverMs[0] | Should -BeGreaterOrEqual $latency -Because 'the server added its fault latency to every request'
        for ($k = 0; $k -lt $clientMs.Count; $k++) { $clientMs[$k] | Should -BeGreaterOrEqual ($serverMs[$k] - 1) -Because 'each request took at least what the server spent on it (logged in whole ms)' }

        # Times: every row has its first send and its end; the span runs from the first to the last.
        foreach ($r in $rows) { [datetimeoffset]$r.started | Should -BeLessOrEqual ([datetimeoffset]$r.time) }
        $a.Start | Should -Be (($rows | ForEach-Object { [datetimeoffset]$_.started }) | Sort-Object | Select-Object -First 1)
        $a.End | Should -Be (($rows | ForEach-Object { [datetimeoffset]$_.time }) | Sort-Object | Select-Object -Last 1)
        $a.ItemsPerSecond | Should -Be ($a.Ok / ($a.End - $a.Start).TotalSeconds)
        [math]::Abs($a.RateLimitWait.TotalMilliseconds - ($rows.rate_wait_ms | Measure-Object -Sum).Sum) | Should -BeLessThan 0.01 -Because 'the waits are the rows'' sum (a TimeSpan keeps 0.1 us ticks)'
        $a.Findings.Count | Should -Be 0
    }

    It 'reads a manifest written before latency was recorded, and says it cannot measure latency' {
        $old = Join-Path $Work 'old'
        New-Item -ItemType Directory $old | Out-Null
        Set-Content (Join-Path $old 'manifest.jsonl') -Value @(
            '{"time":"2026-11-01T10:00:01+00:00","source":"a.png","crop_sha256":"aa","model":"emu","status":"ok","npy":"a.npy","dimension":4,"elapsed_ms":1000,"attempts":1}'
            '{"time":"2026-11-01T10:00:03+00:00","source":"b.png","crop_sha256":"bb","model":"emu","status":"no_face","error_id":"NoFaceDetected","npy":"b.npy","elapsed_ms":500,"attempts":2}'
            '{"time":"2026-11-01T10:00:04+00:00","source":"c.png","crop_sha256":"cc","model":"emu","status":"error","error_id":"ServerUnavailable","npy":"c.npy","elapsed_ms":500,"attempts":6}'
        )
        $a = Measure-FaceEmbeddingRun $old -WarningVariable wv 3>$null
        $a.Items | Should -Be 3
        $a.Ok | Should -Be 1
        $a.NoFace | Should -Be 1
        $a.FailureToEnrolRate | Should -Be 0.5
        $a.FailedBy['ServerUnavailable'] | Should -Be 1
        $a.Requests | Should -Be 9
        [double]::IsNaN($a.LatencyP50Ms) | Should -BeTrue
        $a.Start | Should -Be ([datetimeoffset]'2026-11-01T10:00:00+00:00') -Because 'an old row started its elapsed time before it was written'
        $a.Span | Should -Be ([timespan]::FromSeconds(4))
        $a.Findings[0] | Should -Match 'predates latency'
        "$wv" | Should -Match 'predates latency'
    }

    It 'says which path is not a manifest' {
        $empty = Join-Path $Work 'empty-folder'
        New-Item -ItemType Directory $empty | Out-Null
        $null = Measure-FaceEmbeddingRun $empty -ErrorVariable ev -ErrorAction SilentlyContinue
        Get-ErrorId $ev[0] | Should -Be 'FileNotFound'
        "$($ev[0])" | Should -Match 'no manifest.jsonl'
    }
}

Describe 'Invoke-FaceEmbedding -Canary' {
    BeforeAll {
        $script:CanaryFaces = New-Faces (Join-Path $Work 'canary-faces') 20 -Offset 9
    }

    It 'warns at the time and reports "the model changed" when the server swaps the model mid-run' {
        $switching = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultSwitchModelAfter 15
        $out = Join-Path $Work 'canary-switch'
        $emb = @(Invoke-FaceEmbedding -Model dingo -ServerUrl $switching.Url -Path $CanaryFaces -OutputDirectory $out -ThrottleLimit 2 -Canary 3 -CanaryInterval 5 -WarningVariable wv 3>$null)
        $emb.Count | Should -Be 20 -Because 'canaries stay out of the output'
        @($wv | Where-Object { "$_" -match 'Drift canaries' }).Count | Should -BeGreaterThan 0
        $rows = Read-Manifest (Join-Path $out 'manifest.jsonl')
        $canaries = @($rows | Where-Object kind -eq 'canary')
        @($canaries | Where-Object canary_phase -eq 'start').Count | Should -Be 3
        $canaries.Count | Should -Be (Get-FaceEvalPlan -Path $CanaryFaces -Model dingo -RequestsPerSecond 1 -Canary 3 -CanaryInterval 5 -RetryShare 0).CanaryRequestsPerModel -Because 'the plan counts the canary requests the run makes'
        $end = @($canaries | Where-Object canary_phase -eq 'end')
        $end.Count | Should -Be 3
        foreach ($c in $end) { $c.canary_cosine | Should -BeLessThan (1 - 1e-4) }
        @($rows | Where-Object { $_.kind -ne 'canary' }).Count | Should -Be 20

        $a = Measure-FaceEmbeddingRun $out -WarningVariable av 3>$null
        $a.CanaryRequests | Should -Be $canaries.Count
        $a.Items | Should -Be 20
        $a.Findings -join ' ' | Should -Match 'The model changed during the run'
        "$av" | Should -Match 'The model changed during the run'
        $a.CanaryMinCosine | Should -Be (($canaries.canary_cosine | Where-Object { $null -ne $_ } | Measure-Object -Minimum).Minimum)
        # The server saw every canary request too: they count against the rate limit.
        $deadline = [datetime]::UtcNow.AddMinutes(2)
        $sent = ($rows.attempts | Measure-Object -Sum).Sum
        while ((Get-ExtractLog $switching).Count -lt $sent -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (Get-ExtractLog $switching).Count | Should -Be $sent
        Stop-FaceEvalServer $switching
    }

    It 'gives no warning and no finding when the model stays the same' {
        $steady = Start-FaceEvalServer -Model dingo=lbp -NoDetector
        $out = Join-Path $Work 'canary-steady'
        $emb = @(Invoke-FaceEmbedding -Model dingo -ServerUrl $steady.Url -Path $CanaryFaces -OutputDirectory $out -ThrottleLimit 2 -Canary 3 -CanaryInterval 5 -WarningVariable wv 3>$null)
        $emb.Count | Should -Be 20
        @($wv | Where-Object { "$_" -match 'Drift' }).Count | Should -Be 0
        $canaries = @(Read-Manifest (Join-Path $out 'manifest.jsonl') | Where-Object kind -eq 'canary')
        $canaries.Count | Should -Be 18
        foreach ($c in @($canaries | Where-Object canary_phase -ne 'start')) { $c.canary_cosine | Should -BeGreaterOrEqual (1 - 1e-4) }
        $a = Measure-FaceEmbeddingRun $out
        $a.Findings.Count | Should -Be 0
        $a.CanaryRequests | Should -Be 18
        Stop-FaceEvalServer $steady
    }

    It 'takes fixed canaries from -CanaryPath, outside the run''s items' {
        $steady = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultSwitchModelAfter 4
        $fixed = New-Faces (Join-Path $Work 'canary-fixed') 2 -Offset 77
        $out = Join-Path $Work 'canary-fixed-out'
        $null = Invoke-FaceEmbedding -Model dingo -ServerUrl $steady.Url -Path ($CanaryFaces | Select-Object -First 4) -OutputDirectory $out -CanaryPath $fixed -ThrottleLimit 1 -WarningVariable wv 3>$null
        $canaries = @(Read-Manifest (Join-Path $out 'manifest.jsonl') | Where-Object kind -eq 'canary')
        $canaries.Count | Should -Be 4
        @($canaries.source | Sort-Object -Unique) | Should -Be @($fixed | Sort-Object)
        "$wv" | Should -Match 'Drift canaries'
        Stop-FaceEvalServer $steady
    }
}
