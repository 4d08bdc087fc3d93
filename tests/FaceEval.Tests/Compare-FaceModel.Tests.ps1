BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Embeddings of $People identities x $Photos photos each: one unit direction per identity, plus seeded noise
    # of size $Noise, normalised. One seed gives the same faces to every model, so models differ by noise only.
    function New-Embeddings([string] $Model, [double] $Noise, [int] $People = 20, [int] $Photos = 5, [int] $Seed = 7, [int] $Dim = 16) {
        $r = [Random]::new($Seed)
        $gauss = { [math]::Sqrt(-2 * [math]::Log(1 - $r.NextDouble())) * [math]::Cos(2 * [math]::PI * $r.NextDouble()) }
        foreach ($p in 1..$People) {
            $base = foreach ($d in 1..$Dim) { & $gauss }
            foreach ($k in 1..$Photos) {
                $v = for ($d = 0; $d -lt $Dim; $d++) { $base[$d] + $Noise * (& $gauss) }
                $norm = [math]::Sqrt(($v | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
                [FaceEval.FaceEmbedding]@{ SourcePath = "/photos/p$p/$k.pgm"; ImagePath = "/crops/$Model/p$p/$k.png"; Model = $Model; Identity = "p$p"; Vector = [float[]]($v | ForEach-Object { $_ / $norm }) }
            }
        }
    }
    # The noise is drawn for each model with its own seed; the identities' directions come first from the same seed,
    # so two calls with one seed and one noise give the same vectors.
    $script:Better = @(New-Embeddings better 0.6)
    $script:Worse = @(New-Embeddings worse 1.4)
}

Describe 'Compare-FaceModel' {
    It 'finds no significant difference between two identical models, with intervals around 0' {
        $twin = @(New-Embeddings twin 0.6)
        $twin.Vector[5] | Should -Be $Better.Vector[5] -Because 'one seed and one noise give the same vectors'
        $r = @($Better + $twin | Compare-FaceModel -FarTarget 1e-1, 1e-2 -BootstrapCount 200)
        $r.Count | Should -Be 3
        $r.Metric | Should -Be 'Tar', 'Tar', 'Eer'
        foreach ($c in $r) {
            $c.Verdict | Should -Be 'No significant difference'
            $c.Difference | Should -Be 0
            $c.Lower | Should -BeLessOrEqual 0
            $c.Upper | Should -BeGreaterOrEqual 0
        }
    }

    It 'says the better model wins, with an interval that excludes 0' {
        $r = @($Worse + $Better | Compare-FaceModel -FarTarget 1e-1, 1e-2 -BootstrapCount 300)
        $r.ModelA | Select-Object -Unique | Should -Be 'better'
        $r.ModelB | Select-Object -Unique | Should -Be 'worse'
        foreach ($c in $r | Where-Object Metric -eq 'Tar') {
            $c.ValueA | Should -BeGreaterThan $c.ValueB
            $c.Lower | Should -BeGreaterThan 0
            $c.Verdict | Should -Be 'A better'
            $c.AdjustedPValue | Should -BeLessThan 0.05
            $c.BootstrapCount | Should -Be 300
        }
        $eer = $r | Where-Object Metric -eq 'Eer'
        $eer.ValueA | Should -BeLessThan $eer.ValueB
        $eer.Upper | Should -BeLessThan 0
        $eer.Verdict | Should -Be 'A better'
        $eer.GenuineOnlyA | Should -BeGreaterThan $eer.GenuineOnlyB
    }

    It 'reads each row as a sentence in its table view' {
        $text = $Worse + $Better | Compare-FaceModel -FarTarget 1e-2 -BootstrapCount 200 | Format-Table | Out-String -Width 200
        $text | Should -Match 'Comparison\s+Metric\s+A\s+B\s+Difference\s+Interval\s+p\s+Verdict'
        $text | Should -Match 'better vs worse\s+TAR at FAR 1e-2\s.*\+\d+\.\d\d pp\s+\[\d+\.\d\d, \d+\.\d\d\]\s+(< 0\.001|0\.0\d\d)\s+better better'
        $text | Should -Match 'better vs worse\s+EER\s.*-\d+\.\d\d pp\s+\[-\d+\.\d\d, -\d+\.\d\d\].*better better'
    }

    It 'opens the report of Measure-FaceVerification with a Decision section of the same comparisons' {
        $folder = New-TestFolder
        $report = Join-Path $folder 'report.html'
        $measured = @($Worse + $Better | Measure-FaceVerification -FarTarget 1e-1, 1e-2 -BootstrapCount 200 -Seed 3 -FoldCount 0 -Calibrate -ReportPath $report)
        $measured.Count | Should -Be 2
        $compared = @($Worse + $Better | Compare-FaceModel -FarTarget 1e-1, 1e-2 -BootstrapCount 200 -Seed 3)
        $html = Get-Content -Raw $report
        ($html -split '<h2>')[1] | Should -BeLike 'Decision</h2>*' -Because 'the decision is what the reader needs first'
        # One sentence per comparison, each with the figures Compare-FaceModel gives for the same seed.
        ([regex]::Matches(($html -split '<h2>')[1], '<li>')).Count | Should -Be $compared.Count
        foreach ($c in $compared | Where-Object Metric -eq 'Tar') {
            $far = $c.TargetFar.ToString('0.#####e0', [cultureinfo]::InvariantCulture)
            $points = (100 * $c.Difference).ToString('0.0', [cultureinfo]::InvariantCulture)
            $interval = '[{0}, {1}]' -f (100 * $c.Lower).ToString('0.0', [cultureinfo]::InvariantCulture), (100 * $c.Upper).ToString('0.0', [cultureinfo]::InvariantCulture)
            $html | Should -Match ([regex]::Escape("At FAR $far, better accepts $points points more genuine pairs than worse $interval"))
        }
        $html | Should -Match 'better&#39;s EER is [0-9.]+ points lower than worse&#39;s'
        $html | Should -Match '<img alt="Reliability diagram'
        $measured.Calibration.Reliability.Count | Should -BeGreaterThan 1
    }

    It 'leaves the Decision section out with one model, and compares on the same impostor sample when one is drawn' {
        $folder = New-TestFolder
        $Better | Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ReportPath (Join-Path $folder 'one.html') | Out-Null
        Get-Content -Raw (Join-Path $folder 'one.html') | Should -Not -Match '<h2>Decision</h2>'
        $Worse + $Better | Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ImpostorSample 500 -Seed 2 -ReportPath (Join-Path $folder 'sampled.html') -WarningAction SilentlyContinue | Out-Null
        $html = Get-Content -Raw (Join-Path $folder 'sampled.html')
        $html | Should -Match '<h2>Decision</h2>'
        $c = @($Worse + $Better | Compare-FaceModel -FarTarget 1e-1 -ImpostorSample 500 -Seed 2) | Where-Object Metric -eq 'Tar'
        $html | Should -Match ([regex]::Escape(('better accepts {0} points more genuine pairs than worse' -f (100 * $c.Difference).ToString('0.0', [cultureinfo]::InvariantCulture))))
        ($c.ImpostorOnlyA + $c.ImpostorOnlyB) | Should -BeLessOrEqual 500
    }

    It 'compares on the pairs of a pair list, naming those it cannot find' {
        $list = Join-Path (New-TestFolder) 'pairs.csv'
        # Genuine pairs within each person's first three photos, impostor pairs between neighbours' first photos, and one
        # unknown image; by the crop paths of one model (any model's name for an image finds it for all).
        $rows = foreach ($p in 1..20) {
            foreach ($k in 2..3) { [pscustomobject]@{ Reference = "/crops/better/p$p/1.png"; Difference = "/crops/better/p$p/$k.png"; IsMatch = 1 } }
            foreach ($q in ($p + 1)..($p + 4) | Where-Object { $_ -le 20 }) { [pscustomobject]@{ Reference = "/crops/worse/p$p/1.png"; Difference = "/crops/better/p$q/2.png"; IsMatch = 0 } }
        }
        @($rows) + [pscustomobject]@{ Reference = '/crops/better/p1/1.png'; Difference = '/crops/better/nobody/9.png'; IsMatch = 0 } | Export-Csv $list
        $c = @($Worse + $Better | Compare-FaceModel -FarTarget 1e-1 -PairList $list -BootstrapCount 200 -WarningVariable wv -WarningAction SilentlyContinue)
        $c.Count | Should -Be 2
        @($wv | Where-Object { "$_" -match '1 of \d+ pairs of the pair list pairs\.csv' }).Count | Should -Be 1
        $tar = $c | Where-Object Metric -eq 'Tar'
        $tar.ImpostorOnlyA + $tar.ImpostorOnlyB | Should -BeLessOrEqual (@($rows | Where-Object IsMatch -eq 0).Count)
        $tar.GenuineOnlyA + $tar.GenuineOnlyB | Should -BeLessOrEqual 40
        $tar.Verdict | Should -Be 'A better'
    }

    It 'compares only the items every model has, and warns once naming what each model lost' {
        $dropped = $Worse | Where-Object { $_.ImagePath -notmatch '/p3/2\.png$|/p7/5\.png$' }
        $r = @($Better + $dropped | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -WarningVariable wv -WarningAction SilentlyContinue)
        $warnings = @($wv | Where-Object Message -like '*Left out*')
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "*same 98 items*'better' 2 (p3/2, p7/5)*"
        $warnings[0].Message | Should -Not -BeLike "*'worse' *"
        # The same as dropping those items from both models by hand: the same pairs, the same draws.
        $both = ($Better | Where-Object { $_.ImagePath -notmatch '/p3/2\.png$|/p7/5\.png$' }) + $dropped
        $same = @($both | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -WarningVariable wv2)
        @($wv2).Count | Should -Be 0
        $r.ValueA | Should -Be $same.ValueA
        $r.ValueB | Should -Be $same.ValueB
        $r.Lower | Should -Be $same.Lower
        $r.Upper | Should -Be $same.Upper
    }

    It 'counts a failure to enrol against its model only, or leaves the item out for every model with -FailureToEnrol Exclude' {
        $failed = $Worse | ForEach-Object { if ($_.ImagePath -match '/p2/[1-4]\.png$') { [FaceEval.FaceEmbedding]@{ SourcePath = $_.SourcePath; ImagePath = $_.ImagePath; Model = 'worse'; Identity = $_.Identity; Vector = [float[]]@() } } else { $_ } }
        $reject = @($Better + $failed | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -WarningVariable wv)
        @($wv).Count | Should -Be 0 -Because 'a failure to enrol is an item the model has'
        $full = @($Better + $Worse | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200)
        $reject[0].ValueA | Should -Be $full[0].ValueA -Because 'the other model loses nothing'
        $reject[0].ValueB | Should -Not -Be $full[0].ValueB -Because 'the failures reject that model''s pairs of those items'
        $exclude = @($Better + $failed | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -FailureToEnrol Exclude -WarningVariable wx -WarningAction SilentlyContinue)
        @($wx | Where-Object Message -like '*-FailureToEnrol Exclude: 4 item(s)*').Count | Should -Be 1
        $exclude[0].ValueA | Should -Not -Be $full[0].ValueA -Because 'the items are left out for every model'
    }

    It 'stops with one error when the input has fewer than two models' {
        $errors = @()
        $e = { $Better | Compare-FaceModel -BootstrapCount 100 -ErrorVariable +errors -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'CannotMeasure,*' -PassThru
        $e.Exception.Message | Should -BeLike "*at least two models*'better'*"
        @($errors).Count | Should -BeLessOrEqual 1
        { @() | Compare-FaceModel } | Should -Throw -ErrorId 'NoInput,*'
    }

    It 'gives the same result for the same -Seed, and other draws for another' {
        $a = $Worse + $Better | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -Seed 4
        $b = $Worse + $Better | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -Seed 4
        $c = $Worse + $Better | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200 -Seed 5
        $a.Lower | Should -Be $b.Lower
        $a.Upper | Should -Be $b.Upper
        $a.PValue | Should -Be $b.PValue
        (($a.Lower -join ',') + ($a.Upper -join ',')) | Should -Not -Be (($c.Lower -join ',') + ($c.Upper -join ','))
    }

    It 'rejects FAR targets outside (0, 1] and fewer than 100 replicates' {
        { $Better | Compare-FaceModel -FarTarget 0 } | Should -Throw -ErrorId 'InvalidFarTarget,*'
        { $Better | Compare-FaceModel -FarTarget 1.5 } | Should -Throw -ErrorId 'InvalidFarTarget,*'
        { $Better | Compare-FaceModel -BootstrapCount 99 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'stops once, naming Import-FaceEmbedding, when .npy files are piped in' {
        $e = { 'a.npy', 'b.npy' | Compare-FaceModel } | Should -Throw -ErrorId 'EmbeddingFileInput,*' -PassThru
        $e.Exception.Message | Should -Match 'Import-FaceEmbedding'
    }

    It 'shows the bootstrap''s progress and completes it' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; `$args[0] | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 200").AddArgument($Worse + $Better)
            $out = $ps.Invoke()
            $out.Count | Should -Be 2
            $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Comparing models')
            @($records | Where-Object StatusDescription -match '^Bootstrap: [\d,]+ of 200 replicates$').Count | Should -BeGreaterThan 0
            ($records | Where-Object StatusDescription -eq 'Bootstrap: 200 of 200 replicates').PercentComplete | Should -Be 100
            $records[-1].RecordType | Should -Be 'Completed'
        } finally {
            $ps.Dispose()
        }
    }

    It 'stops the bootstrap on Ctrl+C' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; `$args[0] | Compare-FaceModel -FarTarget 1e-1 -BootstrapCount 100000").AddArgument($Worse + $Better)
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard, not a timing assertion
            while (-not ($ps.Streams.Progress | Where-Object StatusDescription -match '^Bootstrap: [\d,]+ of 100,000 replicates$') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @($ps.Streams.Progress | Where-Object StatusDescription -match '^Bootstrap: [\d,]+ of 100,000 replicates$').Count | Should -BeGreaterThan 0
            $stop = $ps.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([timespan]::FromMinutes(2)) | Should -BeTrue
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            $ps.Dispose()
        }
    }
}
