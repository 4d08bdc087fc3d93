BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    function Format-Row($Object) { ($Object | Format-Table | Out-String -Width 300) -split "`n" | Where-Object { $_.Trim() } }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Table views' {
    It 'shows the service account per model: outcomes, requests, 429s, nearest-rank latency in ms, throughput, span and findings (#16)' {
        $a = [FaceEval.EmbeddingRunAccount]@{ Model = 'emu'; Items = 30; Ok = 27; NoFace = 1; Failed = 2; Requests = 41; Throttled = 6; LatencyP50Ms = 41.6; LatencyP95Ms = 120.2; LatencyP99Ms = 180.9; ItemsPerSecond = 3.04; Span = [timespan]::FromSeconds(8.9); Findings = [string[]]@('The model changed during the run.') }
        $lines = Format-Row $a
        $lines[0] | Should -Match '^Model\s+Items\s+Ok\s+NoFace\s+Failed\s+Requests\s+429\s+p50 ms\s+p95 ms\s+p99 ms\s+Items/s\s+Span\s+Findings'
        $lines[-1] | Should -Match '^emu\s+30\s+27\s+1\s+2\s+41\s+6\s+42\s+120\s+181\s+3\.0\s+8\.9 s\s+The model changed during the run\.'
        $old = [FaceEval.EmbeddingRunAccount]@{ Model = 'old'; Items = 1; Ok = 1 }
        (Format-Row $old)[-1] | Should -Match 'n/a\s+n/a\s+n/a\s+n/a\s+0\.0 s\s+none$'
    }

    It 'shows a plan in one row: pairs, requests, time per model and in all, the budget, whether it fits, and the estimable and useful FARs (#16)' {
        $plan = [FaceEval.EvaluationPlan]@{ Models = [string[]]('eagle', 'dingo'); Images = 400; GenuinePairs = 1800; ImpostorPairs = 78000; TotalRequests = 840
            TimePerModel = [timespan]::FromMinutes(3.5); TotalTime = [timespan]::FromHours(2.25); Budget = [timespan]::FromDays(7); Fits = $false
            FarTargets = [FaceEval.PlanFarTarget[]]@([FaceEval.PlanFarTarget]@{ TargetFar = 1e-3; Estimable = $true; UsefulInterval = $true }, [FaceEval.PlanFarTarget]@{ TargetFar = 1e-4; Estimable = $true }, [FaceEval.PlanFarTarget]@{ TargetFar = 1e-5 }) }
        $lines = Format-Row $plan
        $lines[0] | Should -Match '^Models\s+Images\s+Genuine\s+Impostor\s+Requests\s+Per model\s+All\s+Budget\s+Fits\s+Estimable FAR\s+Useful FAR'
        $lines[-1] | Should -Match '^eagle, dingo\s+400\s+1,800\s+78,000\s+840\s+3\.5 min\s+2\.3 h\s+168\.0 h\s+NO\s+1e-3, 1e-4\s+1e-3$'
    }

    It 'shows whose face a crop is, and a crop kept from an earlier run' {
        $dir = Join-Path $Work 'people/ann'
        New-Item -ItemType Directory -Force $dir | Out-Null
        $image = New-GradientImage (Join-Path $dir '1.png') 60 60
        $crop = Get-FaceCrop $image -BoundingBox 5, 5, 40, 40 -OutputDirectory (Join-Path $Work 'crops')
        $lines = Format-Row $crop
        $lines[0] | Should -Match '^Identity\s+Source'
        $lines[-1] | Should -Match '^ann\s+1\.png'
        $kept = Get-FaceCrop $image -BoundingBox 5, 5, 40, 40 -OutputDirectory (Join-Path $Work 'crops')
        (Format-Row $kept)[-1] | Should -Match '\(kept\)$'
    }

    It 'keeps milliseconds and resumed apart for embeddings' {
        $resumed = [FaceEval.FaceEmbedding]@{ SourcePath = '/p/ann/1.png'; Model = 'm'; Vector = [float[]](0.6, 0.8); Identity = 'ann'; Resumed = $true }
        $sent = [FaceEval.FaceEmbedding]@{ SourcePath = '/p/ann/2.png'; Model = 'm'; Vector = [float[]](0.6, 0.8); Identity = 'ann'; Elapsed = [timespan]::FromMilliseconds(42) }
        $lines = Format-Row @($resumed, $sent)
        $header = $lines[0]
        $header | Should -Match 'Ms\s+Resumed'
        $ms = $header.IndexOf('Resumed')
        $lines[2].Substring(0, $ms).TrimEnd() | Should -Not -Match 'resumed|yes' -Because 'the Ms column holds only milliseconds'
        $lines[2].Substring($ms) | Should -Match '^yes'
        $lines[3] | Should -Match '\b42\b'
        $lines[3].Substring($ms) | Should -Not -Match 'yes'
    }

    It 'names the identity beside each file in comparisons' {
        $a = [FaceEval.FaceEmbedding]@{ SourcePath = '/p/ann/1.png'; Model = 'm'; Vector = [float[]](1, 0); Identity = 'ann' }
        $b = [FaceEval.FaceEmbedding]@{ SourcePath = '/p/ben/1.png'; Model = 'm'; Vector = [float[]](0.6, 0.8); Identity = 'ben' }
        (Format-Row (Compare-FaceEmbedding -ReferenceEmbedding $a -DifferenceEmbedding $b))[-1] | Should -Match '^ann/1\.png\s+ben/1\.png\s+0\.6000\s+False'
    }

    It 'shows operating points as a table: model, FAR as 1e-3, threshold to 4 decimals, TAR in %, n/e; and exports them' {
        $pairs = foreach ($i in 1..400) { [pscustomobject]@{ Score = ($i % 97) / 97; IsMatch = $i % 4 -eq 0; Model = 'owl' } }
        $r = $pairs | Measure-FaceVerification -FarTarget 1e-1, 1e-2, 1e-3 -FoldCount 0 -WarningVariable wv -WarningAction SilentlyContinue
        $lines = Format-Row $r.OperatingPoints
        $lines[0] | Should -Match '^Model\s+TargetFar\s+Threshold\s+TAR'
        $lines[2] | Should -Match '^owl\s+1e-1\s+0\.\d{4}\s+\d+\.\d\d\s?%'
        $lines[4] | Should -Match '^owl\s+1e-3\s+.*n/e'
        @($wv | Where-Object Message -match 'cannot measure FAR 1e-3.*needs at least 1,000').Count | Should -Be 1
        # The result row: k-fold blank when it was not measured, not NaN.
        (Format-Row $r)[-1] | Should -Not -Match 'NaN'
        $csv = Join-Path $Work 'points.csv'
        $r.OperatingPoints | Export-Csv $csv
        $back = Import-Csv $csv
        $back.Model | Should -Be 'owl', 'owl', 'owl'
        [double]$back[0].Tar | Should -Be $r.OperatingPoints[0].Tar
    }

    It 'reads a model comparison as a sentence: who against whom, which metric, A and B in %, the difference in points, the interval, p and the winner' {
        $tar = [FaceEval.ModelComparison]@{ ModelA = 'dingo'; ModelB = 'eagle'; Metric = 'Tar'; TargetFar = 1e-3; ValueA = 0.4; ValueB = 0.9828; Difference = -0.5828
            Lower = -0.6663; Upper = -0.5087; PValue = 0.0001; AdjustedPValue = 0.0004; BootstrapCount = 1000; ConfidenceLevel = 0.95; Verdict = 'B better' }
        $eer = [FaceEval.ModelComparison]@{ ModelA = 'dingo'; ModelB = 'eagle'; Metric = 'Eer'; ValueA = 0.2311; ValueB = 0.0039; Difference = 0.2272
            Lower = 0.1972; Upper = 0.2641; PValue = 0.0123; AdjustedPValue = 0.0123; BootstrapCount = 1000; ConfidenceLevel = 0.95; Verdict = 'B better' }
        $same = [FaceEval.ModelComparison]@{ ModelA = 'kiwi'; ModelB = 'owl'; Metric = 'Tar'; TargetFar = 1e-2; ValueA = 0.5; ValueB = 0.5; Difference = 0
            Lower = -0.01; Upper = 0.02; PValue = 1; AdjustedPValue = 1; BootstrapCount = 200; ConfidenceLevel = 0.95; Verdict = 'No significant difference' }
        $won = [FaceEval.ModelComparison]@{ ModelA = 'kiwi'; ModelB = 'owl'; Metric = 'Tar'; TargetFar = 1e-2; ValueA = 0.6; ValueB = 0.5; Difference = 0.1
            Lower = 0.05; Upper = 0.15; PValue = 0.01; AdjustedPValue = 0.01; BootstrapCount = 200; ConfidenceLevel = 0.95; Verdict = 'A better' }
        $lines = Format-Row @($tar, $eer, $same, $won)
        $lines[0] | Should -Match '^Comparison\s+Metric\s+A\s+B\s+Difference\s+Interval\s+p\s+Verdict$'
        $lines[2] | Should -Match '^dingo vs eagle\s+TAR at FAR 1e-3\s+40\.00\s?%\s+98\.28\s?%\s+-58\.28 pp\s+\[-66\.63, -50\.87\]\s+< 0\.001\s+eagle better$'
        $lines[3] | Should -Match '^dingo vs eagle\s+EER\s+23\.11\s?%\s+0\.39\s?%\s+\+22\.72 pp\s+\[19\.72, 26\.41\]\s+0\.012\s+eagle better$'
        $lines[4] | Should -Match '^kiwi vs owl\s+TAR at FAR 1e-2\s.*\s0\.00 pp\s+\[-1\.00, 2\.00\]\s+1\.000\s+No significant difference$'
        $lines[5] | Should -Match '\+10\.00 pp.*\s0\.010\s+kiwi better$'
    }

    It 'gives the result table one TAR column per target asked for' {
        $pairs = foreach ($i in 1..400) { [pscustomobject]@{ Score = ($i % 97) / 97; IsMatch = $i % 4 -eq 0 } }
        $header = (Format-Row ($pairs | Measure-FaceVerification -FarTarget 0.2, 1e-1, 1e-3 -FoldCount 0 -WarningAction SilentlyContinue))[0]
        $header | Should -Match 'TAR@FAR2e-1\s+TAR@FAR1e-1\s+TAR@FAR1e-3\s+KFoldAcc'
        $header | Should -Not -Match 'TAR@FAR1e-2'
        $default = (Format-Row ($pairs | Measure-FaceVerification -FoldCount 0 -WarningAction SilentlyContinue))[0]
        $default | Should -Match 'TAR@FAR1e-2\s+TAR@FAR1e-3\s+TAR@FAR1e-4'
    }
}
