BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # $People identities x $Photos photos, seeded: one direction per identity plus noise, normalised.
    function New-Embeddings([string] $Model = 'm', [int] $People = 60, [int] $Photos = 6, [int] $Seed = 3, [int] $Dim = 12, [double] $Noise = 0.9) {
        $r = [Random]::new($Seed)
        foreach ($p in 1..$People) {
            $base = foreach ($d in 1..$Dim) { $r.NextDouble() * 2 - 1 }
            foreach ($k in 1..$Photos) {
                $v = for ($d = 0; $d -lt $Dim; $d++) { $base[$d] + $Noise * ($r.NextDouble() * 2 - 1) }
                $norm = [math]::Sqrt(($v | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
                [FaceEval.FaceEmbedding]@{ SourcePath = "/photos/p$p/$k.pgm"; NpyPath = "/emb/$Model/p$p/$k.npy"; Model = $Model; Identity = "p$p"; Vector = [float[]]($v | ForEach-Object { $_ / $norm }) }
            }
        }
    }

    # Counts the blocks of a split run in four thread jobs (each imports the module), refines them until the
    # merge gives results, and returns those.
    function Invoke-SplitRun([object[]] $Embeddings, [string] $Folder, [hashtable] $Options = @{}) {
        $module = $env:FACEEVAL_MODULE
        $count = {
            param($plan)
            1..4 | ForEach-Object {
                Start-ThreadJob -ArgumentList $_, $plan, $module, $Embeddings, $Folder, $Options {
                    param($i, $plan, $module, $e, $folder, $options)
                    Import-Module $module
                    $refine = if ($plan) { @{ Plan = $plan } } else { @{} }
                    $e | Measure-FaceVerification -PairBlock "$i/4" -SaveState (Join-Path $folder "block$i.fvstate") @refine @options
                }
            } | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        }
        & $count $null
        $plan = Join-Path $Folder 'refine.fvplan'
        for ($round = 0; $round -lt 5; $round++) {
            $r = Merge-FaceVerificationState (Join-Path $Folder 'block*.fvstate') -PlanPath $plan -WarningAction SilentlyContinue
            if ($r) { return $r }
            & $count $plan
        }
        throw 'The split run did not settle in five rounds.'
    }

    # -Sorted: $Expected comes from the sorted path, which sums the impostor statistics in another order (last bits).
    function Assert-SameResult($Expected, $Actual, [switch] $Sorted) {
        $Actual.Model | Should -Be $Expected.Model
        $Actual.GenuinePairs | Should -Be $Expected.GenuinePairs
        $Actual.ImpostorPairs | Should -Be $Expected.ImpostorPairs
        $Actual.Auc | Should -Be $Expected.Auc
        $Actual.Eer | Should -Be $Expected.Eer
        $Actual.EerThreshold | Should -Be $Expected.EerThreshold
        if ($Sorted) {
            $Actual.ImpostorMean | Should -BeGreaterThan ($Expected.ImpostorMean - 1e-12)
            $Actual.ImpostorMean | Should -BeLessThan ($Expected.ImpostorMean + 1e-12)
            $Actual.ImpostorStd | Should -BeGreaterThan ($Expected.ImpostorStd - 1e-12)
            $Actual.ImpostorStd | Should -BeLessThan ($Expected.ImpostorStd + 1e-12)
        } else {
            $Actual.ImpostorMean | Should -Be $Expected.ImpostorMean
            $Actual.ImpostorStd | Should -Be $Expected.ImpostorStd
            $Actual.Histogram.Impostor | Should -Be $Expected.Histogram.Impostor
        }
        $Actual.OperatingPoints.Count | Should -Be $Expected.OperatingPoints.Count
        for ($k = 0; $k -lt $Expected.OperatingPoints.Count; $k++) {
            $e = $Expected.OperatingPoints[$k]; $a = $Actual.OperatingPoints[$k]
            ($a.Threshold, $a.Tar, $a.AchievedFar, $a.FalseAccepts) | Should -Be ($e.Threshold, $e.Tar, $e.AchievedFar, $e.FalseAccepts) -Because "target $($e.TargetFar)"
        }
    }
}

Describe 'Measure-FaceVerification -PairBlock / -SaveState and Merge-FaceVerificationState' {
    BeforeAll {
        $script:Embeddings = @(New-Embeddings)
    }

    It 'merges four blocks counted in thread jobs into the result of one run (<Convention>)' -TestCases @(@{ Convention = 'Strict' }, @{ Convention = 'InsightFace' }) {
        param($Convention)
        $folder = New-TestFolder
        $one = $Embeddings | Measure-FaceVerification -FoldCount 0 -Convention $Convention -FarTarget 1e-1, 1e-2, 1e-3
        # The sorted path (with k-fold) gives the same numbers too.
        $sorted = $Embeddings | Measure-FaceVerification -Convention $Convention -FarTarget 1e-1, 1e-2, 1e-3
        Assert-SameResult $sorted $one -Sorted
        $merged = Invoke-SplitRun $Embeddings $folder @{ Convention = $Convention; FarTarget = 1e-1, 1e-2, 1e-3 }
        @($merged).Count | Should -Be 1
        Assert-SameResult $one $merged
        (Get-ChildItem $folder -Filter 'block*.fvstate').Count | Should -Be 4
    }

    It 'a block writes no result, and a whole run saved and merged alone gives its result again' {
        $folder = New-TestFolder
        $Embeddings | Measure-FaceVerification -PairBlock 1/2 -SaveState (Join-Path $folder 'b1.fvstate') | Should -BeNullOrEmpty
        $whole = $Embeddings | Measure-FaceVerification -SaveState (Join-Path $folder 'all.fvstate')
        Assert-SameResult $whole (Merge-FaceVerificationState -LiteralPath (Join-Path $folder 'all.fvstate'))
    }

    It 'refuses blocks of other embeddings, other targets, a missing or doubled block, and a file that is not a state' {
        $folder = New-TestFolder
        $other = @(New-Embeddings -Seed 4)
        $Embeddings | Measure-FaceVerification -PairBlock 1/2 -SaveState (Join-Path $folder 'a1.fvstate')
        $other | Measure-FaceVerification -PairBlock 2/2 -SaveState (Join-Path $folder 'a2.fvstate')
        $e = { Merge-FaceVerificationState (Join-Path $folder 'a*.fvstate') } | Should -Throw -PassThru
        Get-ErrorId $e | Should -Be 'StateMismatch'
        $e.Exception.Message | Should -Match 'other embeddings'

        $Embeddings | Measure-FaceVerification -PairBlock 2/2 -SaveState (Join-Path $folder 't2.fvstate') -FarTarget 1e-2
        Copy-Item (Join-Path $folder 'a1.fvstate') (Join-Path $folder 't1.fvstate')
        $e = { Merge-FaceVerificationState (Join-Path $folder 't*.fvstate') } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'target FARs'

        $e = { Merge-FaceVerificationState (Join-Path $folder 'a1.fvstate') } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'Block\(s\) 2 of 2 are missing'

        Copy-Item (Join-Path $folder 'a1.fvstate') (Join-Path $folder 'copy.fvstate')
        $e = { Merge-FaceVerificationState (Join-Path $folder 'a1.fvstate'), (Join-Path $folder 'copy.fvstate') } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'given twice'

        Set-Content (Join-Path $folder 'junk.fvstate') 'not a state'
        $e = { Merge-FaceVerificationState (Join-Path $folder 'junk.fvstate') } | Should -Throw -PassThru
        Get-ErrorId $e | Should -Be 'StateInvalid'
    }

    It 'refuses -PairBlock that is not i/n within range, and -PairBlock without -SaveState' {
        $e = { $Embeddings | Measure-FaceVerification -PairBlock 5/4 -SaveState (Join-Path (New-TestFolder) 'x.fvstate') } | Should -Throw -PassThru
        Get-ErrorId $e | Should -Be 'InvalidPairBlock'
        $e = { $Embeddings | Measure-FaceVerification -PairBlock 1/4 } | Should -Throw -PassThru
        Get-ErrorId $e | Should -Be 'SaveStateRequired'
    }
}

Describe 'Import-FaceEmbedding -Matrix -LabelPath' {
    It 'reads an (N, D) matrix as one set that Measure-FaceVerification takes like N embeddings' {
        $folder = New-TestFolder
        $embeddings = @(New-Embeddings -People 30 -Photos 4)
        # numpy.save of an (N, D) float32 array, written by hand.
        $n = $embeddings.Count; $d = $embeddings[0].Vector.Length
        $header = "{'descr': '<f4', 'fortran_order': False, 'shape': ($n, $d), }"
        $header = $header.PadRight(64 * [math]::Ceiling((10 + $header.Length + 1) / 64) - 10 - 1) + "`n"
        $bytes = [Collections.Generic.List[byte]]::new()
        $bytes.AddRange([byte[]](0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0))
        $bytes.AddRange([BitConverter]::GetBytes([uint16]$header.Length))
        $bytes.AddRange([Text.Encoding]::ASCII.GetBytes($header))
        foreach ($e in $embeddings) { foreach ($v in $e.Vector) { $bytes.AddRange([BitConverter]::GetBytes([float]$v)) } }
        [IO.File]::WriteAllBytes((Join-Path $folder 'x.npy'), $bytes.ToArray())
        $embeddings | ForEach-Object { [pscustomobject]@{ Identity = $_.Identity; Label = $_.NpyPath } } | Export-Csv (Join-Path $folder 'labels.csv')

        $set = @(Import-FaceEmbedding -Matrix (Join-Path $folder 'x.npy') -LabelPath (Join-Path $folder 'labels.csv') -Model m)
        $set.Count | Should -Be 1
        $set[0].Count | Should -Be $n
        $set[0].Dimension | Should -Be $d
        $fromSet = $set | Measure-FaceVerification -FoldCount 0
        $fromObjects = $embeddings | Measure-FaceVerification -FoldCount 0
        Assert-SameResult $fromObjects $fromSet

        'Identity,Label' | Set-Content (Join-Path $folder 'short.csv')
        $e = { Import-FaceEmbedding -Matrix (Join-Path $folder 'x.npy') -LabelPath (Join-Path $folder 'short.csv') } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'one line per row'
    }
}
