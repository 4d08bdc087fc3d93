# The whole evaluation on real faces: ORL photos -> Get-FaceCrop (YuNet) -> the reference server
# (YuNet alignment + dlib ResNet ONNX, and the built-in LBP descriptor) -> Measure-FaceVerification
# with plots and the HTML report.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'ORL end to end' {
    BeforeAll {
        if (-not $TestData) { return }
        $script:Work = New-TestFolder
        $script:Server = Start-FaceEvalServer -Model "eagle=onnx:$(Join-Path $TestData 'models/dlib_resnet_face_recognition_v1_150.onnx');preset=dlib150", 'dingo=lbp' -DetectorModel $YuNet
        $photos = Get-ChildItem $Orl -Recurse -Filter *.pgm | Select-Object FullName, @{ n = 'Identity'; e = { $_.Directory.Name } }
        $script:Crops = @($photos | Get-FaceCrop -DetectorModel $YuNet -OutputDirectory (Join-Path $Work 'crops') -PreserveStructure -Root $Orl)
        $embeddings = foreach ($model in 'eagle', 'dingo') {
            $Crops | Invoke-FaceEmbedding -Model $model -ServerUrl $Server.Url -OutputDirectory (Join-Path $Work "embeddings/$model") -PreserveStructure -Root (Join-Path $Work 'crops') -IncludeFailureToEnrol
        }
        $script:Results = @($embeddings | Measure-FaceVerification -BootstrapCount 100 -Seed 1 -PlotPath (Join-Path $Work 'plots') -ReportPath (Join-Path $Work 'report.html'))
        # The figures for the record (CI log).
        $Results | Format-Table | Out-String -Width 200 | Write-Host
        foreach ($r in $Results) {
            $p = $r.At(1e-3)
            Write-Host ('{0}: AUC {1:F5}, EER {2:P2} [{3:P2}, {4:P2}], TAR@FAR1e-3 {5:P2} [{6:P2}, {7:P2}] at threshold {8:F4}, k-fold {9:P2}' -f
                $r.Model, $r.Auc, $r.Eer, $r.EerLow, $r.EerHigh, $p.Tar, $p.TarLow, $p.TarHigh, $p.Threshold, $r.KFoldAccuracy)
        }
    }

    AfterAll {
        if ($Server) { Stop-FaceEvalServer $Server }
        if ($Work) { Remove-Item $Work -Recurse -Force -ErrorAction Ignore }
    }

    It 'crops every face and embeds every crop with both models' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $Crops.Count | Should -Be 400
        @(Get-ChildItem (Join-Path $Work 'embeddings/eagle') -Recurse -Filter *.npy).Count | Should -Be 400
        @(Get-ChildItem (Join-Path $Work 'embeddings/dingo') -Recurse -Filter *.npy).Count | Should -Be 400
    }

    It 'measures both models on the same 79,800 pairs, the real embedder far ahead' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $Results.Model | Should -Be 'dingo', 'eagle'
        foreach ($r in $Results) {
            ($r.GenuinePairs, $r.ImpostorPairs, $r.FailureToEnrol) | Should -Be 1800, 78000, 0
            $r.Eer | Should -BeGreaterOrEqual $r.EerLow
            $r.Eer | Should -BeLessOrEqual $r.EerHigh
        }
        $dingo, $eagle = $Results
        # dlib's ResNet on ORL: near-perfect separation; measured AUC 0.9999, EER 0.39 %.
        $eagle.Auc | Should -BeGreaterThan 0.999
        $eagle.Eer | Should -BeLessThan 0.01
        $eagle.At(1e-3).Tar | Should -BeGreaterThan 0.95
        $eagle.At(1e-5).Estimable | Should -BeFalse -Because '78,000 impostor pairs cannot measure FAR 1e-5'
        $dingo.Auc | Should -BeLessThan $eagle.Auc
        $dingo.Eer | Should -BeGreaterThan (5 * $eagle.Eer)
    }

    It 'writes the plots and a self-contained report with both models' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        (Get-ChildItem (Join-Path $Work 'plots')).Name | Sort-Object | Should -Be 'det.png', 'det.svg', 'faceeval-outputs.jsonl', 'roc.png', 'roc.svg', 'scores.png', 'scores.svg'
        $html = Get-Content -Raw (Join-Path $Work 'report.html')
        $html | Should -Match '<th>dingo</th><th>eagle</th>'
        ([regex]::Matches($html, 'src="data:image/png;base64,')).Count | Should -Be 3
        $html | Should -Match ([regex]::Escape('100 replicates over identities, seed 1'))
        $html | Should -Not -Match ([regex]::Escape($Server.Url)) -Because 'the report never names the endpoint'
        $html | Should -Not -Match '127\.0\.0\.1'
        # The EER in the report is the measured one.
        $html | Should -Match ([regex]::Escape($Results[1].Eer.ToString('0.00%', [cultureinfo]::InvariantCulture)))
    }
}
