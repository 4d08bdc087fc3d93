# The failure gallery of Measure-FaceVerification: its pairs are the ones found by sorting every pair's score
# (scored by Compare-FaceEmbedding), the report shows them with their faces, and a browser renders them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1

    # 6 people x 4 crops, each crop a flat green PNG (so the thumbnails can be found in a screenshot), and two
    # models whose vectors scatter around each person's own direction. One crop the service found no face in.
    $random = [Random]::new(16)
    $centres = @{}
    foreach ($p in 1..6) { $centres[$p] = [double[]](1..8 | ForEach-Object { $random.NextDouble() - 0.5 }) }
    $script:Embeddings = foreach ($model in 'hawk', 'owl') {
        foreach ($p in 1..6) {
            foreach ($k in 1..4) {
                $folder = Join-Path $Work "crops/p$p"
                $png = Join-Path $folder "$k.png"
                if (-not (Test-Path $png)) {
                    New-Item -ItemType Directory -Force $folder | Out-Null
                    $m = [OpenCvSharp.Mat]::new(64, 48, [OpenCvSharp.MatType]::CV_8UC3, [OpenCvSharp.Scalar]::new(0, 200, 0))
                    [OpenCvSharp.Cv2]::ImWrite($png, $m) | Out-Null
                }
                $v = [double[]]($centres[$p] | ForEach-Object { $_ + 0.35 * ($random.NextDouble() - 0.5) })
                $norm = [math]::Sqrt(($v | ForEach-Object { $_ * $_ } | Measure-Object -Sum).Sum)
                $vector = if ($model -eq 'owl' -and $p -eq 6 -and $k -eq 4) { ,[float[]]::new(0) } else { [float[]]($v | ForEach-Object { $_ / $norm }) }
                [FaceEval.FaceEmbedding]@{ SourcePath = $png; ImagePath = $png; Model = $model; Vector = $vector; Identity = "p$p" }
            }
        }
    }

    # Every pair of a model's embeddings (in input order, i before j), scored by Compare-FaceEmbedding.
    function Get-AllPairs([string] $Model) {
        $e = @($Embeddings | Where-Object { $_.Model -eq $Model -and $_.Vector.Length -gt 0 })
        for ($i = 0; $i -lt $e.Count; $i++) {
            for ($j = $i + 1; $j -lt $e.Count; $j++) {
                $c = Compare-FaceEmbedding -ReferenceEmbedding $e[$i] -DifferenceEmbedding $e[$j]
                [pscustomobject]@{ I = $i; J = $j; A = "$($e[$i].Identity)/$(Split-Path -Leaf $e[$i].ImagePath)"; B = "$($e[$j].Identity)/$(Split-Path -Leaf $e[$j].ImagePath)"; Score = $c.Similarity; Genuine = $e[$i].Identity -eq $e[$j].Identity }
            }
        }
    }
    # The gallery's rows as the report writes them (data attributes of each row).
    function Get-GalleryRows([string] $Html, [string] $Model, [string] $Kind) {
        foreach ($m in [regex]::Matches($Html, '<tr data-model="(?<m>[^"]*)" data-kind="(?<k>[^"]*)" data-a="(?<a>[^"]*)" data-b="(?<b>[^"]*)" data-score="(?<s>[^"]*)"')) {
            if ($m.Groups['m'].Value -eq $Model -and $m.Groups['k'].Value -eq $Kind) {
                [pscustomobject]@{ A = $m.Groups['a'].Value; B = $m.Groups['b'].Value; Score = [double]::Parse($m.Groups['s'].Value, [cultureinfo]::InvariantCulture) }
            }
        }
    }

    $script:Report = Join-Path $Work 'report.html'
    $script:Results = $Embeddings | Measure-FaceVerification -FarTarget 1e-1, 1e-2 -FoldCount 0 -ReportPath $Report -FailureGallery 4 -WarningAction SilentlyContinue
    $script:Html = Get-Content -Raw $Report
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Measure-FaceVerification -FailureGallery' {
    It 'shows, per model, the pairs found by sorting every pair''s score: the lowest genuine and the highest impostor (<_>)' -TestCases @('hawk', 'owl') {
        $model = $_
        $all = @(Get-AllPairs $model)
        $expectedGenuine = @($all | Where-Object Genuine | Sort-Object Score, I, J | Select-Object -First 4)
        $expectedImpostor = @($all | Where-Object { -not $_.Genuine } | Sort-Object @{ e = 'Score'; Descending = $true }, I, J | Select-Object -First 4)
        $genuine = @(Get-GalleryRows $Html $model 'genuine')
        $impostor = @(Get-GalleryRows $Html $model 'impostor')
        ($genuine | ForEach-Object { "$($_.A) $($_.B)" }) | Should -Be ($expectedGenuine | ForEach-Object { "$($_.A) $($_.B)" })
        ($impostor | ForEach-Object { "$($_.A) $($_.B)" }) | Should -Be ($expectedImpostor | ForEach-Object { "$($_.A) $($_.B)" })
        for ($k = 0; $k -lt 4; $k++) {
            $genuine[$k].Score | Should -Be $expectedGenuine[$k].Score
            $impostor[$k].Score | Should -Be $expectedImpostor[$k].Score
        }
    }

    It 'gives the threshold of the first estimable target, the other model side by side, and the image without a face' {
        $threshold = ($Results | Where-Object Model -eq 'hawk').OperatingPoints[0].Threshold
        $Html | Should -Match ([regex]::Escape('Threshold {0:0.0000}: the strict threshold at FAR 1e-1.' -f $threshold))
        $Html | Should -Match '<th>owl</th>' -Because 'hawk''s pairs show owl''s scores on the same images'
        $Html | Should -Match 'data-noface="p6/4.png"'
        $Html | Should -Match 'This report contains biometric data'
        ([regex]::Matches($Html, 'src="data:image/png;base64,')).Count | Should -BeGreaterThan 16 -Because 'every pair shows both faces'
    }

    It 'names no file beyond the file names the user gave (no folders)' {
        $Html | Should -Not -Match ([regex]::Escape($Work))
    }

    It 'needs -ReportPath' {
        { $Embeddings | Measure-FaceVerification -FailureGallery 2 -FoldCount 0 -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'ReportPathRequired*'
    }

    It 'leaves faces out of the report by default' {
        $plain = Join-Path $Work 'plain.html'
        $null = $Embeddings | Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ReportPath $plain -WarningAction SilentlyContinue
        $text = Get-Content -Raw $plain
        $text | Should -Not -Match 'biometric data'
        $text | Should -Not -Match 'data-kind='
    }

    It 'renders the gallery''s faces in headless Chromium' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)'; return }
        # A page with the gallery alone at the top: the biometric banner and the face thumbnails must be drawn.
        $shot = Join-Path $Work 'gallery.png'
        $url = [uri]::new($Report, [UriKind]::Absolute).AbsoluteUri + '#'
        & $Chromium.Source --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$(Join-Path $Work 'chromium-profile')" --window-size=1200,12000 "--screenshot=$shot" $url 2>&1 | Write-Verbose
        Test-Path $shot | Should -BeTrue
        $image = [OpenCvSharp.Cv2]::ImRead($shot)
        # The crops are flat green (BGR 0, 200, 0) and the banner's background pink (BGR 234, 231, 253).
        foreach ($case in @(@{ Bgr = 0, 200, 0; Least = 16 * 40 * 40; What = 'the face thumbnails' }, @{ Bgr = 234, 231, 253; Least = 2000; What = 'the biometric-data banner' })) {
            $mask = [OpenCvSharp.Mat]::new()
            $b = $case.Bgr
            [OpenCvSharp.Cv2]::InRange($image, [OpenCvSharp.Scalar]::new($b[0] - 6, $b[1] - 6, $b[2] - 6), [OpenCvSharp.Scalar]::new($b[0] + 6, $b[1] + 6, $b[2] + 6), $mask)
            [OpenCvSharp.Cv2]::CountNonZero($mask) | Should -BeGreaterThan $case.Least -Because "the page draws $($case.What)"
        }
    }
}
