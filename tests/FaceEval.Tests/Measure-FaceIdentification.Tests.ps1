BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    function New-Embedding([string] $Id, [float[]] $Vector, [string] $Role, [string] $Model = 'm', [string] $Name = [guid]::NewGuid()) {
        $e = [FaceEval.FaceEmbedding]@{ SourcePath = "$Name.png"; ImagePath = "/d/$Id/$Name.png"; Model = $Model; Vector = $Vector; Identity = $Id }
        if ($Role) { $e | Add-Member -NotePropertyName Role -NotePropertyValue $Role -PassThru } else { $e }
    }
    # The hand-worked case of the engine's tests: gallery A, B, C on the axes; mated searches of rank 2
    # (a tie at the mate), 1, 3 and 1; non-mated maxima .7, .4, .3, .2, .1.
    function New-StandardCase([string] $Model = 'm', [switch] $NoRole) {
        $r = if ($NoRole) { $null } else { 'Gallery' }
        New-Embedding A ([float[]](1, 0, 0)) $r $Model 'gA'
        New-Embedding B ([float[]](0, 1, 0)) $r $Model 'gB'
        New-Embedding C ([float[]](0, 0, 1)) $r $Model 'gC'
        $p = if ($NoRole) { $null } else { 'Probe' }
        New-Embedding A ([float[]](0.5, 0.5, 0)) $p $Model 'p1'
        New-Embedding A ([float[]](0.6, 0.3, 0)) $p $Model 'p2'
        New-Embedding B ([float[]](0.2, 0.1, 0.2)) $p $Model 'p3'
        New-Embedding C ([float[]](0, 0, 0.9)) $p $Model 'p4'
        New-Embedding D ([float[]](0.7, 0, 0)) $p $Model 'n1'
        New-Embedding E ([float[]](0, 0.4, 0)) $p $Model 'n2'
        New-Embedding F ([float[]](0, 0, 0.3)) $p $Model 'n3'
        New-Embedding G ([float[]](0.2, 0.2, 0)) $p $Model 'n4'
        New-Embedding H ([float[]](0.1, 0, 0)) $p $Model 'n5'
    }
    function Format-Row($Object) { ($Object | Format-Table | Out-String -Width 300) -split "`n" | Where-Object { $_.Trim() } }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-FaceIdentification' {
    It 'measures rank, CMC and the strict operating point by definition (hand-worked answers)' {
        $r = New-StandardCase | Measure-FaceIdentification -FpirTarget 0.2, 0.1 -MaxRank 3 -WarningVariable wv -WarningAction SilentlyContinue
        $r.GalleryTemplates, $r.MatedSearches, $r.NonMatedSearches | Should -Be 3, 4, 5
        $r.Cmc | Should -Be 0.5, 0.75, 1
        $r.RankOneRate | Should -Be 0.5
        $p = $r.OperatingPoints[0]
        [math]::Round($p.Threshold, 6), $p.Fnir, $p.AchievedFpir, $p.FalseAlarms, $p.Selectivity, $p.Estimable | Should -Be 0.5, 0.5, 0.2, 1, 0.2, $true
        $r.OperatingPoints[1].Estimable | Should -BeFalse
        @($wv | Where-Object Message -match 'cannot measure FPIR 1e-1.*needs at least 10').Count | Should -Be 1
    }

    It 'reproduces the InsightFace rule where it differs from the strict one' {
        $r = New-StandardCase | Measure-FaceIdentification -FpirTarget 0.2 -Convention InsightFace
        [math]::Round($r.OperatingPoints[0].Threshold, 6) | Should -Be 0.7
        $r.OperatingPoints[0].Fnir | Should -Be 0.75
        $r.Convention | Should -Be 'InsightFace'
    }

    It 'takes the gallery apart with -Gallery, and gives what Role gives' {
        $all = @(New-StandardCase)
        $byRole = $all | Measure-FaceIdentification -FpirTarget 0.2
        $gallery = @(New-StandardCase -NoRole)[0..2]
        $apart = @(New-StandardCase -NoRole)[3..11] | Measure-FaceIdentification -Gallery $gallery -FpirTarget 0.2
        $apart.Cmc | Should -Be $byRole.Cmc
        $apart.OperatingPoints.Fnir | Should -Be $byRole.OperatingPoints.Fnir
        $apart.MatedSearches | Should -Be 4
    }

    It 'measures models side by side, one row each' {
        $r = @(New-StandardCase -Model owl) + @(New-StandardCase -Model emu) | Measure-FaceIdentification -WarningAction SilentlyContinue
        $r.Model | Should -Be 'emu', 'owl'
        $lines = Format-Row $r
        $lines[0] | Should -Match '^Model\s+Gallery\s+Mated\s+NonMated\s+FTE\s+Rank1\s+FNIR@FPIR1e-1'
        $lines[2] | Should -Match '^emu\s+3\s+4\s+5\s+0\s+50[.,]00\s?%\s+n/e'
        (Format-Row $r[0].OperatingPoints)[0] | Should -Match '^Model\s+TargetFpir\s+Threshold\s+Rank\s+FNIR'
    }

    It 'splits by seed when there is no Role: a share never enrolled, the first images by path enrolled' {
        $rnd = [Random]::new(3)
        $e = foreach ($id in 0..9) { foreach ($k in 0..3) { New-Embedding "id$id" ([float[]]($rnd.NextDouble(), $rnd.NextDouble(), $rnd.NextDouble())) -Name "$k" } }
        $r = $e | Measure-FaceIdentification -NonMatedShare 0.3 -EnrolCount 2 -Seed 5 -WarningAction SilentlyContinue
        $r.GalleryTemplates, $r.GalleryImages, $r.MatedSearches, $r.NonMatedSearches | Should -Be 7, 14, 14, 12
    }

    It 'counts failures to enrol as misses and non-alarms' {
        $e = @(New-StandardCase) + @(New-Embedding A ([float[]]@()) Probe) + @(New-Embedding Z ([float[]]@()) Probe)
        $r = $e | Measure-FaceIdentification -FpirTarget 0.5 -WarningVariable wv -WarningAction SilentlyContinue
        $r.FailureToEnrol | Should -Be 2
        $r.MatedSearches, $r.NonMatedSearches | Should -Be 5, 6
        $r.RankOneRate | Should -Be 0.4
        @($wv | Where-Object Message -match 'failures to enrol').Count | Should -Be 1
    }

    It 'reports an input with a wrong Role, and a non-embedding, as errors about them and measures the rest' {
        $e = @(New-StandardCase) + @(New-Embedding A ([float[]](1, 0, 0)) Witness) + @([pscustomobject]@{ Name = 'x' })
        $r = $e | Measure-FaceIdentification -FpirTarget 0.2 -ErrorVariable ev -ErrorAction SilentlyContinue
        $r.MatedSearches | Should -Be 4
        @($ev | ForEach-Object { Get-ErrorId $_ }) | Sort-Object | Should -Be 'InvalidRole', 'UnsupportedInput'
    }

    It 'stops on .npy files with the fix' {
        { 'a.npy' | Measure-FaceIdentification -ErrorAction Stop } | Should -Throw -ErrorId 'EmbeddingFileInput*'
    }

    It 'refuses the split-gallery protocol with a bootstrap' {
        { New-StandardCase | Measure-FaceIdentification -Protocol SplitGallery -BootstrapCount 10 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProtocol*'
    }

    It 'gives bootstrap intervals and the gallery-size curve' {
        $rnd = [Random]::new(8)
        $e = foreach ($id in 0..39) {
            $c = [double[]](1..8 | ForEach-Object { $rnd.NextDouble() - 0.5 })
            foreach ($k in 0..2) { New-Embedding "id$id" ([float[]]($c | ForEach-Object { $_ + 0.4 * ($rnd.NextDouble() - 0.5) })) -Name "$k" }
        }
        $r = $e | Measure-FaceIdentification -FpirTarget 0.1 -BootstrapCount 50 -GallerySizeCurve -GallerySizeDraws 4
        $r.BootstrapReplicates | Should -Be 50
        $r.OperatingPoints[0].FnirLow | Should -BeLessOrEqual $r.OperatingPoints[0].Fnir
        $r.OperatingPoints[0].FnirHigh | Should -BeGreaterOrEqual $r.OperatingPoints[0].Fnir
        $r.GallerySizeCurve.GallerySize | Should -Be 2, 5, 10, 20
        $r.GallerySizeCurve[-1].Fnir[0] | Should -Be $r.OperatingPoints[0].Fnir
    }

    It 'writes one report with verification and identification when both are measured' {
        $e = @(New-StandardCase)
        $v = $e | Measure-FaceVerification -FoldCount 0 -WarningAction SilentlyContinue
        $path = Join-Path $Work 'both.html'
        $null = $e | Measure-FaceIdentification -FpirTarget 0.2 -ReportPath $path -VerificationResult $v
        $html = Get-Content -Raw $path
        $html | Should -Match '<h2>Identification</h2>'
        $html | Should -Match '<h2>Summary</h2>'
        $html | Should -Match 'verification and identification report'
        ([regex]::Matches($html, 'data:image/png;base64')).Count | Should -BeGreaterOrEqual 5
        $only = Join-Path $Work 'only.html'
        $null = $e | Measure-FaceIdentification -FpirTarget 0.2 -ReportPath $only
        Get-Content -Raw $only | Should -Not -Match '<h2>Summary</h2>'
    }
}
