BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Script = Join-Path $PSScriptRoot '../../examples/Invoke-NightlyEmbedding.ps1'
    $script:Crops = Join-Path $Work 'crops'
    foreach ($id in 'alice', 'bob') {
        New-Item -ItemType Directory -Force (Join-Path $Crops $id) | Out-Null
        foreach ($i in 1..4) { New-GradientImage (Join-Path $Crops "$id/$i.png") 60 70 -Seed ($i + 10 * $id.Length) | Out-Null }
    }
    function Invoke-Nightly([string] $Url, [string] $Model, [string] $Out) {
        $env:FACEEVAL_SERVER_URL = $Url
        try {
            & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $Script -CropFolder $Crops -OutputFolder $Out -Model $Model -ModulePath $env:FACEEVAL_MODULE -MaximumRetryCount 0 2>&1 | Out-String
        } finally {
            Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore
        }
    }
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'examples/Invoke-NightlyEmbedding.ps1' {
    It 'embeds everything, resumes on the next run, logs without the endpoint, and exits 0' {
        $server = Start-FaceEvalServer -Model eagle=lbp -NoDetector -RecordRequests
        $out = Join-Path $Work 'emb'
        Invoke-Nightly $server.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Get-ChildItem $out -Recurse -Filter *.npy).Count | Should -Be 8
        Test-Path (Join-Path $out 'alice/1.npy') | Should -BeTrue
        Invoke-Nightly $server.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Invoke-RestMethod ($server.Url -replace '/extract$', '/__faceeval/requests') | ForEach-Object { $_ }).Count | Should -Be 8 -Because 'the second run sends nothing'
        $log = Get-Content -Raw (Join-Path $out 'nightly.log')
        $log | Should -Match 'end: 8 crops, 8 embedded \(8 from earlier runs\), 0 failed'
        $log | Should -Not -Match ([regex]::Escape(([uri]$server.Url).Authority))
    }

    It 'exits 3 when the model is rejected and 2 without an endpoint' {
        $server = Start-FaceEvalServer -Model eagle=lbp -NoDetector
        Invoke-Nightly $server.Url buffalo (Join-Path $Work 'rejected') | Out-Null
        $LASTEXITCODE | Should -Be 3
        Get-Content -Raw (Join-Path $Work 'rejected/nightly.log') | Should -Match 'stopped: ModelRejected'
        Invoke-Nightly '' eagle (Join-Path $Work 'no-endpoint') | Out-Null
        $LASTEXITCODE | Should -Be 2
    }

    It 'exits 1 when some crops fail, and a later run finishes them' {
        $flaky = Start-FaceEvalServer -Model eagle=lbp -NoDetector -FaultErrorRate 1
        $out = Join-Path $Work 'partial'
        Invoke-Nightly $flaky.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 1
        Stop-FaceEvalServer $flaky
        $good = Start-FaceEvalServer -Model eagle=lbp -NoDetector
        Invoke-Nightly $good.Url eagle $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        @(Get-ChildItem $out -Recurse -Filter *.npy).Count | Should -Be 8
    }
}

Describe 'examples/Compare-FaceModels.ps1' {
    It 'compares three models on the same pairs and writes the report and operating points' {
        $samples = Join-Path $Work 'samples'
        New-FaceEvalSample $samples -Identities 6 -ImagesPerIdentity 3 -Seed 4 | Export-Csv (Join-Path $Work 'boxes.csv')
        $server = Start-FaceEvalServer -Model dingo=lbp, kiwi=hog, emu=lbp -NoDetector
        $out = Join-Path $Work 'comparison'
        $text = & (Join-Path $PSScriptRoot '../../examples/Compare-FaceModels.ps1') -Dataset $samples -Detections (Join-Path $Work 'boxes.csv') -Model dingo, kiwi, emu -ServerUrl $server.Url -OutputDirectory $out -BootstrapCount 50 -ModulePath $env:FACEEVAL_MODULE 6>&1 | Out-String
        $text | Should -Match '18 crops of 6 identities'
        $points = Import-Csv (Join-Path $out 'operating-points.csv')
        ($points.Model | Sort-Object -Unique) | Should -Be 'dingo', 'emu', 'kiwi'
        @($points).Count | Should -Be 12
        # The same pairs for every model: dingo and emu are the same descriptor, so the same numbers.
        $dingo = $points | Where-Object Model -eq dingo
        $emu = $points | Where-Object Model -eq emu
        $dingo.Tar | Should -Be $emu.Tar
        Get-Content -Raw (Join-Path $out 'report.html') | Should -Match '<th>dingo</th><th>emu</th><th>kiwi</th>'
        $text | Should -Not -Match ([regex]::Escape(([uri]$server.Url).Authority))
    }
}
