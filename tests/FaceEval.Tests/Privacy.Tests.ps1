# The evaluation agreement's data-handling rules (#19): a report that can be shared outside the agreement,
# and a private report that says it is confidential.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder

    # Two vendor models of the same 12 people x 4 photos, with names a reader must not see.
    function New-Set([string] $Model, [double] $Noise, [string[]] $People) {
        $r = [Random]::new(11)
        foreach ($p in $People) {
            $base = foreach ($d in 1..12) { $r.NextDouble() - 0.5 }
            foreach ($k in 1..4) {
                $v = foreach ($x in $base) { $x + $Noise * ($r.NextDouble() - 0.5) }
                $norm = [math]::Sqrt(($v | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
                [FaceEval.FaceEmbedding]@{ SourcePath = "/photos/$p/IMG_${p}_0$k.jpg"; ImagePath = "/crops/$p/IMG_${p}_0$k.png"; Model = $Model; Identity = $p; Vector = [float[]]($v | ForEach-Object { $_ / $norm }) }
            }
        }
    }
    $script:People = 'ann-smith', 'bo-chen', 'carla', 'dmitri', 'eve-ok', 'farah', 'gus', 'hana', 'ivo', 'jules', 'kenji', 'lea'
    $script:Models = 'acme-face-v7', 'zeta9-prod'
    $script:Embeddings = @(New-Set $Models[0] 0.4 $People) + @(New-Set $Models[1] 0.9 $People)
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Shareable report' {
    It 'shows no model name, identity or file name of its input, and the private report holds the key' {
        $private = Join-Path $Work 'report.html'
        $shared = Join-Path $Work 'shareable.html'
        $Embeddings | Measure-FaceVerification -FarTarget 1e-1, 1e-2 -FoldCount 0 -BootstrapCount 100 -Calibrate -TransferCheck 5 -ReportPath $private -ShareablePath $shared -WarningAction SilentlyContinue | Out-Null
        $text = [System.Net.WebUtility]::HtmlDecode(((Get-Content -Raw $shared) -replace "data:image/png;base64,[A-Za-z0-9+/=]+", ""))
        $names = @($Models) + $People + ($Embeddings | ForEach-Object { Split-Path $_.ImagePath -Leaf; [IO.Path]::GetFileNameWithoutExtension($_.ImagePath); Split-Path $_.SourcePath -Leaf })
        foreach ($name in $names | Sort-Object -Unique) {
            $text | Should -Not -Match "(?i)(?<![\w])$([regex]::Escape($name))(?![\w])" -Because "'$name' must not leave the agreement"
        }
        $text | Should -Match 'Model A' -Because 'the models appear under their aliases'
        $text | Should -Match '<h2>Decision</h2>'
        $text | Should -Not -Match 't = 0\.' -Because 'thresholds are on the vendor''s score scale'
        # The private report: confidential on its first line, and the key to the aliases.
        $body = (Get-Content -Raw $private) -split '<body>\s*', 2 | Select-Object -Last 1
        ($body -split "`n")[0] | Should -Match '^<p class="notice">CONFIDENTIAL under the evaluation agreement'
        $body | Should -Match '<h2>Aliases in the shareable report</h2>'
        $body | Should -Match '<th class="l">Model A</th><td>acme-face-v7</td>'
        $body | Should -Match '<th class="l">Model B</th><td>zeta9-prod</td>'
    }

    It 'is not written when a name of the input would show in it, and one error says which' {
        $shared = Join-Path $Work 'clash.html'
        # An identity named like a word of the report ("Summary") cannot be kept out of it.
        $clash = $Embeddings | ForEach-Object { $e = $_.PSObject.Copy(); if ($e.Identity -eq 'gus') { $e.Identity = 'Summary' }; $e }
        $clash | Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ShareablePath $shared -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
        Test-Path $shared | Should -BeFalse
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ShareableReportLeak,*'
        $failed[0].Exception.Message | Should -Match "'Summary'"
    }
}
