BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    function New-Embedding([string] $Id, [float[]] $Vector, [string] $Model = 'm', [string] $Name = [guid]::NewGuid()) {
        [FaceEval.FaceEmbedding]@{ SourcePath = "$Name.png"; ImagePath = "/d/$Name.png"; Model = $Model; Vector = $Vector; Identity = $Id }
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-FaceVerification' {
    It 'measures scored pairs from a CSV exactly (hand-worked answers)' {
        $csv = Join-Path $Work 'scores.csv'
        "Score,IsMatch`n0.9,1`n0.8,true`n0.6,1`n0.7,0`n0.5,false`n0.4,0`n0.3,0" | Set-Content $csv
        $r = Import-Csv $csv | Measure-FaceVerification -FarTargets 0.25, 0.1 -Folds 2
        $r.GenuinePairs | Should -Be 3
        $r.ImpostorPairs | Should -Be 4
        [math]::Round($r.Auc, 6) | Should -Be ([math]::Round(11 / 12, 6))
        [math]::Round($r.Eer, 6) | Should -Be ([math]::Round((0.25 + 1 / 3) / 2, 6))
        $p = $r.OperatingPoints
        [math]::Round($p[0].Threshold, 6), $p[0].Tar, $p[0].AchievedFar, $p[0].FalseAccepts, $p[0].Estimable | Should -Be 0.6, 1, 0.25, 1, $true
        $p[1].Estimable | Should -BeFalse
        [math]::Round($p[1].Tar, 6) | Should -Be ([math]::Round(2 / 3, 6))
    }

    It 'takes singular parameter nouns and still the plural names written before them' {
        $pairs = foreach ($i in 1..30) { [pscustomobject]@{ Score = $i / 31; IsMatch = $i % 3 -eq 0 } }
        $ids = @((New-Embedding a ([float[]](1, 0))), (New-Embedding a ([float[]](0.8, 0.6))), (New-Embedding b ([float[]](0, 1))),
            (New-Embedding b ([float[]](0.6, 0.8))), (New-Embedding c ([float[]](-1, 0))), (New-Embedding c ([float[]](-0.8, 0.6))))
        $new = $pairs | Measure-FaceVerification -FarTarget 0.2, 0.1 -FoldCount 3
        $old = $pairs | Measure-FaceVerification -FarTargets 0.2, 0.1 -Folds 3
        $old.OperatingPoints.TargetFar | Should -Be 0.2, 0.1
        $old.Folds, $old.KFoldAccuracy, $old.OperatingPoints.Tar | Should -Be $new.Folds, $new.KFoldAccuracy, $new.OperatingPoints.Tar
        $a = $ids | Measure-FaceVerification -FoldCount 0 -BootstrapCount 20 -Seed 3
        $b = $ids | Measure-FaceVerification -Folds 0 -Bootstrap 20 -Seed 3
        $b.BootstrapReplicates | Should -Be 20
        $b.EerLow, $b.EerHigh | Should -Be $a.EerLow, $a.EerHigh
        (Get-Command Measure-FaceVerification).Parameters['FoldCount'].Aliases | Should -Contain 'Folds'
    }

    It 'says once, with the fix, when no embedding has an identity, and plainly when the identities cannot give pairs' {
        $none = 1..5 | ForEach-Object { New-Embedding $null ([float[]](1, 0)) }
        $e = { $none | Measure-FaceVerification -FoldCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'MissingIdentity,*' -PassThru
        $e.Exception.Message | Should -Match 'None of the 5 embeddings'
        $e.Exception.Message | Should -Match '-IdentityFrom Folder'
        $errors = @(); try { $none | Measure-FaceVerification -FoldCount 0 -ErrorVariable errors -ErrorAction SilentlyContinue } catch { }
        $errors.Count | Should -BeLessOrEqual 1 -Because 'one error for the run, not one per embedding'

        $oneId = 1..3 | ForEach-Object { New-Embedding same ([float[]](1, 0)) }
        { $oneId | Measure-FaceVerification -FoldCount 0 } | Should -Throw "*all 3 embeddings show one identity ('same')*no impostor pairs*"
        $singles = 'a', 'b', 'c' | ForEach-Object { New-Embedding $_ ([float[]](1, 0)) }
        { $singles | Measure-FaceVerification -FoldCount 0 } | Should -Throw '*each of the 3 identities has a single image*no genuine pairs*'
        { New-Embedding a ([float[]](1, 0)) | Measure-FaceVerification -FoldCount 0 } | Should -Throw '*a single embedding*'
        $noFace = 'a', 'a', 'b' | ForEach-Object { New-Embedding $_ ([float[]]@()) }
        { $noFace | Measure-FaceVerification -FoldCount 0 } | Should -Throw '*found no face in any of the 3 images*'
        foreach ($bad in $oneId, $singles) {
            $message = try { $bad | Measure-FaceVerification -FoldCount 0 } catch { $_.Exception.Message }
            $message | Should -Not -Match '\(Parameter' -Because 'no internal parameter names in messages'
        }
    }

    It 'leaves out an embedding that cannot be scored, with an error naming its file, and measures the rest of the model' {
        $good = @(New-Embedding a ([float[]](1, 0)); New-Embedding a ([float[]](0.8, 0.6)); New-Embedding b ([float[]](0, 1)); New-Embedding b ([float[]](0.6, 0.8)); New-Embedding c ([float[]](-1, 0)); New-Embedding c ([float[]](-0.8, 0.6)))
        $expected = $good | Measure-FaceVerification -FoldCount 0 -FarTarget 0.1 -WarningAction SilentlyContinue
        $bad = @(
            New-Embedding a ([float[]]([float]::NaN, 0)) -Name nan
            New-Embedding b ([float[]](0, [float]::PositiveInfinity)) -Name inf
            New-Embedding c ([float[]](0.6, 0.8, 0)) -Name wide
        )
        $r = @($good[0..2]) + $bad + @($good[3..5]) | Measure-FaceVerification -FoldCount 0 -FarTarget 0.1 -ErrorVariable ev -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($r).Count | Should -Be 1 -Because 'one bad item never costs the model'
        ($r.GenuinePairs, $r.ImpostorPairs, $r.Auc, $r.Eer) | Should -Be $expected.GenuinePairs, $expected.ImpostorPairs, $expected.Auc, $expected.Eer
        @($ev | ForEach-Object { Get-ErrorId $_ }) | Should -Be 'InvalidEmbedding', 'InvalidEmbedding', 'DimensionMismatch'
        $ev[0].Exception.Message | Should -Match '/d/nan\.png.*NaN'
        $ev[1].Exception.Message | Should -Match '/d/inf\.png.*infinite'
        $ev[2].Exception.Message | Should -Match "/d/wide\.png' has 3 dimensions, but 6 other embeddings of model 'm' have 2"
        $ev[0].TargetObject.ImagePath | Should -Be '/d/nan.png'
    }

    It 'measures the other models when one cannot be measured at all, and refuses an embedding without a Vector' {
        $good = @(New-Embedding a ([float[]](1, 0)); New-Embedding a ([float[]](0.8, 0.6)); New-Embedding b ([float[]](0, 1)); New-Embedding b ([float[]](0.6, 0.8)))
        $lone = New-Embedding a ([float[]](1, 0)) -Model lone
        $noVector = [FaceEval.FaceEmbedding]@{ SourcePath = 'novector.png'; Model = 'm'; Vector = $null; Identity = 'a' }
        $r = @($good) + $lone + $noVector | Measure-FaceVerification -FoldCount 0 -FarTarget 0.5 -ErrorVariable ev -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($r).Model | Should -Be 'm'
        @($ev | ForEach-Object { Get-ErrorId $_ }) | Should -Be 'UnsupportedInput', 'CannotMeasure'
        $ev[0].Exception.Message | Should -BeLike "*novector.png*no Vector*"
        $ev[1].Exception.Message | Should -BeLike "*'lone'*single embedding*"
        $ev[1].TargetObject | Should -Be 'lone'
    }

    It 'warns once, and says in the report, when models were measured on different inputs' {
        function Set-Of([string] $Model, [string[]] $Skip = @()) {
            foreach ($id in 'ann', 'ben', 'cat') {
                foreach ($k in 1..3) {
                    if ("$id/$k" -in $Skip) { continue }
                    $angle = [array]::IndexOf(@('ann', 'ben', 'cat'), $id) * 2.1 + $k * 0.1
                    [FaceEval.FaceEmbedding]@{ SourcePath = "/data/$id/$k.png"; NpyPath = "/emb/$Model/$id/$k.npy"; Model = $Model; Vector = [float[]]([math]::Cos($angle), [math]::Sin($angle)); Identity = $id }
                }
            }
        }
        $same = @(Set-Of eagle) + @(Set-Of dingo) | Measure-FaceVerification -FoldCount 0 -FarTarget 0.1 -WarningVariable wv -WarningAction SilentlyContinue
        @($same).Count | Should -Be 2
        @($wv | Where-Object Message -like '*different inputs*').Count | Should -Be 0 -Because 'the .npy folders differ by model, the images do not'

        $report = Join-Path $Work 'different-inputs.html'
        $r = @(Set-Of eagle) + @(Set-Of dingo -Skip 'ben/2', 'cat/3') | Measure-FaceVerification -FoldCount 0 -FarTarget 0.1 -ReportPath $report -WarningVariable wv -WarningAction SilentlyContinue
        @($r).Count | Should -Be 2
        $warnings = @($wv | Where-Object Message -like '*different inputs*')
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "*'dingo' 7*'eagle' 9*'dingo' lacks 2 that another model has (ben/2, cat/3)*"
        $html = Get-Content -Raw $report
        $html | Should -Match 'Inputs per model'
        $html | Should -Match 'DIFFERENT'
        $html | Should -Match 'ben/2, cat/3'
    }

    It 'shows the bootstrap''s progress and stops it on Ctrl+C' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$env:FACEEVAL_MODULE'
`$r = [Random]::new(5)
`$in = foreach (`$i in 0..199) { `$a = `$r.NextDouble() * 6.28; [FaceEval.FaceEmbedding]@{ SourcePath = "`$i.png"; Model = 'm'; Vector = [float[]]([math]::Cos(`$a), [math]::Sin(`$a)); Identity = 'id' + (`$i % 40) } }
`$in | Measure-FaceVerification -FoldCount 0 -BootstrapCount 100000 -Seed 1
"@)
            $async = $ps.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddMinutes(2)   # a hang guard, not a timing assertion
            while (-not ($ps.Streams.Progress | Where-Object { $_.StatusDescription -match '^Bootstrap: [\d,]+ of 100,000 replicates$' -and $_.PercentComplete -ge 0 }) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @($ps.Streams.Progress | Where-Object { $_.StatusDescription -match '^Bootstrap: [\d,]+ of 100,000 replicates$' }).Count | Should -BeGreaterThan 0
            $stop = $ps.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([timespan]::FromMinutes(2)) | Should -BeTrue -Because 'the bootstrap checks for Ctrl+C at every replicate'
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $async.IsCompleted | Should -BeTrue
        } finally {
            $ps.Dispose()
        }
    }

    It 'stops once, naming Import-FaceEmbedding, when .npy files are piped in' {
        $dir = Join-Path $Work 'npy-in'
        New-Item -ItemType Directory -Force $dir | Out-Null
        $files = foreach ($i in 1..5) { $f = Join-Path $dir "$i.npy"; Write-TestNpy $f ([float[]](0.6, 0.8)); $f }
        $errors = @()
        $e = { Get-ChildItem $dir -Filter *.npy | Measure-FaceVerification -ErrorVariable +errors -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'EmbeddingFileInput,*' -PassThru
        $e.Exception.Message | Should -Match 'Import-FaceEmbedding'
        @($errors | Where-Object { $_.FullyQualifiedErrorId -notlike 'EmbeddingFileInput*' }).Count | Should -Be 0 -Because 'one error, not one per file'
        { $files | Measure-FaceVerification } | Should -Throw -ErrorId 'EmbeddingFileInput,*'
    }

    It 'warns when -PlotPath looks like a file or -ReportPath is not .html, and still writes them' {
        $pairs = foreach ($i in 1..20) { [pscustomobject]@{ Score = $i / 21; IsMatch = $i % 2 -eq 0 } }
        $plots = Join-Path $Work 'roc.png'
        $report = Join-Path $Work 'report.pdf'
        $null = $pairs | Measure-FaceVerification -FoldCount 0 -PlotPath $plots -ReportPath $report -WarningVariable wv -WarningAction SilentlyContinue
        @($wv.Message | Where-Object { $_ -match 'PlotPath names a folder' }).Count | Should -Be 1
        @($wv.Message | Where-Object { $_ -match 'HTML' }).Count | Should -Be 1
        Test-Path $plots -PathType Container | Should -BeTrue
        (Get-Content -Raw $report) | Should -Match '^<!DOCTYPE html>'
        $null = $pairs | Measure-FaceVerification -FoldCount 0 -PlotPath (Join-Path $Work 'plots-ok') -ReportPath (Join-Path $Work 'ok.html') -WarningVariable quiet
        @($quiet | Where-Object { $_.Message -match 'PlotPath|HTML' }).Count | Should -Be 0
    }

    It 'gives one result per model on the same all-pairs construction, and counts failures to enrol' {
        $in = @(
            New-Embedding a ([float[]](1, 0)); New-Embedding a ([float[]](0.6, 0.8)); New-Embedding b ([float[]](0, 1)); New-Embedding b ([float[]]@())
            New-Embedding a ([float[]](1, 0)) 'n'; New-Embedding a ([float[]](1, 0)) 'n'; New-Embedding b ([float[]](0, 1)) 'n'; New-Embedding b ([float[]](0, 1)) 'n'
        )
        $r = $in | Measure-FaceVerification -FarTargets 0.25 -Folds 2
        $r.Model | Should -Be 'm', 'n'
        # Model m: genuine 0.6 plus one failure pair; impostors 0, 0.8 plus two failure pairs (see PairScorerTests).
        ($r[0].GenuinePairs, $r[0].ImpostorPairs, $r[0].FailureToEnrol) | Should -Be 2, 4, 1
        [math]::Round($r[0].Auc, 6) | Should -Be 0.5
        $r[0].OperatingPoints[0].Tar | Should -Be 0.5
        # Model n separates perfectly.
        ($r[1].Auc, $r[1].Eer) | Should -Be 1, 0
        $excluded = $in | Measure-FaceVerification -FarTargets 0.25 -Folds 2 -FailureToEnrol Exclude
        ($excluded[0].GenuinePairs, $excluded[0].ImpostorPairs, $excluded[0].FailureToEnrol, $excluded[0].FailureToEnrolHandling) | Should -Be 1, 2, 1, 'Exclude'
    }

    It 'samples impostor pairs reproducibly with -ImpostorSample, keeping every genuine pair' {
        $random = [Random]::new(5)
        $in = foreach ($id in 1..20) { foreach ($k in 1..3) { New-Embedding "id$id" ([float[]]@(1..4 | ForEach-Object { $random.NextDouble() - 0.5 })) } }
        $all = $in | Measure-FaceVerification -Folds 0
        ($all.GenuinePairs, $all.ImpostorPairs) | Should -Be 60, 1710
        $a = $in | Measure-FaceVerification -Folds 0 -ImpostorSample 300 -Seed 1
        $b = $in | Measure-FaceVerification -Folds 0 -ImpostorSample 300 -Seed 1
        $c = $in | Measure-FaceVerification -Folds 0 -ImpostorSample 300 -Seed 2
        ($a.GenuinePairs, $a.ImpostorPairs) | Should -Be 60, 300
        $a.Auc | Should -Be $b.Auc
        $a.Auc | Should -Not -Be $c.Auc
        ($in | Measure-FaceVerification -Folds 0 -ImpostorSample 5000).ImpostorPairs | Should -Be 1710 -Because 'a sample larger than the pool is the pool'
    }

    It 'gives seeded bootstrap intervals that hold the estimate, and refuses them where identities are missing' {
        $random = [Random]::new(8)
        $in = foreach ($id in 1..30) {
            $centre = 1..6 | ForEach-Object { $random.NextDouble() - 0.5 }
            foreach ($k in 1..4) { New-Embedding "id$id" ([float[]]@($centre | ForEach-Object { $_ + 0.5 * ($random.NextDouble() - 0.5) })) }
        }
        $a = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -Bootstrap 200 -Seed 3
        $b = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -Bootstrap 200 -Seed 3
        ($a.BootstrapReplicates, $a.ConfidenceLevel) | Should -Be 200, 0.95
        foreach ($p in $a.OperatingPoints) {
            $p.Tar | Should -BeGreaterOrEqual $p.TarLow
            $p.Tar | Should -BeLessOrEqual $p.TarHigh
            $p.TarHigh | Should -BeGreaterThan $p.TarLow
            $p.Threshold | Should -BeGreaterOrEqual $p.ThresholdLower -Because 'the strict threshold of all pairs lies in its bootstrap interval'
            $p.Threshold | Should -BeLessOrEqual $p.ThresholdUpper
            $p.ThresholdUpper | Should -BeGreaterThan $p.ThresholdLower
        }
        $a.OperatingPoints.ThresholdLower | Should -Be $b.OperatingPoints.ThresholdLower
        $a.OperatingPoints.ThresholdUpper | Should -Be $b.OperatingPoints.ThresholdUpper
        foreach ($p in ($in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01).OperatingPoints) {
            [double]::IsNaN($p.ThresholdLower), [double]::IsNaN($p.ThresholdUpper) | Should -Be $true, $true -Because 'no bootstrap, no threshold interval'
        }
        $a.Eer | Should -BeGreaterOrEqual $a.EerLow
        $a.Eer | Should -BeLessOrEqual $a.EerHigh
        ($a.EerLow, $a.EerHigh) | Should -Be $b.EerLow, $b.EerHigh
        ($in | Measure-FaceVerification -Folds 0).EerLow | Should -BeNullOrEmpty
        # All pairs (with a bootstrap), a sample, or a pair list: parameter sets, so Get-Help shows it and PowerShell refuses a mix.
        { $in | Measure-FaceVerification -Bootstrap 50 -ImpostorSample 100 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { $in | Measure-FaceVerification -BootstrapCount 50 -PairList ./pairs.txt } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        (Get-Command Measure-FaceVerification).ParameterSets.Name | Sort-Object | Should -Be 'AllPairs', 'ImpostorSample', 'PairList'
        { [pscustomobject]@{ Score = 0.5; IsMatch = 1 }, [pscustomobject]@{ Score = 0.2; IsMatch = 0 } | Measure-FaceVerification -Bootstrap 50 } | Should -Throw -ErrorId 'CannotMeasure,*'
    }

    It 'names its -IntervalMethod, gives one-sided bounds for claims, and never an interval of width zero (#20)' {
        $random = [Random]::new(8)
        $in = foreach ($id in 1..30) {
            $centre = 1..6 | ForEach-Object { $random.NextDouble() - 0.5 }
            foreach ($k in 1..4) { New-Embedding "id$id" ([float[]]@($centre | ForEach-Object { $_ + 0.5 * ($random.NextDouble() - 0.5) })) }
        }
        $none = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01
        $none.IntervalMethod | Should -BeNullOrEmpty
        $none.OperatingPoints[0].FnmrUpper | Should -BeNullOrEmpty
        $report = Join-Path $Work 'intervals.html'
        $w = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -IntervalMethod Wilson -ReportPath $report
        $w.IntervalMethod | Should -Be 'Wilson'
        $w.BootstrapReplicates | Should -Be 200 -Because 'Wilson takes the larger of the jackknife and a 200-replicate bootstrap variance'
        foreach ($p in $w.OperatingPoints) {
            $p.Tar | Should -BeGreaterOrEqual $p.TarLow
            $p.Tar | Should -BeLessOrEqual $p.TarHigh
            $p.FnmrUpper | Should -BeGreaterThan (1 - $p.Tar) -Because 'the one-sided bound of FNMR lies above the estimate'
            $p.FnmrUpper | Should -BeLessOrEqual (1 - $p.TarLow) -Because 'a one-sided bound at 95 % is inside the two-sided 95 % interval'
        }
        $w.EerUpper | Should -BeGreaterThan $w.Eer
        $html = Get-Content $report -Raw
        $html | Should -Match 'Wilson'
        $html | Should -Match 'FNMR &le;|FNMR ≤'
        ($in | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -Bootstrap 50 -Seed 3).IntervalMethod | Should -Be 'Wilson' -Because '-Bootstrap alone asks for intervals by the default method'
        $bca = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -IntervalMethod Bca -Bootstrap 100 -Seed 3
        $bca.IntervalMethod, $bca.BootstrapReplicates | Should -Be 'Bca', 100
        ($in | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -IntervalMethod Percentile -Seed 3).BootstrapReplicates | Should -Be 1000 -Because 'a bootstrap method without -BootstrapCount draws 1,000'
        { $in | Measure-FaceVerification -IntervalMethod Normal } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,*'
        { $in | Measure-FaceVerification -IntervalMethod Wilson -ImpostorSample 100 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        # Perfectly separated identities: no false reject at all, yet an upper bound above zero (the clustered rule of three).
        $clean = foreach ($id in 1..30) {
            $v = [float[]]::new(40); $v[$id] = 1
            foreach ($k in 1..3) { New-Embedding "c$id" $v }
        }
        $c = $clean | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -IntervalMethod ClopperPearson
        $p = $c.OperatingPoints[0]
        $p.Tar | Should -Be 1
        $p.TarHigh | Should -Be 1
        $p.FnmrUpper | Should -BeGreaterThan 0
        $p.TarLow | Should -BeLessThan 1 -Because 'no error seen is never an interval of width zero'
        [math]::Round($p.FnmrUpper, 9) | Should -Be ([math]::Round(1 - [math]::Pow(0.05, 1 / 30), 9)) -Because 'three pairs per identity, 30 identities: n0 = 30'
        $p.IntervalApproximate | Should -BeTrue
    }

    It 'checks that a threshold chosen on half the identities holds on the other half (-TransferCheck), seeded, and refuses it without all pairs' {
        $random = [Random]::new(11)
        $in = foreach ($id in 1..30) {
            $centre = 1..6 | ForEach-Object { $random.NextDouble() - 0.5 }
            foreach ($k in 1..4) { New-Embedding "id$id" ([float[]]@($centre | ForEach-Object { $_ + 0.5 * ($random.NextDouble() - 0.5) })) }
        }
        $a = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -TransferCheck 20 -Seed 4
        $b = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -TransferCheck 20 -Seed 4
        foreach ($p in $a.OperatingPoints) {
            [double]::IsFinite($p.TransferFarRatio) | Should -BeTrue
            [double]::IsFinite($p.TransferFarRatioMax) | Should -BeTrue
            $p.TransferFarRatioMax | Should -BeGreaterOrEqual $p.TransferFarRatio
            $p.TransferTar | Should -BeGreaterOrEqual 0
            $p.TransferTar | Should -BeLessOrEqual 1
        }
        $a.OperatingPoints.TransferFarRatio | Should -Be $b.OperatingPoints.TransferFarRatio
        $a.OperatingPoints.TransferFarRatioMax | Should -Be $b.OperatingPoints.TransferFarRatioMax
        $a.OperatingPoints.TransferTar | Should -Be $b.OperatingPoints.TransferTar
        $a.TransferSplits | Should -Be 20
        $other = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01 -TransferCheck 20 -Seed 5
        ($other.OperatingPoints.TransferFarRatioMax -join ',') | Should -Not -Be ($a.OperatingPoints.TransferFarRatioMax -join ',') -Because 'the seed draws the splits'
        $off = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1, 0.01
        foreach ($p in $off.OperatingPoints) { [double]::IsNaN($p.TransferFarRatio), [double]::IsNaN($p.TransferFarRatioMax), [double]::IsNaN($p.TransferTar) | Should -Be $true, $true, $true }
        $off.TransferSplits | Should -Be 0
        { $in | Measure-FaceVerification -TransferCheck 5 -ImpostorSample 100 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { $in | Measure-FaceVerification -TransferCheck 5 -PairList ./pairs.txt } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { [pscustomobject]@{ Score = 0.5; IsMatch = 1 }, [pscustomobject]@{ Score = 0.2; IsMatch = 0 } | Measure-FaceVerification -TransferCheck 5 } | Should -Throw -ErrorId 'CannotMeasure,*'
    }

    It 'calibrates scores into log-likelihood ratios (-Calibrate), with Cllr and MinCllr in bits and a probability per score and prior' {
        $random = [Random]::new(12)
        $in = foreach ($id in 1..30) {
            $centre = 1..6 | ForEach-Object { $random.NextDouble() - 0.5 }
            foreach ($k in 1..4) { New-Embedding "id$id" ([float[]]@($centre | ForEach-Object { $_ + 0.5 * ($random.NextDouble() - 0.5) })) }
        }
        $r = $in | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -Calibrate -Seed 2
        $c = $r.Calibration
        $c | Should -Not -BeNullOrEmpty
        $c.Model | Should -Be 'm'
        [double]::IsFinite($c.Cllr) | Should -BeTrue
        $c.Cllr | Should -BeGreaterOrEqual $c.MinCllr
        $c.MinCllr | Should -BeGreaterOrEqual 0
        $c.CalibrationLoss | Should -Be ($c.Cllr - $c.MinCllr)
        $c.Slope | Should -BeGreaterThan 0 -Because 'genuine pairs score higher here'
        $low, $mid, $high = $c.Probability(0.1, 0.5), $c.Probability(0.3, 0.5), $c.Probability(0.6, 0.5)
        $mid | Should -BeGreaterThan $low
        $high | Should -BeGreaterThan $mid
        $c.Probability(0.3, 0.9) | Should -BeGreaterThan $mid -Because 'a higher prior of genuine pairs raises the probability'
        $c.Probability(0.3, 0.1) | Should -BeLessThan $mid
        $c.Probability(0.3, 0.5) | Should -BeGreaterThan 0
        $c.Probability(0.3, 0.5) | Should -BeLessThan 1
        ($in | Measure-FaceVerification -Folds 0 -FarTargets 0.1 -Calibrate -Seed 2).Calibration.Cllr | Should -Be $c.Cllr -Because 'the seed draws the folds'
        ($in | Measure-FaceVerification -Folds 0 -FarTargets 0.1).Calibration | Should -BeNullOrEmpty
        { $in | Measure-FaceVerification -Calibrate -ImpostorSample 100 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
        { [pscustomobject]@{ Score = 0.5; IsMatch = 1 }, [pscustomobject]@{ Score = 0.2; IsMatch = 0 } | Measure-FaceVerification -Calibrate } | Should -Throw -ErrorId 'CannotMeasure,*'
    }

    It 'reproduces the InsightFace convention where it differs from the strict one' {
        $pairs = @(0.9, 0.8, 0.6 | ForEach-Object { [pscustomobject]@{ Score = $_; IsMatch = $true } }) + @(0.7, 0.5, 0.4, 0.3 | ForEach-Object { [pscustomobject]@{ Score = $_; IsMatch = $false } })
        $strict = $pairs | Measure-FaceVerification -FarTargets 0.2 -Folds 2
        $insight = $pairs | Measure-FaceVerification -FarTargets 0.2 -Folds 2 -Convention InsightFace
        ($strict.OperatingPoints[0].AchievedFar, [math]::Round($strict.OperatingPoints[0].Tar, 4)) | Should -Be 0, 0.6667
        ($insight.OperatingPoints[0].AchievedFar, $insight.OperatingPoints[0].Tar) | Should -Be 0.25, 1
    }

    It 'measures only the pairs of a pair list, with its folds' {
        $in = @(New-Embedding a ([float[]](1, 0)) -Name a1; New-Embedding a ([float[]](0.8, 0.6)) -Name a2; New-Embedding b ([float[]](0, 1)) -Name b1; New-Embedding b ([float[]](0.2, 0.98)) -Name b2)
        $list = Join-Path $Work 'pairs.csv'
        "Reference,Difference,IsMatch,Fold`na1.png,a2.png,1,1`nb1,b2,1,2`na1,b1,0,1`na2,b2,0,2`nzz,a1,0,1" | Set-Content $list
        $r = $in | Measure-FaceVerification -PairList $list -FarTargets 0.5 -WarningVariable wv -WarningAction SilentlyContinue
        ($r.GenuinePairs, $r.ImpostorPairs, $r.Folds) | Should -Be 2, 2, 2
        $wv[0].Message | Should -Match '^1 of 5 pairs'
        $r.Auc | Should -Be 1
    }

    It 'stops with one PairListInvalid error naming the file, the line and what is wrong, for any malformed pair list' {
        $in = @(New-Embedding a ([float[]](1, 0)) -Name a1; New-Embedding a ([float[]](0.8, 0.6)) -Name a2; New-Embedding b ([float[]](0, 1)) -Name b1; New-Embedding b ([float[]](0.2, 0.98)) -Name b2)
        $cases = @(
            @{ Text = "10 0`na 1 2"; Message = "*line 1: the number of pairs per fold '0' must be at least one*" }
            @{ Text = "1 2`na 1 2`nb 1 c 2"; Message = '*line 1: it promises 1 folds of 2 matched and 2 mismatched pairs, 4 pair lines, but 2 follow*' }
            @{ Text = "1 1`n`na 1 x`nb 1 c 2"; Message = "*line 3: 'x' is not an image number*" }
            @{ Text = "Reference,Difference,IsMatch`na1,a2,maybe"; Message = "*line 2: IsMatch 'maybe'*" }
            @{ Text = "Reference,Difference`na1,a2"; Message = '*line 1: the header has no IsMatch column*' }
        )
        foreach ($case in $cases) {
            $list = Join-Path $Work 'bad-pairs.txt'
            Set-Content $list $case.Text
            $e = { $in | Measure-FaceVerification -PairList $list } | Should -Throw -ErrorId 'PairListInvalid,*' -PassThru
            $e.Exception.Message | Should -BeLike "*'$list'*"
            $e.Exception.Message | Should -BeLike $case.Message
            $e.TargetObject | Should -Be $list
        }
        { $in | Measure-FaceVerification -PairList 'NoSuchDrive:/pairs.txt' } | Should -Throw -ErrorId 'FileNotFound,*'
    }

    It 'writes the ROC to a CSV, and refuses what cannot be measured' {
        $pairs = 0.9, 0.1 | ForEach-Object { [pscustomobject]@{ Score = $_; IsMatch = ($_ -gt 0.5) } }
        $roc = Join-Path $Work 'roc.csv'
        $pairs | Measure-FaceVerification -Folds 2 -RocPath $roc | Out-Null
        $rows = Import-Csv $roc
        $rows[0].threshold | Should -Be 'Infinity'
        ($rows[-1].far, $rows[-1].tar) | Should -Be '1', '1'
        { [pscustomobject]@{ Score = 0.5; IsMatch = 1 } | Measure-FaceVerification } | Should -Throw '*no impostor pairs*'
        $nan = [pscustomobject]@{ Score = 'NaN'; IsMatch = 1 }, [pscustomobject]@{ Score = 0.2; IsMatch = 0 }, [pscustomobject]@{ Score = 0.8; IsMatch = 1 }
        $nan | Measure-FaceVerification -Folds 2 -ErrorVariable ev -ErrorAction SilentlyContinue | Out-Null
        Get-ErrorId $ev[0] | Should -Be 'InvalidScore'
    }

    It 'writes hostile model names to the ROC CSV so that they parse back and never run as formulas' {
        $names = '=HYPERLINK("http://evil.example/","click")', '+1+1', '-2', '@SUM(A1)', "`t=1", "`r=1", '  =1', 'a,b', 'say "hi"', "two`nlines", ([string][char]0xFF1D + '1'), 'plain'
        $pairs = foreach ($name in $names) {
            foreach ($score in 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1) { [pscustomobject]@{ Score = $score; IsMatch = ($score -gt 0.5); Model = $name } }
        }
        $roc = Join-Path $Work 'hostile-roc.csv'
        $r = $pairs | Measure-FaceVerification -Folds 0 -RocPath $roc -WarningAction SilentlyContinue
        $rows = @(Import-Csv $roc)
        $rows.Count | Should -Be ($r | ForEach-Object { $_.Roc.Count } | Measure-Object -Sum).Sum
        function Test-Formula([string] $Text) { $Text -match '^[\t\r\n\0]' -or $Text.TrimStart() -match '^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]' }
        $expected = foreach ($name in $names) { if (Test-Formula $name) { "'" + $name } else { $name } }
        ($rows.model | Select-Object -Unique | Sort-Object) | Should -Be ($expected | Sort-Object)
        foreach ($row in $rows) {
            Test-Formula $row.model | Should -BeFalse -Because "'$($row.model)' would run as a formula"
            foreach ($n in $row.threshold, $row.far, $row.tar) { [double]::Parse($n, [cultureinfo]::InvariantCulture) | Should -BeOfType [double] }
        }
    }

    It 'writes plots and a report, honours -WhatIf, and keeps the results when a file cannot be written' {
        $pairs = 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1 | ForEach-Object { [pscustomobject]@{ Score = $_; IsMatch = ($_ -gt 0.5); Model = 'm' } }
        $plots = Join-Path $Work 'plots-whatif'
        $report = Join-Path $Work 'whatif.html'
        $pairs | Measure-FaceVerification -Folds 0 -PlotPath $plots -ReportPath $report -WhatIf | Out-Null
        Test-Path $plots | Should -BeFalse
        Test-Path $report | Should -BeFalse

        $plots = Join-Path $Work 'plots'
        $r = $pairs | Measure-FaceVerification -Folds 0 -PlotPath $plots -ReportPath (Join-Path $Work 'report.html')
        (Get-ChildItem $plots).Name | Sort-Object | Should -Be 'det.png', 'det.svg', 'faceeval-outputs.jsonl', 'roc.png', 'roc.svg', 'scores.png', 'scores.svg'
        $png = [OpenCvSharp.Cv2]::ImRead((Join-Path $plots 'roc.png'))
        ($png.Width, $png.Height) | Should -Be 800, 560
        Get-Content -Raw (Join-Path $Work 'report.html') | Should -Match '<th>m</th>'

        # A file where the plot folder should be: the plots fail with PlotFailed, the result still comes out.
        $blocked = Join-Path $Work 'not-a-folder'
        Set-Content $blocked 'x'
        $r = $pairs | Measure-FaceVerification -Folds 0 -PlotPath $blocked -ErrorVariable ev -ErrorAction SilentlyContinue
        Get-ErrorId $ev[0] | Should -Be 'PlotFailed'
        $ev[0].TargetObject | Should -Be $blocked
        $r.Auc | Should -Be 1

        # The same for the ROC file: a path under a file cannot be written; the error names the user's path, not a temporary file.
        $badRoc = Join-Path $blocked 'roc.csv'
        $r = $pairs | Measure-FaceVerification -Folds 0 -RocPath $badRoc -ErrorVariable ev -ErrorAction SilentlyContinue
        Get-ErrorId $ev[0] | Should -Be 'RocFailed'
        $ev[0].TargetObject | Should -Be $badRoc
        $ev[0].Exception.Message | Should -Not -Match '\.tmp'
        $r.Auc | Should -Be 1 -Because 'the results are not lost'
    }

    It 'keeps the results, with one error naming the path as given, whatever makes an output file unwritable' {
        $pairs = 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1 | ForEach-Object { [pscustomobject]@{ Score = $_; IsMatch = ($_ -gt 0.5); Model = 'm' } }
        $root = Join-Path $Work 'unwritable'
        New-Item -ItemType Directory -Force $root | Out-Null
        $file = Join-Path $root 'a-file'
        Set-Content $file 'x'
        $folder = New-Item -ItemType Directory -Force (Join-Path $root 'a-folder')
        # Tests may run as root, for whom a read-only folder is writable: these block everyone.
        $cases = @(
            @{ Parameter = 'ReportPath'; Path = $folder.FullName; Id = 'ReportFailed'; Why = 'is a folder' }
            @{ Parameter = 'ReportPath'; Path = (Join-Path $file 'report.html'); Id = 'ReportFailed'; Why = 'is a file' }
            @{ Parameter = 'RocPath'; Path = $folder.FullName; Id = 'RocFailed'; Why = 'is a folder' }
            @{ Parameter = 'RocPath'; Path = (Join-Path $file 'deeper/roc.csv'); Id = 'RocFailed'; Why = 'is a file' }
            @{ Parameter = 'RocPath'; Path = 'NoSuchDrive:/roc.csv'; Id = 'RocFailed'; Why = 'drive' }
            @{ Parameter = 'RocPath'; Path = 'Variable:/roc'; Id = 'RocFailed'; Why = 'not a file' }
            @{ Parameter = 'PlotPath'; Path = (Join-Path $file 'plots'); Id = 'PlotFailed'; Why = 'is a file' }
            @{ Parameter = 'PlotPath'; Path = 'NoSuchDrive:/plots'; Id = 'PlotFailed'; Why = 'drive' }
        )
        foreach ($case in $cases) {
            $splat = @{ $case.Parameter = $case.Path }
            $r = $null; $ev = $null
            $r = $pairs | Measure-FaceVerification -Folds 0 @splat -ErrorVariable ev -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $r.Auc | Should -Be 1 -Because "the results come out when -$($case.Parameter) '$($case.Path)' cannot be written"
            @($ev).Count | Should -Be 1 -Because "-$($case.Parameter) '$($case.Path)'"
            Get-ErrorId $ev[0] | Should -Be $case.Id
            $ev[0].TargetObject | Should -Be $case.Path
            $ev[0].Exception.Message | Should -Not -Match '\.tmp'
            $ev[0].Exception.Message | Should -BeLike "*$($case.Path)*"
            $ev[0].Exception.Message | Should -BeLike "*$($case.Why)*"
        }

        # A plot folder where some of the plot files' names are taken by folders: those fail, one error each, the others are written.
        $plots = New-Item -ItemType Directory -Force (Join-Path $root 'plots')
        New-Item -ItemType Directory -Force (Join-Path $plots 'roc.png'), (Join-Path $plots 'det.svg') | Out-Null
        $r = $pairs | Measure-FaceVerification -Folds 0 -PlotPath $plots.FullName -ReportPath (Join-Path $root 'report.html') -ErrorVariable ev -ErrorAction SilentlyContinue
        $r.Auc | Should -Be 1
        @($ev | ForEach-Object { Get-ErrorId $_ }) | Should -Be 'PlotFailed', 'PlotFailed'
        $ev[0].TargetObject | Should -Be $plots.FullName
        $ev[0].Exception.Message | Should -BeLike "*$(Join-Path $plots.FullName 'roc.png')*is a folder*"
        $ev[1].Exception.Message | Should -BeLike "*$(Join-Path $plots.FullName 'det.svg')*"
        foreach ($e in $ev) { $e.Exception.Message | Should -Not -Match '\.tmp' }
        (Get-ChildItem $plots -File | Where-Object Name -ne 'faceeval-outputs.jsonl').Name | Sort-Object | Should -Be 'det.png', 'roc.svg', 'scores.png', 'scores.svg'
        Test-Path (Join-Path $root 'report.html') | Should -BeTrue -Because 'the report still has its plots'

        # A folder that does not exist yet is created, as for every output.
        $deep = Join-Path $root 'new/deeper/roc.csv'
        $pairs | Measure-FaceVerification -Folds 0 -RocPath $deep | Out-Null
        Test-Path $deep | Should -BeTrue
    }
}
