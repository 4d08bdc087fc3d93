# Who does it fail (#15): Measure-FaceVerification -GroupBy on synthetic sets with and without a planted
# demographic differential, where the groups come from (image properties, -AttributePath, the run manifest),
# the errors, the table views and the report's Subgroups section.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder

    # Two groups (Sex F and M) of $PerGroup identities: each identity a random unit centre, each image the
    # centre plus noise. With $Plant > 0 the M identities share one direction, so their impostor pairs score
    # higher, as a model that tells that group's faces apart less well would score them.
    function New-GroupedSet([int] $Seed, [double] $Plant, [int] $PerGroup = 40, [int] $Images = 5, [int] $Dimension = 16, [string] $Model = 'm') {
        $r = [Random]::new($Seed)
        $gauss = { [Math]::Sqrt(-2 * [Math]::Log(1 - $r.NextDouble())) * [Math]::Cos(2 * [Math]::PI * $r.NextDouble()) }
        $unit = { param([double[]] $v) $n = 0.0; foreach ($x in $v) { $n += $x * $x }; $n = [Math]::Sqrt($n); [float[]]@(foreach ($x in $v) { $x / $n }) }
        $common = & $unit @(foreach ($d in 1..$Dimension) { & $gauss })
        foreach ($sex in 'F', 'M') {
            $w = if ($sex -eq 'M') { $Plant } else { 0 }
            foreach ($k in 1..$PerGroup) {
                $raw = & $unit @(foreach ($d in 1..$Dimension) { & $gauss })
                $centre = & $unit @(foreach ($d in 0..($Dimension - 1)) { $w * $common[$d] + [Math]::Sqrt(1 - $w * $w) * $raw[$d] })
                foreach ($i in 1..$Images) {
                    $v = & $unit @(foreach ($d in 0..($Dimension - 1)) { $centre[$d] + 0.2 * (& $gauss) })
                    [FaceEval.FaceEmbedding]@{ SourcePath = "$sex$k-$i.png"; ImagePath = "/d/$sex$k/$i.png"; Model = $Model; Vector = $v; Identity = "$sex$k" } |
                        Add-Member -NotePropertyName Sex -NotePropertyValue $sex -PassThru
                }
            }
        }
    }
    $script:Flat = @(New-GroupedSet -Seed 1 -Plant 0)
    $script:Planted = @(New-GroupedSet -Seed 2 -Plant 0.5)
    function Format-Row($Object) { ($Object | Format-Table | Out-String -Width 300) -split "`n" | Where-Object { $_.Trim() } }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-FaceVerification -GroupBy' {
    It 'finds the planted differential: the group''s FMR clearly above the other''s, the heat map and the indices show it' {
        $report = Join-Path $Work 'planted.html'
        $plots = Join-Path $Work 'planted-plots'
        $r = $Planted | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0 -BootstrapCount 200 -Seed 1 -ReportPath $report -PlotPath $plots
        foreach ($name in 'subgroups-Sex-m-heatmap', 'subgroups-Sex-m-det') {
            foreach ($ext in '.png', '.svg') { Test-Path (Join-Path $plots "$name$ext") | Should -BeTrue -Because "-PlotPath gets $name$ext" }
        }
        $f = $r.Groups | Where-Object Group -eq F
        $m = $r.Groups | Where-Object Group -eq M
        $f.Identities, $m.Identities | Should -Be 40, 40
        $f.ImpostorPairs | Should -Be (200 * 199 / 2 - 40 * 10)
        $m.Fmr | Should -BeGreaterThan (2 * $f.Fmr)
        $m.FmrLow | Should -BeGreaterThan $f.FmrHigh -Because 'the planted group''s FMR interval lies wholly above the other''s'
        $m.Fmr | Should -BeGreaterThan $r.GroupFar -Because 'at the global threshold the planted group pays more than the target'
        $f.Fmr | Should -BeLessThan $r.GroupFar
        $m.ThresholdShift | Should -BeGreaterThan 0 -Because 'the planted group alone would need a stricter threshold'
        $cell = @($r.CrossGroupFmr | Where-Object { $_.GroupA -eq 'M' -and $_.GroupB -eq 'M' })[0]
        $cell.Fmr | Should -Be $m.Fmr
        $r.FmrInequity | Should -BeGreaterThan 1.5
        $r.GroupIndices[0].FmrInequity | Should -Be $r.FmrInequity
        $r.Fdr | Should -BeLessThan 1
        $r.GroupFarThreshold | Should -Be $f.Threshold
        # The heat map: the report embeds it; its cells above the target are warm, those at or below it blue.
        $html = Get-Content -Raw $report
        $html | Should -Match '<h2>Subgroups: Sex</h2>'
        $html | Should -Match 'FMR inequity'
        $html | Should -Match 'Pereira and Marcel'
        $heat = [regex]::Match($html, '<img alt="m, Sex: log10 of the cross-group FMR[^"]*" src="data:image/png;base64,([^"]+)"')
        $heat.Success | Should -BeTrue
        $image = [OpenCvSharp.Cv2]::ImDecode([Convert]::FromBase64String($heat.Groups[1].Value), [OpenCvSharp.ImreadModes]::Color)
        $blue = [OpenCvSharp.Mat]::new(); $warm = [OpenCvSharp.Mat]::new()
        [OpenCvSharp.Cv2]::InRange($image, [OpenCvSharp.Scalar]::new(0xef - 4, 0xdb - 4, 0xc6 - 4), [OpenCvSharp.Scalar]::new(0xef + 4, 0xdb + 4, 0xc6 + 4), $blue)
        [OpenCvSharp.Cv2]::InRange($image, [OpenCvSharp.Scalar]::new(0, 0, 180), [OpenCvSharp.Scalar]::new(120, 200, 255), $warm)
        [OpenCvSharp.Cv2]::CountNonZero($blue) | Should -BeGreaterThan 5000 -Because 'the F-F and F-M cells are at or below the target'
        [OpenCvSharp.Cv2]::CountNonZero($warm) | Should -BeGreaterThan 5000 -Because 'the M-M cell is above it'
    }

    It 'finds none where none is planted: indices near parity, the groups'' intervals covering the common rate' {
        $r = $Flat | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0 -BootstrapCount 200 -Seed 1
        $all = $r.At(1e-2).AchievedFar
        foreach ($g in $r.Groups) {
            $all | Should -BeGreaterOrEqual $g.FmrLow
            $all | Should -BeLessOrEqual $g.FmrHigh
        }
        $f, $m = $r.Groups
        [Math]::Max($f.FmrLow, $m.FmrLow) | Should -BeLessThan ([Math]::Min($f.FmrHigh, $m.FmrHigh)) -Because 'the two groups'' FMR intervals overlap'
        $r.FmrInequity | Should -BeLessThan 1.3
        $r.GroupIndices[0].FmrInequityLow | Should -BeLessThan 1.1 -Because 'the ratio is at least 1 by construction; its interval reaches down to parity'
        $r.Fdr | Should -BeGreaterThan 0.98
        $r.GroupIndices[0].FdrHigh | Should -BeGreaterThan 0.995
        $planted = $Planted | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0
        $planted.FmrInequity | Should -BeGreaterThan $r.FmrInequity
        $planted.Fdr | Should -BeLessThan $r.Fdr
    }

    It 'says n/e, never 0, for a group too small for the target, and warns about it' {
        $few = @($Flat | Select-Object -First 200) + @($Flat | Where-Object Identity -in 'M1', 'M2')
        $r = $few | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-3 -FarTarget 1e-2 -FoldCount 0 -WarningVariable wv -WarningAction SilentlyContinue
        $m = $r.Groups | Where-Object Group -eq M
        $m.ImpostorPairs | Should -Be 25
        $m.FmrEstimable | Should -BeFalse
        [double]::IsNaN($m.Fmr) | Should -BeTrue
        $m.FnmrEstimable | Should -BeTrue
        [double]::IsNaN($r.FmrInequity) | Should -BeTrue
        $r.GroupIndices[0].Note | Should -Match 'FMR n/e \(fewer than 1,000 impostor pairs\).*: .*M'
        @($wv | Where-Object Message -match "group Sex = M has 25 impostor.*FMR cannot be measured at GroupFar 1e-3").Count | Should -Be 1
        (Format-Row $r.Groups) -match '^M\s' | Should -Match '\bn/e\b'
    }

    It 'takes identity attributes from -AttributePath, an image''s own value winning, and leaves out images with none' {
        $csv = Join-Path $Work 'attributes.csv'
        # Every identity gets the opposite Sex and an AgeBand in the file; the images' own Sex must win.
        @(foreach ($e in $Flat | Select-Object -ExpandProperty Identity -Unique) {
            [pscustomobject]@{ Identity = $e; Sex = if ($e -like 'F*') { 'M' } else { 'F' }; AgeBand = if ([int]$e.Substring(1) -le 20) { 'young' } else { 'old' } }
        }) | Export-Csv $csv
        $r = $Flat | Measure-FaceVerification -GroupBy Sex, AgeBand -AttributePath $csv -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0
        ($r.Groups | Where-Object Attribute -eq Sex).Group | Should -Be 'F', 'M'
        ($r.Groups | Where-Object { $_.Attribute -eq 'Sex' -and $_.Group -eq 'F' }).ImpostorPairs | Should -Be (200 * 199 / 2 - 400)
        $age = $r.Groups | Where-Object Attribute -eq AgeBand
        $age.Group | Should -Be 'old', 'young'
        $age.Identities | Should -Be 40, 40
        $r.GroupIndices.Attribute | Should -Be 'Sex', 'AgeBand'
        # Images without a value: left out of that attribute, with a warning.
        $some = @($Flat | Select-Object -First 20 | ForEach-Object { $_.PSObject.Copy() })
        $bare = foreach ($e in $Flat | Select-Object -Skip 20) { [FaceEval.FaceEmbedding]@{ SourcePath = $e.SourcePath; Model = 'm'; Vector = $e.Vector; Identity = $e.Identity } }
        $r2 = @($some) + @($bare) | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-1 -FarTarget 1e-1 -FoldCount 0 -WarningVariable wv2 -WarningAction SilentlyContinue
        $r2.Groups.Group | Should -Be 'F'
        $r2.Groups[0].Images | Should -Be 20
        $r2.GroupIndices[0].Unlabelled | Should -Be 380
        @($wv2 | Where-Object Message -match '380 of 400 embeddings have no value for ''Sex''').Count | Should -Be 1
    }

    It 'stops with the fix when no input has the attribute, the attribute file is malformed, or the options cannot be used' {
        { $Flat | Measure-FaceVerification -GroupBy Region -FoldCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'GroupAttributeMissing*' -ExpectedMessage "*has a value for 'Region'*-AttributePath*"
        $bad = Join-Path $Work 'bad.csv'
        "Person,Sex`nF1,F" | Set-Content $bad
        { $Flat | Measure-FaceVerification -GroupBy Sex -AttributePath $bad -FoldCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'AttributeFileInvalid*' -ExpectedMessage '*no Identity column*'
        "Identity,Sex`nF1,F,extra" | Set-Content $bad
        { $Flat | Measure-FaceVerification -GroupBy Sex -AttributePath $bad -FoldCount 0 -ErrorAction Stop } | Should -Throw -ErrorId 'AttributeFileInvalid*' -ExpectedMessage '*line 2 has 3 fields*'
        { $Flat | Measure-FaceVerification -GroupBy Sex -AttributePath (Join-Path $Work 'none.csv') -ErrorAction Stop } | Should -Throw -ErrorId 'FileNotFound*'
        { $Flat | Measure-FaceVerification -GroupFar 1e-4 -ErrorAction Stop } | Should -Throw -ErrorId 'GroupByRequired*'
        { $Flat | Measure-FaceVerification -GroupBy Sex -GroupFar 2 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGroupFar*'
        { $Flat | Measure-FaceVerification -GroupBy Sex -ImpostorSample 1000 -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        $pairs = foreach ($i in 1..20) { [pscustomobject]@{ Score = $i / 21; IsMatch = $i % 2 } }
        { $pairs | Measure-FaceVerification -GroupBy Sex -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-GroupBy groups the images*not scored pairs*'
    }

    It 'names no model in the shareable report''s Subgroups section' {
        $named = @($Flat | Select-Object -First 200 | ForEach-Object { $e = $_.PSObject.Copy(); $e.Model = 'heronvendor'; $e })
        $shared = Join-Path $Work 'shared.html'
        $null = $named | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-1 -FarTarget 1e-1 -FoldCount 0 -ReportPath (Join-Path $Work 'private.html') -ShareablePath $shared -WarningAction SilentlyContinue
        $text = Get-Content -Raw $shared
        $text | Should -Match '<h2>Subgroups: Sex</h2>'
        $text | Should -Not -Match 'heronvendor'
        $text | Should -Match 'Model A, Sex: log10 of the cross-group FMR'
        $text | Should -Not -Match '<th>Group threshold</th>|T\* = \d|group threshold is' -Because 'thresholds tell the vendor''s score scale'
        Get-Content -Raw (Join-Path $Work 'private.html') | Should -Match '<th>Group threshold</th>'
    }

    It 'shows the groups as a table per model and attribute, and the indices' {
        $r = $Planted | Measure-FaceVerification -GroupBy Sex -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0
        $lines = Format-Row $r.Groups
        $lines[0] | Should -Match '^\s*Subgroups: m by Sex, threshold 0\.\d{4} at FMR 1e-2$'
        $lines[1] | Should -Match '^Group\s+Identities\s+Genuine\s+Impostor\s+FTE\s+FMR\s+FNMR\s+GroupThreshold\s+Shift'
        $lines[3] | Should -Match '^F\s+40\s+400\s+19,500\s+0\s+\d\.\d\de-\d'
        (Format-Row $r.GroupIndices)[0] | Should -Match '^Model\s+Attribute\s+Groups\s+FmrInequity\s+FnmrInequity\s+FDR'
        (Format-Row $r.CrossGroupFmr)[-1] | Should -Match '^m\s+Sex\s+M\s+M\s+19,500'
    }
}

Describe 'Attributes from the files alone' {
    It 'records the input''s labels in the run manifest, and Import-FaceEmbedding gives them back for -GroupBy' {
        $photos = Join-Path $Work 'photos'
        $faces = @(New-FaceEvalSample $photos -IdentityCount 4 -ImagesPerIdentity 3 -Seed 5)
        $server = Start-FaceEvalServer -Model dingo=lbp -NoDetector
        try {
            $out = Join-Path $Work 'embeddings'
            # A label that happens to hold the endpoint (a column copied from a config, say) is not written out.
            $faces | ForEach-Object { [pscustomobject]@{ Path = $_.Path; Identity = $_.Identity; Sex = if ($_.Identity -match '[13]$') { 'F' } else { 'M' }; Source = "see $($server.Url)" } } |
                Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -OutputDirectory $out -PreserveStructure -Root $photos | Out-Null
        } finally {
            Stop-FaceEvalServer $server
        }
        Get-Content -Raw (Join-Path $out 'manifest.jsonl') | Should -Not -Match ([regex]::Escape(([uri]$server.Url).Authority))
        $back = @(Get-ChildItem $out -Recurse -Filter *.npy | Import-FaceEmbedding)
        $back.Count | Should -Be 12
        foreach ($e in $back) { $e.Sex | Should -Be $(if ($e.Identity -match '[13]$') { 'F' } else { 'M' }) -Because $e.NpyPath }
        $r = $back | Measure-FaceVerification -GroupBy Sex -GroupFar 0.1 -FarTarget 0.1 -FoldCount 0 -WarningAction SilentlyContinue
        ($r.Groups | Sort-Object Group).Identities | Should -Be 2, 2
        # A manifest written before labels were recorded still reads: its files simply have none.
        $manifest = Join-Path $out 'manifest.jsonl'
        (Get-Content $manifest) -replace ',"attributes":\{[^}]*\}', '' | Set-Content $manifest
        $old = @(Get-ChildItem $out -Recurse -Filter *.npy | Import-FaceEmbedding)
        $old.Count | Should -Be 12
        $old[0].PSObject.Properties['Sex'] | Should -BeNullOrEmpty
    }
}
