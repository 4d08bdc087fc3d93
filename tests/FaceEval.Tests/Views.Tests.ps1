BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    function Format-Row($Object) { ($Object | Format-Table | Out-String -Width 300) -split "`n" | Where-Object { $_.Trim() } }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Table views' {
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

    It 'gives the result table one TAR column per target asked for' {
        $pairs = foreach ($i in 1..400) { [pscustomobject]@{ Score = ($i % 97) / 97; IsMatch = $i % 4 -eq 0 } }
        $header = (Format-Row ($pairs | Measure-FaceVerification -FarTarget 0.2, 1e-1, 1e-3 -FoldCount 0 -WarningAction SilentlyContinue))[0]
        $header | Should -Match 'TAR@FAR2e-1\s+TAR@FAR1e-1\s+TAR@FAR1e-3\s+KFoldAcc'
        $header | Should -Not -Match 'TAR@FAR1e-2'
        $default = (Format-Row ($pairs | Measure-FaceVerification -FoldCount 0 -WarningAction SilentlyContinue))[0]
        $default | Should -Match 'TAR@FAR1e-2\s+TAR@FAR1e-3\s+TAR@FAR1e-4'
    }
}
