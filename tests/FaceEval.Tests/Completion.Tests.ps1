BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    New-Item -ItemType Directory (Join-Path $Work 'models dir') | Out-Null
    foreach ($f in 'yunet.onnx', 'other.ONNX', 'notes.txt', 'pairs.csv', 'a.npy') { Set-Content (Join-Path $Work $f) 'x' }
    Set-Content (Join-Path $Work 'models dir/deep.onnx') 'x'
    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Argument completion' {
    It 'offers folders and ONNX files for -DetectorModel, quoting names with spaces' {
        Push-Location $Work
        try {
            $found = Complete 'Get-FaceCrop -DetectorModel '
            $found | Should -Contain 'other.ONNX'
            $found | Should -Contain 'yunet.onnx'
            $found | Should -Contain "'models dir/'"
            $found | Should -Not -Contain 'notes.txt'
            Complete 'Start-FaceEvalServer -DetectorModel y' | Should -Be 'yunet.onnx'
            Complete 'Start-FaceEvalServer -DetectorModel models\ dir/' | Should -BeNullOrEmpty -Because 'an escaped space is not a folder name'
            Complete "Get-FaceCrop -DetectorModel 'models dir/" | Should -Be "'models dir/deep.onnx'"
        } finally {
            Pop-Location
        }
    }

    It 'offers pair lists for -PairList and .npy files for Import-FaceEmbedding -Path' {
        Push-Location $Work
        try {
            (Complete 'Measure-FaceVerification -PairList ') -notmatch "/'?$" | Should -Be 'notes.txt', 'pairs.csv'
            (Complete 'Import-FaceEmbedding -Path ') -notmatch "/'?$" | Should -Be 'a.npy'
        } finally {
            Pop-Location
        }
    }

    It 'offers the configured model names and those of running local servers for -Model' {
        $env:FACEEVAL_MODELS = 'eagle, falcon'
        $server = Start-FaceEvalServer -Model heron=lbp -NoDetector
        try {
            Complete 'Invoke-FaceEmbedding -Model ' | Should -Be 'eagle', 'falcon', 'heron'
            Complete 'Invoke-FaceEmbedding -Model f' | Should -Be 'falcon'
            Remove-Item Env:FACEEVAL_MODELS
            Complete 'Invoke-FaceEmbedding -Model ' | Should -Be 'heron' -Because 'only what a running server or the configuration serves, no made-up defaults'
        } finally {
            Stop-FaceEvalServer $server
            Remove-Item Env:FACEEVAL_MODELS -ErrorAction Ignore
        }
        Complete 'Invoke-FaceEmbedding -Model ' | Should -Not -Contain 'heron' -Because 'a stopped server serves nothing'
    }
}
