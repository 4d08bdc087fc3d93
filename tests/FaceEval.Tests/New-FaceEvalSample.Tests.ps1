BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'New-FaceEvalSample' {
    It 'draws every photo with a box inside it, one folder per identity, the same for the same seed' {
        $a = New-FaceEvalSample (Join-Path $Work 'a') -IdentityCount 3 -ImagesPerIdentity 4 -Seed 7
        $b = New-FaceEvalSample (Join-Path $Work 'b') -Identities 3 -ImagesPerIdentity 4 -Seed 7
        $a.Count | Should -Be 12
        ($a.Identity | Sort-Object -Unique) | Should -Be 'person001', 'person002', 'person003'
        foreach ($face in $a) {
            Split-Path (Split-Path $face.Path) -Leaf | Should -Be $face.Identity
            $image = [OpenCvSharp.Cv2]::ImRead($face.Path)
            ($image.Width, $image.Height) | Should -Be 320, 320
            $face.X | Should -BeGreaterOrEqual 0
            $face.Y | Should -BeGreaterOrEqual 0
            ($face.X + $face.Width) | Should -BeLessOrEqual 320
            ($face.Y + $face.Height) | Should -BeLessOrEqual 320
            $face.Width | Should -BeGreaterThan 60
        }
        ($a | ForEach-Object { (Get-FileHash $_.Path).Hash }) | Should -Be ($b | ForEach-Object { (Get-FileHash $_.Path).Hash })
        (Get-FileHash $a[0].Path).Hash | Should -Not -Be (Get-FileHash $a[1].Path).Hash -Because 'every photo of an identity varies'
    }

    It 'shows a table of identity, file and box by default' {
        $text = New-FaceEvalSample (Join-Path $Work 'g') -Identities 2 -ImagesPerIdentity 2 | Out-String
        $text | Should -Match 'Identity\s+File\s+X\s+Y\s+Width\s+Height'
        $text | Should -Match 'person002\s+02\.jpg'
    }

    It 'pipes into Get-FaceCrop, which carries the identity on' {
        $crops = New-FaceEvalSample (Join-Path $Work 'c') -Identities 2 -ImagesPerIdentity 2 | Get-FaceCrop
        $crops.Count | Should -Be 4
        $crops.Identity | Should -Be 'person001', 'person001', 'person002', 'person002'
    }

    It 'honours -WhatIf, refuses too few identities, and reports progress' {
        New-FaceEvalSample (Join-Path $Work 'd') -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $Work 'd') | Should -BeFalse
        { New-FaceEvalSample (Join-Path $Work 'e') -Identities 1 } | Should -Throw
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; New-FaceEvalSample '$(Join-Path $Work 'f')' -Identities 2 -ImagesPerIdentity 10 | Out-Null")
        $ps.Invoke()
        $ps.Streams.Error | Should -BeNullOrEmpty
        $records = @($ps.Streams.Progress)
        $records.Count | Should -BeGreaterOrEqual 2
        $records[-1].RecordType | Should -Be 'Completed'
        $records[0].StatusDescription | Should -Match '^10 of 20 photos'
        $ps.Dispose()
    }
}
