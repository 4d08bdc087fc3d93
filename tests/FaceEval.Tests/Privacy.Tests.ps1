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

Describe 'Remove-FaceEvalData' {
    BeforeAll {
        $script:Server = Start-FaceEvalServer -Model 'kiwi=hog' -NoDetector
        $script:Photos = Join-Path $Work 'photos'
        $script:Rows = @(New-FaceEvalSample $Photos -IdentityCount 4 -ImagesPerIdentity 3 -Seed 5)

        # One evaluation in $Folder: crops, one model's embeddings, reports, plots and a ROC file; and files of
        # the user's beside them, which FaceEval did not write.
        function New-Evaluation([string] $Folder) {
            $crops = @($Rows | Get-FaceCrop -OutputDirectory (Join-Path $Folder 'crops') -PreserveStructure -Root $Photos)
            $embeddings = @($crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Server.Url -OutputDirectory (Join-Path $Folder 'embeddings') -PreserveStructure -Root (Join-Path $Folder 'crops'))
            $embeddings | Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ReportPath (Join-Path $Folder 'report.html') -ShareablePath (Join-Path $Folder 'shareable.html') `
                -PlotPath (Join-Path $Folder 'plots') -RocPath (Join-Path $Folder 'roc.csv') -WarningAction SilentlyContinue | Out-Null
            Set-Content (Join-Path $Folder 'notes.txt') 'the evaluator''s notes'
            Copy-Item (Get-ChildItem (Join-Path $Folder 'embeddings') -Recurse -Filter *.npy | Select-Object -First 1).FullName (Join-Path $Folder 'embeddings/mine.npy')
            Copy-Item (Get-ChildItem (Join-Path $Folder 'crops') -Recurse -Filter *.png | Select-Object -First 1).FullName (Join-Path $Folder 'crops/reference-face.png')
            Set-Content (Join-Path $Folder 'crops/log.jsonl') '{"source":"x","note":"not a manifest"}'
            $crops.Count
        }
        function Get-Tree([string] $Folder) {
            Get-ChildItem $Folder -Recurse -File -Force | Sort-Object FullName | ForEach-Object { '{0} {1}' -f [IO.Path]::GetRelativePath($Folder, $_.FullName), (Get-FileHash -LiteralPath $_.FullName).Hash }
        }
    }
    AfterAll {
        Stop-FaceEvalServer $Server
    }

    It 'deletes exactly what FaceEval wrote, leaves everything else as it was, and records counts without names' {
        $run = Join-Path $Work 'window'
        $count = New-Evaluation $run
        $count | Should -Be 12
        # A crop changed after FaceEval wrote it is no longer FaceEval's to delete.
        $changed = (Get-ChildItem (Join-Path $run 'crops') -Recurse -Filter *_0.png | Select-Object -Last 1).FullName
        [IO.File]::AppendAllText($changed, 'edited')
        $users = 'notes.txt', 'embeddings/mine.npy', 'crops/reference-face.png', 'crops/log.jsonl' | ForEach-Object { Join-Path $run $_ }
        $before = @($users + $changed | ForEach-Object { (Get-FileHash -LiteralPath $_).Hash })
        $photosBefore = Get-Tree $Photos

        $d = Remove-FaceEvalData $run -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $d.Crops | Should -Be ($count - 1)
        $d.Embeddings | Should -Be $count
        $d.Manifests | Should -Be 2 -Because 'the manifest and its lock file'
        $d.Reports | Should -Be 2
        $d.Figures | Should -Be 7 -Because 'roc, det and scores as PNG and SVG, and roc.csv'
        $d.Changed | Should -Be 1
        @($warned).Count | Should -Be 1

        # What is left: the user's files, the changed crop, the record; all byte for byte as before.
        $left = Get-ChildItem $run -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($run, $_.FullName) -replace '\\', '/' } | Sort-Object
        $expected = @('notes.txt', 'embeddings/mine.npy', 'crops/reference-face.png', 'crops/log.jsonl', ([IO.Path]::GetRelativePath($run, $changed) -replace '\\', '/'), (Split-Path $d.RecordPath -Leaf)) | Sort-Object
        $left | Should -Be $expected
        @($users + $changed | ForEach-Object { (Get-FileHash -LiteralPath $_).Hash }) | Should -Be $before
        Get-Tree $Photos | Should -Be $photosBefore -Because 'the source photos are the user''s'
        Test-Path (Join-Path $run 'plots') | Should -BeFalse -Because 'a folder the deletion emptied goes too'

        # The record: counts and time, no names.
        $record = Get-Content -Raw $d.RecordPath
        $json = $record | ConvertFrom-Json
        $json.deleted.crops | Should -Be ($count - 1)
        $json.left.changed_since_written | Should -Be 1
        # (File stems such as 01 are numbers: the time stamp has those too. The folders are the identities.)
        foreach ($name in @($Rows.Identity | Sort-Object -Unique) + 'kiwi' + ($Rows | ForEach-Object { Split-Path $_.Path -Leaf })) {
            $record | Should -Not -Match ([regex]::Escape($name)) -Because 'the record names no file, identity or model'
        }
    }

    It 'deletes nothing with -WhatIf, and keeps the reports and the record naming them with -Keep Report' {
        $run = Join-Path $Work 'window2'
        New-Evaluation $run | Out-Null
        $tree = Get-Tree $run
        Remove-FaceEvalData $run -WhatIf | Should -BeNullOrEmpty
        Get-Tree $run | Should -Be $tree

        $d = Remove-FaceEvalData $run -Keep Report -Confirm:$false
        ($d.Reports, $d.Kept) | Should -Be 0, 2
        Test-Path (Join-Path $run 'report.html'), (Join-Path $run 'shareable.html'), (Join-Path $run 'faceeval-outputs.jsonl') | Should -Be $true, $true, $true
        Test-Path (Join-Path $run 'crops/faceeval-outputs.jsonl'), (Join-Path $run 'embeddings/manifest.jsonl') | Should -Be $false, $false
        # Run again: the kept reports are still kept, and nothing else is left to delete.
        $again = @(Remove-FaceEvalData $run -Keep Report -Confirm:$false)
        $again.Count | Should -Be 1
        (($again[0].Crops + $again[0].Embeddings + $again[0].Reports + $again[0].Figures), $again[0].Kept) | Should -Be 0, 2
    }

    It 'says plainly when the folder does not exist' {
        Remove-FaceEvalData (Join-Path $Work 'no-such-run') -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound,*'
    }
}

Describe 'Consent ledger' {
    BeforeAll {
        $script:Recording = Start-FaceEvalServer -Model 'kiwi=hog' -NoDetector -RecordRequests
        $script:RequestsUrl = $Recording.Url -replace '/extract$', '/__faceeval/requests'
        function Get-Recorded { @(Invoke-RestMethod $RequestsUrl | ForEach-Object { $_ }) }
        function Get-Sha([string] $File) { (Get-FileHash -LiteralPath $File).Hash.ToLowerInvariant() }
        $script:ConsentPhotos = Join-Path $Work 'consent-photos'
        # A detections CSV of 6 photos: four with a consent reference, one with an empty cell, one with none at all.
        $rows = @(New-FaceEvalSample $ConsentPhotos -IdentityCount 3 -ImagesPerIdentity 2 -Seed 8)
        $script:Csv = Join-Path $Work 'detections.csv'
        $lines = for ($i = 0; $i -lt $rows.Count; $i++) {
            $r = $rows[$i]
            [pscustomobject]@{ Path = $r.Path; Identity = $r.Identity; X = $r.X; Y = $r.Y; Width = $r.Width; Height = $r.Height; ConsentRef = if ($i -lt 4) { "DPA-2026-$($i + 1)" } else { '' } }
        }
        $lines | Export-Csv $Csv
    }
    AfterAll {
        Stop-FaceEvalServer $Recording
    }

    It 'sends only the images with a consent reference, says which were not sent, and records each reference in the manifest' {
        $crops = @(Import-Csv $Csv | Get-FaceCrop)
        $crops.Count | Should -Be 6
        $out = Join-Path $Work 'consented'
        $before = (Get-Recorded).Count
        $embedded = @($crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -OutputDirectory $out -PreserveStructure -Root $ConsentPhotos -RequireConsent -ErrorVariable refused -ErrorAction SilentlyContinue)
        $embedded.Count | Should -Be 4
        @($refused).Count | Should -Be 2
        $refused | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ConsentMissing,*' }
        $refused[0].Exception.Message | Should -Match ([regex]::Escape((Split-Path $crops[4].SourcePath -Leaf)))
        # The server's own log: exactly the four consented crops arrived, and the other two never did.
        $sent = @(Get-Recorded | Select-Object -Skip $before)
        $sent.Count | Should -Be 4
        $consented = $crops | Select-Object -First 4
        ($sent.imageSha256 | Sort-Object) | Should -Be (($consented | ForEach-Object { [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($_.PngData)).ToLowerInvariant() }) | Sort-Object)
        # The manifest: every row with the reference it was sent under.
        $manifest = Get-Content (Join-Path $out 'manifest.jsonl') | ConvertFrom-Json
        $manifest.Count | Should -Be 4
        ($manifest.consent_ref | Sort-Object) | Should -Be 'DPA-2026-1', 'DPA-2026-2', 'DPA-2026-3', 'DPA-2026-4'
        $manifest.consent | Select-Object -Unique | Should -Be 'given'
    }

    It 'is the default with $FaceEvalRequireConsent, and without it records that an image had no reference' {
        $crops = @(Import-Csv $Csv | Get-FaceCrop)
        $FaceEvalRequireConsent = $true
        $before = (Get-Recorded).Count
        @($crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -ErrorAction SilentlyContinue).Count | Should -Be 4
        (Get-Recorded).Count - $before | Should -Be 4
        # -RequireConsent:$false overrides the preference: every image goes, and the manifest says which had no reference.
        $out = Join-Path $Work 'unchecked'
        @($crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -OutputDirectory $out -PreserveStructure -Root $ConsentPhotos -RequireConsent:$false).Count | Should -Be 6
        $manifest = Get-Content (Join-Path $out 'manifest.jsonl') | ConvertFrom-Json
        @($manifest | Where-Object consent -eq 'none').Count | Should -Be 2
        @($manifest | Where-Object consent -eq 'none' | Where-Object consent_ref).Count | Should -Be 0
    }

    It 'shows consent coverage in the plan before the run and in the account of the service after it' {
        $plan = Import-Csv $Csv | Get-FaceEvalPlan -Model kiwi, owl -RequestsPerSecond 5
        ($plan.ImagesWithConsent, $plan.ImagesWithoutConsent) | Should -Be 4, 2
        $plan.Summary | Should -Match 'Consent: 4 of 6 images carry a consent reference.*2 do not'
        # The runs above: 'consented' sent 4 under a reference; 'unchecked' sent 6, 2 of them without.
        $accounts = Measure-FaceEmbeddingRun (Join-Path $Work 'consented'), (Join-Path $Work 'unchecked')
        ($accounts | Measure-Object ConsentGiven -Sum).Sum | Should -Be 8
        ($accounts | Measure-Object ConsentNone -Sum).Sum | Should -Be 2
    }

    It 'warns when a run starts after the end of the evaluation window' {
        $crops = @(Import-Csv $Csv | Get-FaceCrop | Select-Object -First 1)
        $crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -WindowEnd ([DateTimeOffset]::UtcNow.AddDays(-1)) -WarningVariable late -WarningAction SilentlyContinue | Out-Null
        @($late | Where-Object { "$_" -match 'evaluation window ended' }).Count | Should -Be 1
        $FaceEvalWindowEnd = [DateTimeOffset]::UtcNow.AddDays(3)
        $crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -WarningVariable early -WarningAction SilentlyContinue | Out-Null
        @($early | Where-Object { "$_" -match 'evaluation window ended' }).Count | Should -Be 0
        $FaceEvalWindowEnd = [DateTimeOffset]::UtcNow.AddMinutes(-5)
        $crops | Invoke-FaceEmbedding -Model kiwi -ServerUrl $Recording.Url -WarningVariable late2 -WarningAction SilentlyContinue | Out-Null
        @($late2 | Where-Object { "$_" -match 'evaluation window ended' }).Count | Should -Be 1
    }
}
