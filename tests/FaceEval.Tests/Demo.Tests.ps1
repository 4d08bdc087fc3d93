# The README's first command: the demo runs end to end, prints the table and the report path, and the
# report renders with its plots in a real browser (Debian's headless Chromium).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Repo = Split-Path (Split-Path $PSScriptRoot)
    $script:Chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Demo' {
    BeforeAll {
        # The README's demo as a fresh clone runs it: the ORL faces and models that ship in examples/.
        $script:Output = & (Join-Path $Repo 'examples/Invoke-FaceEvalDemo.ps1') -OutputDirectory (Join-Path $Work 'demo') -ModulePath $env:FACEEVAL_MODULE 6>&1 | Out-String
        $script:ExitCode = $LASTEXITCODE
    }

    It 'runs every stage on the real faces it ships, prints the side-by-side table and the report path, and exits 0' {
        $ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match 'eagle\s+1,800\s+78,000\s+0'
        $Output | Should -Match 'dingo\s+1,800\s+78,000\s+0'
        $Output | Should -Match ([regex]::Escape("Report: $(Join-Path $Work 'demo/report.html')"))
        ([regex]::Matches($Output, 'Report: ')).Count | Should -Be 1 -Because 'the report line is printed once'
        @(Get-ChildItem (Join-Path $Work 'demo/crops') -Recurse -Filter *.png).Count | Should -Be 400
        @(Get-ChildItem (Join-Path $Work 'demo/embeddings/eagle') -Recurse -Filter *.npy).Count | Should -Be 400
        Test-Path (Join-Path $Work 'demo/embeddings/dingo/manifest.jsonl') | Should -BeTrue
        Test-Path (Join-Path $Work 'demo/samples') | Should -BeFalse -Because 'nothing is drawn'
        $results = Import-Csv (Join-Path $Work 'demo/results.csv')
        $results.Model | Should -Be 'dingo', 'eagle'
        [double]($results | Where-Object Model -eq eagle).Auc | Should -BeGreaterThan 0.99 -Because 'the dlib embedder recognises the ORL people'
        [double]($results | Where-Object Model -eq dingo).Auc | Should -BeLessThan ([double]($results | Where-Object Model -eq eagle).Auc)
    }

    It 'finds eagle (dlib) better than dingo (LBP) on the ORL faces at every measurable FAR and on the EER, on the same pairs' {
        $ExitCode | Should -Be 0 -Because $Output
        $c = @(Get-ChildItem (Join-Path $Work 'demo/embeddings') -Recurse -Filter *.npy | Import-FaceEmbedding |
            Compare-FaceModel -FarTarget 1e-2, 1e-3, 1e-4 -BootstrapCount 500 -Seed 1 -WarningVariable wv)
        @($wv).Count | Should -Be 0 -Because '78,000 impostor pairs measure FAR 1e-4 and both models embedded every crop'
        $c.Count | Should -Be 4
        $c | ForEach-Object { "$($_.ModelA)/$($_.ModelB)" } | Select-Object -Unique | Should -Be 'dingo/eagle'
        foreach ($row in $c) {
            $row.Verdict | Should -Be 'B better' -Because "eagle should beat dingo at $($row.Metric) $($row.TargetFar)"
            if ($row.Metric -eq 'Tar') { $row.Upper | Should -BeLessThan 0 } else { $row.Lower | Should -BeGreaterThan 0 }
        }
    }

    It 'opens the report with the Decision section, as headless Chromium renders it' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)'; return }
        $url = [uri]::new((Join-Path $Work 'demo/report.html'), [UriKind]::Absolute).AbsoluteUri
        $dom = & $Chromium.Source --headless --no-sandbox --disable-gpu "--user-data-dir=$(Join-Path $Work 'chromium-dom')" --dump-dom $url 2>$null | Out-String
        $headings = [regex]::Matches($dom, '<h2>([^<]+)</h2>') | ForEach-Object { $_.Groups[1].Value }
        $headings[0] | Should -Be 'Decision'
        $decision = ($dom -split '<h2>')[1]
        foreach ($far in '1e-1', '1e-2', '1e-3') {
            $decision | Should -Match "At FAR $far, eagle accepts [0-9.]+ points more genuine pairs than dingo \[[0-9.]+, [0-9.]+\], p (= 0\.\d+|&lt; 0\.001), Wilson MOVER over 200 paired identity replicates\." -Because 'eagle beats dingo with an interval above 0, by the default method, which the sentence names'
        }
        $decision | Should -Match 'eagle(&#39;|'')s EER is [0-9.]+ points lower than dingo'
        $decision | Should -Match 'FAR on new people'
        $decision | Should -Match '<img alt="Reliability diagram'
        # The calibration table: one row per model with a Cllr, eagle better calibrated than dingo.
        $cllr = [regex]::Matches($decision, '<tr><th class="l">(eagle|dingo)</th><td>[-0-9.]+</td><td>[-0-9.]+</td><td>([0-9.]+)</td>') |
            ForEach-Object { @{ $_.Groups[1].Value = [double]$_.Groups[2].Value } }
        $cllr.Count | Should -Be 2
        ($cllr | Where-Object { $_.eagle }).eagle | Should -BeLessThan ($cllr | Where-Object { $_.dingo }).dingo
    }

    It 'draws faces with -Synthetic through build.ps1 Demo, passing -Model from a shell as one comma-separated word' {
        $out = Join-Path $Work 'via-build'
        $text = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File (Join-Path $Repo 'build.ps1') Demo -DemoOutput $out -Synthetic -Model 'kiwi,dingo' 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match "Embedding 160 crops with model 'kiwi'"
        $text | Should -Match "Embedding 160 crops with model 'dingo'"
        $text | Should -Match 'dingo\s+560\s+12,160\s+0'
        $text | Should -Match ([regex]::Escape("Report: $(Join-Path $out 'report.html')"))
        @(Get-ChildItem (Join-Path $out 'samples') -Recurse -Filter *.jpg).Count | Should -Be 160
        # Both models find some signal in the drawn identities.
        foreach ($row in Import-Csv (Join-Path $out 'results.csv')) { [double]$row.Auc | Should -BeGreaterThan 0.6 }
    }

    It 'runs on your own photos and boxes against another endpoint, without printing its address' {
        $photos = Join-Path $Work 'my-photos'
        New-FaceEvalSample $photos -Identities 4 -ImagesPerIdentity 3 -Seed 9 | Select-Object Path, X, Y, Width, Height | Export-Csv (Join-Path $Work 'my-boxes.csv')
        $endpoint = Start-FaceEvalServer -Model heron=hog -NoDetector
        try {
            $text = & (Join-Path $Repo 'examples/Invoke-FaceEvalDemo.ps1') -OutputDirectory (Join-Path $Work 'mine') -ModulePath $env:FACEEVAL_MODULE `
                -Dataset $photos -Detections (Join-Path $Work 'my-boxes.csv') -ServerUrl $endpoint.Url -Model heron 6>&1 | Out-String
            $LASTEXITCODE | Should -Be 0 -Because $text
        } finally {
            Stop-FaceEvalServer $endpoint
        }
        # No Identity column in the CSV: the identity is the photo's folder.
        $text | Should -Match '12 crops of 4 identities'
        $text | Should -Match 'heron\s+12\s+54\s+0'
        $text | Should -Not -Match ([regex]::Escape(([uri]$endpoint.Url).Authority))
        Test-Path (Join-Path $Work 'mine/samples') | Should -BeFalse -Because 'no sample faces are drawn for your own photos'
    }

    It 'exits 1 and names the stage when one fails' {
        $out = & (Join-Path $Repo 'examples/Invoke-FaceEvalDemo.ps1') -OutputDirectory (Join-Path $Work 'broken') -ModulePath $env:FACEEVAL_MODULE -Dataset (Join-Path $Work 'no-such-folder') 6>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $out | Should -Match "FAILED at stage"
    }

    It 'writes a report that headless Chromium renders with its plots' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)'; return }
        $shot = Join-Path $Work 'report.png'
        $browserProfile = Join-Path $Work 'chromium-profile'
        # (A [uri] cast of a Unix path gives a relative URI; say absolute.)
        $url = [uri]::new((Join-Path $Work 'demo/report.html'), [UriKind]::Absolute).AbsoluteUri
        & $Chromium.Source --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$browserProfile" --window-size=1200,3000 "--screenshot=$shot" $url 2>&1 | Write-Verbose
        Test-Path $shot | Should -BeTrue
        $image = [OpenCvSharp.Cv2]::ImRead($shot)
        ($image.Width, $image.Height) | Should -Be 1200, 3000
        # Not blank: the page has text and tables (many distinct grey levels) ...
        $grey = [OpenCvSharp.Mat]::new()
        [OpenCvSharp.Cv2]::CvtColor($image, $grey, [OpenCvSharp.ColorConversionCodes]::BGR2GRAY)
        $mean = [OpenCvSharp.Scalar]::All(0); $std = [OpenCvSharp.Scalar]::All(0)
        [OpenCvSharp.Cv2]::MeanStdDev($grey, [ref]$mean, [ref]$std)
        $std.Val0 | Should -BeGreaterThan 10
        # ... and the plots: the two model colours (Category10 blue 1f77b4, orange ff7f0e) appear.
        foreach ($bgr in @(@(0xb4, 0x77, 0x1f), @(0x0e, 0x7f, 0xff))) {
            $mask = [OpenCvSharp.Mat]::new()
            [OpenCvSharp.Cv2]::InRange($image, [OpenCvSharp.Scalar]::new($bgr[0] - 12, $bgr[1] - 12, $bgr[2] - 12), [OpenCvSharp.Scalar]::new($bgr[0] + 12, $bgr[1] + 12, $bgr[2] + 12), $mask)
            [OpenCvSharp.Cv2]::CountNonZero($mask) | Should -BeGreaterThan 300 -Because "the plots draw each model's series"
        }
    }

    It 'breaks the errors down by the made-up Cohort of the ORL people, and Chromium renders the Subgroups section with its heat map and DET curves' {
        $ExitCode | Should -Be 0 -Because $Output
        $Output | Should -Match 'Subgroups: eagle by Cohort, threshold 0\.\d{4} at FMR 1e-3'
        $groups = Import-Csv (Join-Path $Work 'demo/groups.csv')
        ($groups | Where-Object Model -eq eagle).Group | Should -Be 'even', 'odd'
        foreach ($g in $groups) { $g.Identities, $g.ImpostorPairs, $g.Estimable | Should -Be '20', '19000', 'True' }
        $html = Get-Content -Raw (Join-Path $Work 'demo/report.html')
        $at = $html.IndexOf('<h2>Subgroups: Cohort</h2>')
        $at | Should -BeGreaterThan 0
        $section = $html.Substring($at)
        foreach ($text in '<th class="l">even</th>', '<th class="l">odd</th>', 'FMR inequity', 'FNMR inequity', 'FDR', 'NISTIR 8429', 'Pereira and Marcel') { $section | Should -Match ([regex]::Escape($text)) }
        ([regex]::Matches($section, 'log10 of the cross-group FMR')).Count | Should -BeGreaterOrEqual 2 -Because 'one heat map per model'
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)'; return }
        # The section alone, with the page's head, so that it fills the screenshot.
        $page = Join-Path $Work 'subgroups.html'
        $html.Substring(0, $html.IndexOf('<body>') + 6) + $section | Set-Content $page
        $shot = Join-Path $Work 'subgroups.png'
        $url = [uri]::new($page, [UriKind]::Absolute).AbsoluteUri
        & $Chromium.Source --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$(Join-Path $Work 'chromium-profile-2')" --window-size=1200,3000 "--screenshot=$shot" $url 2>&1 | Write-Verbose
        $image = [OpenCvSharp.Cv2]::ImRead($shot)
        # The heat map's at-or-below-target blue (c6dbef) and the first two groups' DET colours (Category10 9467bd, 8c564b).
        foreach ($bgr in @(@(0xef, 0xdb, 0xc6), @(0xbd, 0x67, 0x94), @(0x4b, 0x56, 0x8c))) {
            $mask = [OpenCvSharp.Mat]::new()
            [OpenCvSharp.Cv2]::InRange($image, [OpenCvSharp.Scalar]::new($bgr[0] - 12, $bgr[1] - 12, $bgr[2] - 12), [OpenCvSharp.Scalar]::new($bgr[0] + 12, $bgr[1] + 12, $bgr[2] + 12), $mask)
            [OpenCvSharp.Cv2]::CountNonZero($mask) | Should -BeGreaterThan 300 -Because "the Subgroups section draws colour $($bgr -join ',')"
        }
    }
}
