BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Compare-FaceEmbedding' {
    It 'scores by the dot product of the vectors as returned and ranks references' {
        $refs = [FaceEval.FaceEmbedding]@{ SourcePath = 'a.png'; Model = 'm'; Vector = [float[]](1, 0); Identity = 'alice' },
                [FaceEval.FaceEmbedding]@{ SourcePath = 'b.png'; Model = 'm'; Vector = [float[]](0, 1); Identity = 'bob' }
        $probe = [FaceEval.FaceEmbedding]@{ SourcePath = 'p.png'; Model = 'm'; Vector = [float[]](0.6, 0.8); Identity = 'bob' }
        $all = $probe | Compare-FaceEmbedding -ReferenceEmbedding $refs
        $all.Reference | Should -Be 'b.png', 'a.png'
        [math]::Round($all[0].Similarity, 6) | Should -Be 0.8
        [math]::Round($all[1].Similarity, 6) | Should -Be 0.6
        ($all | ForEach-Object Rank) | Should -Be 1, 2   # $all.Rank would be the array's own Rank
        $all.SameIdentity | Should -Be $true, $false
        (Compare-FaceEmbedding $refs $probe -Top 1).Reference | Should -Be 'b.png'
    }

    It 'never re-normalises, and warns about norms off 1' {
        $r = Compare-FaceEmbedding -ReferenceEmbedding (, [float[]](2, 0)) -DifferenceEmbedding (, [float[]](3, 0)) -WarningVariable wv -WarningAction SilentlyContinue
        $r.Similarity | Should -Be 6
        $wv[0].Message | Should -Match '^2 embedding\(s\) have a norm off 1'
    }

    It 'reads .npy paths, with the folder as identity' {
        $dir = New-Item -ItemType Directory -Force (Join-Path $Work 'alice')
        Write-TestNpy (Join-Path $dir 'x.npy') ([float[]](0.6, 0.8))
        $r = Compare-FaceEmbedding -ReferenceEmbedding (Join-Path $dir 'x.npy') -DifferenceEmbedding (, [float[]](0, 1))
        [math]::Round($r.Similarity, 6) | Should -Be 0.8
        $r.ReferenceIdentity | Should -Be 'alice'
    }

    It 'reports a dimension or model mismatch for that difference and goes on' {
        $ref = [FaceEval.FaceEmbedding]@{ SourcePath = 'a.png'; Model = 'eagle'; Vector = [float[]](1, 0) }
        $wrongDim = [FaceEval.FaceEmbedding]@{ SourcePath = 'd.png'; Model = 'eagle'; Vector = [float[]](1, 0, 0) }
        $wrongModel = [FaceEval.FaceEmbedding]@{ SourcePath = 'e.png'; Model = 'dingo'; Vector = [float[]](1, 0) }
        $good = [FaceEval.FaceEmbedding]@{ SourcePath = 'f.png'; Model = 'eagle'; Vector = [float[]](0, 1) }
        $r = $wrongDim, $wrongModel, $good | Compare-FaceEmbedding -ReferenceEmbedding $ref -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        (Get-ErrorId $ev[0]), (Get-ErrorId $ev[1]) | Should -Be 'DimensionMismatch', 'ModelMismatch'
        $ev[0].Exception.Message | Should -Match '3 dimensions.*2'
    }

    It 'compares every good file of a glob and gives one NpyUnreadable error, naming the file, per malformed one' {
        $dir = Join-Path $Work 'npy-glob/bob'
        $bad = @(Write-MalformedNpys $dir)
        $good = foreach ($i in 1..3) { $f = Join-Path $dir "good$i.npy"; Write-TestNpy $f ([float[]](0.6, 0.8)); $f }
        $ref = , [float[]](1, 0)
        $r = Get-ChildItem $dir -Filter *.npy | Compare-FaceEmbedding -ReferenceEmbedding $ref -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 3
        ($r.Difference | Sort-Object) | Should -Be ($good | Sort-Object)
        $ev.Count | Should -Be $bad.Count
        foreach ($e in $ev) {
            Get-ErrorId $e | Should -Be 'NpyUnreadable'
            $e.Exception.Message | Should -BeLike "*$(Split-Path $e.Exception.Target -Leaf)*"
        }
        # A wildcard path, as Import-FaceEmbedding -Path takes it: every match is read, each bad one is its own error.
        $r = Compare-FaceEmbedding -ReferenceEmbedding $ref -DifferenceEmbedding (Join-Path $dir '*.npy') -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 3
        $ev.Count | Should -Be $bad.Count
        @($ev | ForEach-Object { Get-ErrorId $_ } | Select-Object -Unique) | Should -Be 'NpyUnreadable'
        $r = Compare-FaceEmbedding -ReferenceEmbedding (Join-Path $dir 'good*.npy') -DifferenceEmbedding $ref
        @($r).Count | Should -Be 3
        { Compare-FaceEmbedding -ReferenceEmbedding (Join-Path $dir 'none*.npy') -DifferenceEmbedding $ref } | Should -Throw -ErrorId 'NpyUnreadable,*'
        # Paths as strings, and the same files as references: each bad one is an error, the good ones still form the gallery.
        $r = Compare-FaceEmbedding -ReferenceEmbedding (Get-ChildItem $dir -Filter *.npy).FullName -DifferenceEmbedding $ref -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 3
        ($r.Reference | Sort-Object) | Should -Be ($good | Sort-Object)
        $ev.Count | Should -Be $bad.Count
        (Get-ErrorId $ev[0]) | Should -Be 'NpyUnreadable'
    }

    It 'gives one error per embedding that cannot be compared (NaN, infinity, no face) and compares the rest' {
        $dir = New-Item -ItemType Directory -Force (Join-Path $Work 'values')
        Write-TestNpy (Join-Path $dir 'nan.npy') ([float[]]([float]::NaN, 1))
        $good = [FaceEval.FaceEmbedding]@{ SourcePath = 'ref.png'; Model = 'm'; Vector = [float[]](1, 0) }
        $badRef = [FaceEval.FaceEmbedding]@{ SourcePath = 'badref.png'; Model = 'm'; Vector = [float[]](0, [float]::NegativeInfinity) }
        $probes = @(
            [FaceEval.FaceEmbedding]@{ SourcePath = 'nan.png'; Model = 'm'; Vector = [float[]]([float]::NaN, 0) }
            [FaceEval.FaceEmbedding]@{ SourcePath = 'inf.png'; Model = 'm'; Vector = [float[]]([float]::PositiveInfinity, 0) }
            [FaceEval.FaceEmbedding]@{ SourcePath = 'noface.png'; Model = 'm'; Vector = [float[]]@() }
            (Join-Path $dir 'nan.npy')
            [FaceEval.FaceEmbedding]@{ SourcePath = 'fine.png'; Model = 'm'; Vector = [float[]](0.6, 0.8) }
        )
        $r = $probes | Compare-FaceEmbedding -ReferenceEmbedding $good, $badRef -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $r.Difference | Should -Be 'fine.png'
        [double]::IsNaN($r.Similarity) | Should -BeFalse
        @($ev | ForEach-Object { Get-ErrorId $_ }) | Should -Be 'InvalidEmbedding', 'InvalidEmbedding', 'InvalidEmbedding', 'NoFaceDetected', 'NpyUnreadable'
        $ev[0].Exception.Message | Should -Match "'badref.png'.*infinite"
        $ev[1].Exception.Message | Should -Match "'nan.png'.*NaN"
        $ev[3].Exception.Message | Should -Match "'noface.png'.*failure to enrol"
        $ev[4].Exception.Message | Should -Match 'nan\.npy.*NaN'
    }

    It 'stops when the references cannot be read' {
        { Compare-FaceEmbedding -ReferenceEmbedding (Join-Path $Work 'missing.npy') -DifferenceEmbedding (, [float[]](1)) } | Should -Throw -ErrorId 'NpyUnreadable,*'
    }
}
