# Issue #13: what a run writes, and what reading it back may assume. One folder holds one model's vectors;
# a manifest resolves relative to itself; reading never writes; one writer per manifest; a full disk or a
# changed model stops the run with what is saved said; an unreadable sub-folder does not stop it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Server = Start-FaceEvalServer -Model dingo=lbp, kiwi=hog -NoDetector -RecordRequests
    $script:Url = $Server.Url
    $script:RequestsUrl = $Url -replace '/extract$', '/__faceeval/requests'
    Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore

    function New-Faces([string] $Folder, [int] $Count, [int] $Offset = 0) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        foreach ($i in 1..$Count) { New-GradientImage (Join-Path $Folder ('face{0:D4}.png' -f ($i + $Offset))) (40 + ($i + $Offset) % 37) (50 + ($i + $Offset) % 23) -Seed ($i + 100 * $Offset + 7) }
    }
    function Get-Recorded([string] $From = $RequestsUrl) { @(Invoke-RestMethod $From | ForEach-Object { $_ }) }
    function Get-Tree([string] $Folder) {
        # Every file's relative path and SHA-256: to show that something was left exactly as it was.
        Get-ChildItem $Folder -Recurse -File -Force | Sort-Object FullName | ForEach-Object {
            '{0} {1}' -f [IO.Path]::GetRelativePath($Folder, $_.FullName), (Get-FileHash -LiteralPath $_.FullName).Hash
        }
    }
    # Two identities of three faces each, in identity folders.
    $script:Faces = Join-Path $Work 'faces'
    New-Faces (Join-Path $Faces 'ann') 3
    New-Faces (Join-Path $Faces 'ben') 3 -Offset 3
    $script:AllFaces = @(Get-ChildItem $Faces -Recurse -Filter *.png | ForEach-Object FullName)

    function Invoke-Run([string] $Model, [string] $Out, [string[]] $Files = $AllFaces, [string] $Endpoint = $Url, [hashtable] $Extra = @{}) {
        Invoke-FaceEmbedding -Model $Model -ServerUrl $Endpoint -Path $Files -OutputDirectory $Out -PreserveStructure -Root $Faces @Extra
    }
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'One model per output folder (defect 3)' {
    It 'refuses a second model in a folder, in either order, before sending anything, and resumes each model''s own vectors' -TestCases @(
        @{ First = 'dingo'; Second = 'kiwi' }
        @{ First = 'kiwi'; Second = 'dingo' }
    ) {
        param($First, $Second)
        $out = Join-Path $Work "one-folder-$First"
        $a = @(Invoke-Run $First $out)
        $tree = Get-Tree $out
        $before = (Get-Recorded).Count
        { Invoke-Run $Second $out -Extra @{ ErrorAction = 'Stop' } } | Should -Throw -ErrorId 'ModelMismatch,*'
        (Get-Recorded).Count | Should -Be $before -Because 'nothing is sent for a folder that belongs to another model'
        Get-Tree $out | Should -Be $tree -Because "$First's files are untouched"
        $again = @(Invoke-Run $First $out)
        ($again | Where-Object Resumed).Count | Should -Be 6
        (Get-Recorded).Count | Should -Be $before
        for ($i = 0; $i -lt 6; $i++) { $again[$i].Vector | Should -Be $a[$i].Vector }
    }

    It 'embeds again, rather than resume, a file that another run (its own manifest) overwrote' {
        $out = Join-Path $Work 'shared-by-manifests'
        $mine = @(Invoke-Run dingo $out -Extra @{ ManifestPath = (Join-Path $Work 'dingo.jsonl') })
        # Another model's run with a manifest of its own writes the same file names into the same folder.
        $null = Invoke-Run kiwi $out -Extra @{ ManifestPath = (Join-Path $Work 'kiwi.jsonl') }
        $before = (Get-Recorded).Count
        $again = @(Invoke-Run dingo $out -Extra @{ ManifestPath = (Join-Path $Work 'dingo.jsonl') })
        ((Get-Recorded).Count - $before) | Should -Be 6 -Because 'the files no longer hold what dingo wrote'
        ($again | Where-Object Resumed).Count | Should -Be 0
        for ($i = 0; $i -lt 6; $i++) { $again[$i].Vector | Should -Be $mine[$i].Vector }
    }

    It 'embeds again a file that holds another valid vector of the same length' {
        $out = Join-Path $Work 'swapped'
        $mine = @(Invoke-Run dingo $out)
        # A vector of the right length, but not this crop's: what a copy or another run of the same kind leaves.
        Copy-Item $mine[1].NpyPath $mine[0].NpyPath -Force
        $before = (Get-Recorded).Count
        $again = @(Invoke-Run dingo $out)
        ((Get-Recorded).Count - $before) | Should -Be 1
        $again[0].Resumed | Should -BeFalse
        $again[0].Vector | Should -Be $mine[0].Vector
        @($again | Where-Object Resumed).Count | Should -Be 5
    }
}

Describe 'A manifest resolves relative to itself (defect 4)' {
    BeforeAll {
        $script:Runs = Join-Path $Work 'runs'
        foreach ($m in 'dingo', 'kiwi') { $null = Invoke-Run $m (Join-Path $Runs $m) }
        function Import-Models([string] $Folder) {
            $e = @(Get-ChildItem $Folder -Recurse -Filter *.npy | Import-FaceEmbedding -WarningVariable wv -WarningAction SilentlyContinue)
            [pscustomobject]@{ Models = @($e.Model | Sort-Object -Unique); Count = $e.Count; Warnings = @($wv).Count; Embeddings = $e }
        }
    }

    It 'keeps the models of a folder that was <How>' -TestCases @(
        @{ How = 'copied' }
        @{ How = 'moved' }
        @{ How = 'renamed' }
    ) {
        param($How)
        $source = Join-Path $Work "src-$How"
        Copy-Item $Runs $source -Recurse
        $target = switch ($How) {
            'copied' { $t = Join-Path $Work "copy-$How"; Copy-Item $source $t -Recurse; $t }
            'moved' { $t = Join-Path (New-Item -ItemType Directory (Join-Path $Work "elsewhere-$How")) 'runs'; Move-Item $source $t; $t }
            'renamed' { $t = Join-Path $Work "renamed-$How"; Rename-Item $source (Split-Path $t -Leaf); $t }
        }
        $r = Import-Models $target
        $r.Models | Should -Be 'dingo', 'kiwi'
        $r.Warnings | Should -Be 0
        $results = $r.Embeddings | Measure-FaceVerification -FoldCount 0 -FarTarget 0.5
        $results.Model | Should -Be 'dingo', 'kiwi' -Because 'two models are measured apart, never pooled'
        $results | ForEach-Object { $_.ImpostorPairs | Should -Be 9 }
    }

    It 'reads a manifest of absolute paths (written before this change) after its folder moved' {
        $old = Join-Path $Work 'old-style'
        Copy-Item (Join-Path $Runs 'dingo') $old -Recurse
        $manifest = Join-Path $old 'manifest.jsonl'
        # Rewrite it as older runs wrote it: absolute paths of the folder where the run wrote.
        $gone = '/no/longer/here/dingo'
        (Get-Content $manifest) | ForEach-Object {
            $row = $_ | ConvertFrom-Json
            if ($row.npy) { $row.npy = "$gone/$($row.npy)" }
            $row | ConvertTo-Json -Compress
        } | Set-Content $manifest
        (Import-Models $old).Models | Should -Be 'dingo'
    }

    It 'warns, instead of pooling silently, when files have no recorded model' {
        $bare = Join-Path $Work 'bare'
        Copy-Item (Join-Path $Runs 'dingo') $bare -Recurse
        Remove-Item (Join-Path $bare 'manifest.jsonl')
        $e = @(Get-ChildItem $bare -Recurse -Filter *.npy | Import-FaceEmbedding -WarningVariable wv -WarningAction SilentlyContinue)
        $e.Count | Should -Be 6
        "$wv" | Should -Match '6 file\(s\) have no recorded model.*-Model'
        (Get-ChildItem $bare -Recurse -Filter *.npy | Import-FaceEmbedding -Model dingo -WarningVariable quiet).Model | Sort-Object -Unique | Should -Be 'dingo'
        @($quiet).Count | Should -Be 0
    }
}

Describe 'Reading never writes (defect 9)' {
    It 'leaves the manifest, its torn last line and its folder exactly as they were' {
        $folder = Join-Path $Work 'read-only'
        $null = Invoke-Run dingo $folder
        Add-Content (Join-Path $folder 'manifest.jsonl') '{"time":"2026-' -NoNewline   # the torn line of a killed run
        $tree = Get-Tree $folder
        $e = @(Get-ChildItem $folder -Recurse -Filter *.npy | Import-FaceEmbedding)
        $e.Model | Sort-Object -Unique | Should -Be 'dingo'
        Get-Tree $folder | Should -Be $tree -Because 'no byte changed, no lock file or newline appeared'
    }

    It 'reads a folder it may not write to (without root''s override)' {
        if (-not (Get-Command setpriv -ErrorAction Ignore) -or -not $IsLinux) { Set-ItResult -Skipped -Because 'needs setpriv (util-linux) to drop the root override of file permissions'; return }
        $folder = Join-Path $Work 'no-write'
        $null = Invoke-Run dingo $folder
        & chmod -R a-w $folder
        try {
            $child = "Import-Module '$env:FACEEVAL_MODULE'; `$e = @(Get-ChildItem '$folder' -Recurse -Filter *.npy | Import-FaceEmbedding -ErrorAction Stop); 'models=' + ((`$e.Model | Sort-Object -Unique) -join ',') + ' count=' + `$e.Count"
            $text = & setpriv --bounding-set=-dac_override,-dac_read_search -- (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $child 2>&1 | Out-String
            $text | Should -Match 'models=dingo count=6'
        } finally {
            & chmod -R u+w $folder
        }
    }
}

Describe 'One writer per manifest (defect 16)' {
    It 'refuses a second run on a manifest another run is writing, and the first loses nothing' {
        $slow = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs 400
        $out = Join-Path $Work 'two-writers'
        $first = Start-ThreadJob {
            param($Module, $Url, $Files, $Out, $Root)
            Import-Module $Module
            @(Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $Files -OutputDirectory $Out -PreserveStructure -Root $Root -ThrottleLimit 1).Count
        } -ArgumentList $env:FACEEVAL_MODULE, $slow.Url, $AllFaces, $out, $Faces
        # Wait (hang guard of minutes) until the first run holds the manifest, shown by its first row.
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not (Test-Path (Join-Path $out 'manifest.jsonl')) -or (Get-Item (Join-Path $out 'manifest.jsonl')).Length -eq 0) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'the first run never wrote a row' }
            Start-Sleep -Milliseconds 50
        }
        { Invoke-Run dingo $out -Endpoint $slow.Url -Extra @{ ErrorAction = 'Stop' } } | Should -Throw -ErrorId 'ManifestUnavailable,*'
        $first | Wait-Job -Timeout 300 | Receive-Job | Should -Be 6
        $rows = Get-Content (Join-Path $out 'manifest.jsonl') | ConvertFrom-Json
        @($rows | Where-Object status -eq 'ok').Count | Should -Be 6 -Because 'every row of the first run survives'
        # Once it has finished, the folder is free again: a re-run resumes everything.
        @(Invoke-Run dingo $out -Endpoint $slow.Url | Where-Object Resumed).Count | Should -Be 6
        Stop-FaceEvalServer $slow
    }
}

Describe 'A changed model stops the run (defect 15)' {
    It 'stops when the vectors of a resumed folder change length, saying what is saved' {
        $out = Join-Path $Work 'changed-model'
        $null = Invoke-Run dingo $out -Files $AllFaces[0..2]
        # The same name now serves another model: its vectors have another length.
        $other = Start-FaceEvalServer -Model dingo=hog -NoDetector
        $err = { Invoke-Run dingo $out -Endpoint $other.Url -Extra @{ ErrorAction = 'Stop' } } | Should -Throw -ErrorId 'DimensionMismatch,*' -PassThru
        $err.Exception.Message | Should -Match 'numbers, where earlier vectors of model ''dingo'' in this folder have 2891'
        $err.Exception.Message | Should -Match 'The run stops: \d+ embedding\(s\) of this run are saved'
        Stop-FaceEvalServer $other
    }
}

Describe 'A full disk (defect 19)' {
    BeforeAll {
        $script:Tiny = Join-Path $Work 'tiny'
        New-Item -ItemType Directory $Tiny | Out-Null
        $script:CanMount = $IsLinux -and (& id -u) -eq '0' -and $null -ne (Get-Command mount -ErrorAction Ignore)
        if ($CanMount) {
            & mount -t tmpfs -o size=48k tmpfs $Tiny 2>$null
            $script:CanMount = $LASTEXITCODE -eq 0
        }
    }
    AfterAll {
        if ($CanMount) { & umount $Tiny }
    }

    It 'stops before sending anything when the output folder cannot take a file' {
        if (-not $CanMount) { Set-ItResult -Skipped -Because 'needs root and mount to make a small file system'; return }
        $out = Join-Path $Tiny 'full'
        New-Item -ItemType Directory $out | Out-Null
        # Fill it: the file system then has no room for one more block.
        try { [IO.File]::WriteAllBytes((Join-Path $Tiny 'filler'), [byte[]]::new(1MB)) } catch { }
        $before = (Get-Recorded).Count
        $err = { Invoke-Run dingo $out -Extra @{ ErrorAction = 'Stop' } } | Should -Throw -ErrorId 'WriteFailed,*' -PassThru
        $err.Exception.Message | Should -Match 'cannot be written.*nothing was sent'
        (Get-Recorded).Count | Should -Be $before
        Remove-Item (Join-Path $Tiny 'filler')
    }

    It 'stops when the disk fills mid-run, says what is saved, and a later run finishes the rest' {
        if (-not $CanMount) { Set-ItResult -Skipped -Because 'needs root and mount to make a small file system'; return }
        $out = Join-Path $Tiny 'fills'
        # About 12 KB per dingo vector: a 48 KB file system holds a few, not six.
        $err = { Invoke-Run dingo $out -Extra @{ ErrorAction = 'Stop'; ThrottleLimit = 1 } } | Should -Throw -ErrorId 'WriteFailed,*' -PassThru
        $err.Exception.Message | Should -Match 'The run stops: (\d+) embedding\(s\) of this run are saved.*free some space and run the same command again to resume'
        $saved = [int][regex]::Match($err.Exception.Message, 'The run stops: (\d+)').Groups[1].Value
        $recorded = @(Get-Content (Join-Path $out 'manifest.jsonl') | ConvertFrom-Json | Where-Object status -eq 'ok').Count
        $saved | Should -BeGreaterThan 0
        $saved | Should -BeLessOrEqual $recorded -Because 'what the message counts is on disk and in the manifest'
        & mount -o remount,size=1m $Tiny
        $all = @(Invoke-Run dingo $out)
        $all.Count | Should -Be 6
        @($all | Where-Object Resumed).Count | Should -Be $recorded -Because 'what was saved is not sent again'
    }
}

Describe 'An unreadable sub-folder (defect 12)' {
    It 'does not stop a run into the folder' {
        if (-not (Get-Command setpriv -ErrorAction Ignore) -or -not $IsLinux) { Set-ItResult -Skipped -Because 'needs setpriv (util-linux) to drop the root override of file permissions'; return }
        $out = Join-Path $Work 'locked-sub'
        New-Item -ItemType Directory (Join-Path $out 'private') -Force | Out-Null
        & chmod 000 (Join-Path $out 'private')
        try {
            $child = "Import-Module '$env:FACEEVAL_MODULE'; @(Invoke-FaceEmbedding -Model dingo -ServerUrl '$Url' -Path '$($AllFaces -join "','")' -OutputDirectory '$out' -PreserveStructure -Root '$Faces' -ErrorAction Stop).Count"
            $text = & setpriv --bounding-set=-dac_override,-dac_read_search -- (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $child 2>&1 | Out-String
            $text.Trim() | Should -Be '6'
        } finally {
            & chmod 755 (Join-Path $out 'private')
        }
    }
}

Describe 'Special files as embeddings and pair lists (defect 11)' {
    It 'refuses devices, pipes and links to them at once, and reads the good files after them' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'devices and named pipes are Unix paths here'; return }
        $dir = New-Item -ItemType Directory (Join-Path $Work 'special') -Force
        & mkfifo (Join-Path $dir 'pipe.npy')
        New-Item -ItemType SymbolicLink -Path (Join-Path $dir 'zero.npy') -Target /dev/zero | Out-Null
        Write-TestNpy (Join-Path $dir 'good.npy') ([float[]](0.6, 0.8))
        & mkfifo (Join-Path $dir 'pairs.txt')
        $job = Start-ThreadJob {
            param($Module, $Dir)
            Import-Module $Module
            $e = @('/dev/zero', '/dev/urandom', "$Dir/pipe.npy", "$Dir/zero.npy", "$Dir/good.npy") | ForEach-Object { Import-FaceEmbedding -LiteralPath $_ -Model m -ErrorVariable +ev -ErrorAction SilentlyContinue }
            $pairs = try { $e | Measure-FaceVerification -PairList "$Dir/pairs.txt" -ErrorAction Stop; 'measured' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Read = $e.Count; Errors = @($ev | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }); PairList = $pairs }
        } -ArgumentList $env:FACEEVAL_MODULE, $dir.FullName
        $job | Wait-Job -Timeout 120 | Out-Null
        $job.State | Should -Be 'Completed' -Because 'nothing may wait on a pipe'
        $r = Receive-Job $job
        $r.Read | Should -Be 1
        $r.Errors | Should -Be 'NpyUnreadable', 'NpyUnreadable', 'NpyUnreadable', 'NpyUnreadable'
        $r.PairList | Should -BeLike 'PairListInvalid,*'
        Remove-Job $job -Force
    }
}

Describe 'The endpoint stays out of the service account, the plan and the report (#16)' {
    It 'names no part of the URL in canary warnings, the manifest, Measure-FaceEmbeddingRun, Get-FaceEvalPlan or the report''s Service and gallery sections' {
        $port = ([uri]$Url).Port
        $secretUrl = "http://svc-robot:pa55-w0rd@127.0.0.1:$port/extract?key=Qz7SecretKey99"
        $out = Join-Path $Work 'account-safety/dingo'
        $stream = & {
            $ErrorActionPreference = 'Continue'
            Invoke-FaceEmbedding -Model dingo -ServerUrl $secretUrl -Path $AllFaces -OutputDirectory $out -PreserveStructure -Root $Faces -Canary 2 -CanaryInterval 2 -Verbose | Out-Null
        } *>&1 | Out-String
        $manifest = Get-Content -Raw (Join-Path $out 'manifest.jsonl')
        $manifest | Should -Match '"kind":"canary"'
        $account = & { Measure-FaceEmbeddingRun (Join-Path $Work 'account-safety/*') -Verbose | Format-List * } *>&1 | Out-String
        $plan = & { Get-FaceEvalPlan -Path $Faces -Model dingo -RequestsPerSecond 1 -RunManifest (Join-Path $Work 'account-safety/*') | Format-List * } *>&1 | Out-String
        $report = Join-Path $Work 'account-safety/report.html'
        $null = Get-ChildItem $out -Recurse -Filter *.npy | Import-FaceEmbedding |
            Measure-FaceVerification -FarTarget 1e-1 -FoldCount 0 -ReportPath $report -RunManifest (Join-Path $Work 'account-safety/*') -FailureGallery 2 -WarningAction SilentlyContinue
        $html = Get-Content -Raw $report
        $html | Should -Match '<h2>Service</h2>'
        $all = $stream + $manifest + $account + $plan + $html
        foreach ($secret in 'svc-robot', 'pa55-w0rd', 'Qz7SecretKey99', '127.0.0.1') { $all | Should -Not -Match ([regex]::Escape($secret)) }
        $all | Should -Not -Match "(?<![0-9a-f])$port(?![0-9a-f])"
    }
}
