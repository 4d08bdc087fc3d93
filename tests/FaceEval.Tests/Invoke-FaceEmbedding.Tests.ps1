BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Server = Start-FaceEvalServer -Model dingo=lbp, eagle=lbp -NoDetector -RecordRequests
    $script:Url = $Server.Url
    $script:RequestsUrl = $Url -replace '/extract$', '/__faceeval/requests'
    Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore

    function New-Faces([string] $Folder, [int] $Count, [int] $Offset = 0) {
        New-Item -ItemType Directory -Force $Folder | Out-Null
        foreach ($i in 1..$Count) { New-GradientImage (Join-Path $Folder ('face{0:D4}.png' -f $i)) (40 + ($i + $Offset) % 37) (50 + ($i + $Offset) % 23) -Seed ($i + 1000 * $Offset) }
    }
    # Invoke-RestMethod returns a JSON array as one object: pipe it to enumerate the requests.
    function Get-Recorded([string] $From = $RequestsUrl) { @(Invoke-RestMethod $From | ForEach-Object { $_ }) }
    function Get-Sha([byte[]] $Bytes) { [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant() }

    $script:Faces = New-Faces (Join-Path $Work 'faces') 6
}

AfterAll {
    Stop-FaceEvalServer -All
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Invoke-FaceEmbedding protocol and output' {
    It 'sends the form exactly as the guide''s client and keeps input order and labels' {
        $before = (Get-Recorded).Count
        $crops = $Faces | Select-Object @{ n = 'FullName'; e = { $_ } }, @{ n = 'Identity'; e = { 'id-' + [IO.Path]::GetFileNameWithoutExtension($_) } }, @{ n = 'ConsentRef'; e = { 'C' } } |
            Get-FaceCrop -BoundingBox 2, 2, 30, 30
        $out = $crops | Invoke-FaceEmbedding -Model eagle -ServerUrl $Url -ThrottleLimit 3
        $out.Count | Should -Be 6
        $out.SourcePath | Should -Be $Faces
        $out.Identity | Should -Be ($Faces | ForEach-Object { 'id-' + [IO.Path]::GetFileNameWithoutExtension($_) })
        $out.ConsentRef | Should -Be (@('C') * 6)
        $out[0].Model | Should -Be 'eagle'
        $out[0].Vector.GetType().Name | Should -Be 'Single[]'
        $out[0].Dimension | Should -Be 2891
        [math]::Abs($out[0].Norm - 1) | Should -BeLessThan 1e-5

        $sent = @(Get-Recorded)[$before..($before + 5)]
        $sent.Count | Should -Be 6
        foreach ($r in $sent) {
            $r.contentType | Should -Be 'multipart/form-data'
            $r.modelName | Should -Be 'eagle'
            $image = $r.parts | Where-Object name -eq 'image'
            $image.contentType | Should -Be 'application/octet-stream'
            $image.fileName | Should -Match '^face\d{4}_0\.png$'
            ($r.parts | Where-Object name -eq 'model_name') | Should -Not -BeNullOrEmpty
        }
        ($sent.imageSha256 | Sort-Object) | Should -Be (($crops | ForEach-Object { Get-Sha $_.PngData }) | Sort-Object)
    }

    It 'saves byte-valid .npy files (format 1.0, <f4, shape (D,)) that read back exactly' {
        $out = $Faces | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -OutputDirectory (Join-Path $Work 'npy')
        foreach ($e in $out) {
            $bytes = [IO.File]::ReadAllBytes($e.NpyPath)
            [Text.Encoding]::Latin1.GetString($bytes, 0, 6) | Should -Be "$([char]0x93)NUMPY"
            ($bytes[6], $bytes[7]) | Should -Be 1, 0
            $headerLength = [BitConverter]::ToUInt16($bytes, 8)
            (10 + $headerLength) % 64 | Should -Be 0
            $header = [Text.Encoding]::ASCII.GetString($bytes, 10, $headerLength)
            $header | Should -Match "^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2891,\), \}\s*\n$"
            $bytes.Length | Should -Be (10 + $headerLength + 4 * 2891)
            $back = Import-FaceEmbedding -LiteralPath $e.NpyPath
            $back.Vector | Should -Be $e.Vector
            $back.Model | Should -Be 'dingo' -Because 'the model is read from the run''s manifest.jsonl'
        }
        $python = '/usr/bin/python3'
        if ((Test-Path $python) -and $(& $python -c 'import numpy' 2>$null; $LASTEXITCODE -eq 0)) {
            $check = & $python -c "import numpy as n, sys; a = n.load(sys.argv[1]); print(a.dtype, a.shape, round(float((a * a).sum()), 4))" $out[0].NpyPath
            $check | Should -Be 'float32 (2891,) 1.0'
        }
    }

    It 'reads .npy files of other shapes and types, and says why a file is unreadable' {
        $python = '/usr/bin/python3'
        if (-not ((Test-Path $python) -and $(& $python -c 'import numpy' 2>$null; $LASTEXITCODE -eq 0))) {
            Set-ItResult -Skipped -Because 'numpy (Debian python3-numpy) writes the reference files'; return
        }
        $dir = New-Item -ItemType Directory -Force (Join-Path $Work 'npy-kinds/alice')
        & $python -c @"
import numpy as n, sys
d = sys.argv[1]
m = n.arange(12, dtype=n.float64).reshape(3, 4) / 10
n.save(d + '/f8.npy', m)
n.save(d + '/fortran.npy', n.asfortranarray(m.astype(n.float32)))
with open(d + '/v2.npy', 'wb') as f: n.lib.format.write_array(f, m[0].astype(n.float32), version=(2, 0))
n.save(d + '/int.npy', n.arange(4))
"@ $dir
        $f8 = Import-FaceEmbedding (Join-Path $dir 'f8.npy') -Model m
        $f8.Count | Should -Be 3
        $f8[1].Vector | Should -Be ([float[]](0.4, 0.5, 0.6, 0.7))
        $f8[0].Identity | Should -Be 'alice'
        (Import-FaceEmbedding (Join-Path $dir 'fortran.npy'))[2].Vector | Should -Be ([float[]](0.8, 0.9, 1.0, 1.1))
        (Import-FaceEmbedding (Join-Path $dir 'v2.npy')).Vector | Should -Be ([float[]](0, 0.1, 0.2, 0.3))
        $r = Import-FaceEmbedding (Join-Path $dir 'int.npy') -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Get-ErrorId $ev[0] | Should -Be 'NpyUnreadable'
        $ev[0].Exception.Message | Should -Match "'<i8' is not supported"
    }

    It 'imports every good file of a glob and gives one NpyUnreadable error, naming the file, per malformed one' {
        $dir = Join-Path $Work 'npy-glob/alice'
        $bad = @(Write-MalformedNpys $dir)
        $good = foreach ($i in 1..3) { $f = Join-Path $dir "good$i.npy"; Write-TestNpy $f ([float[]](0.6, 0.8 * $i)); $f }
        $r = Import-FaceEmbedding (Join-Path $dir '*.npy') -Model m -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 3
        ($r.NpyPath | Sort-Object) | Should -Be ($good | Sort-Object)
        $ev.Count | Should -Be $bad.Count -Because 'one error per malformed file, and the glob goes on'
        foreach ($e in $ev) {
            Get-ErrorId $e | Should -Be 'NpyUnreadable'
            $e.TargetObject | Should -BeIn $bad
            $e.Exception.Message | Should -BeLike "*$(Split-Path $e.TargetObject -Leaf)*"
            $e.Exception | Should -BeOfType [FaceEval.FaceEvalException]
        }
        @($ev.TargetObject | Sort-Object -Unique).Count | Should -Be $bad.Count
        # The same through the pipeline, as Get-ChildItem gives them.
        $piped = Get-ChildItem $dir -Filter *.npy | Import-FaceEmbedding -Model m -ErrorVariable ev2 -ErrorAction SilentlyContinue
        @($piped).Count | Should -Be 3
        $ev2.Count | Should -Be $bad.Count
    }

    It 'refuses a vector with a NaN or infinite value, naming the file, and reads a file of no numbers as a failure to enrol' {
        $dir = Join-Path $Work 'npy-values/carol'
        New-Item -ItemType Directory -Force $dir | Out-Null
        Write-TestNpy (Join-Path $dir 'nan.npy') ([float[]](0.6, [float]::NaN))
        Write-TestNpy (Join-Path $dir 'inf.npy') ([float[]]([float]::PositiveInfinity, 0))
        Write-TestNpy (Join-Path $dir 'good.npy') ([float[]](0.6, 0.8))
        Write-TestNpy (Join-Path $dir 'noface.npy') ([float[]]@())
        $r = Import-FaceEmbedding (Join-Path $dir '*.npy') -Model m -ErrorVariable ev -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 2
        $ev.Count | Should -Be 2
        foreach ($e in $ev) { Get-ErrorId $e | Should -Be 'NpyUnreadable' }
        ($ev | Where-Object TargetObject -like '*nan.npy').Exception.Message | Should -Match 'nan\.npy.*NaN'
        ($ev | Where-Object TargetObject -like '*inf.npy').Exception.Message | Should -Match 'inf\.npy.*infinite'
        $noFace = $r | Where-Object { $_.NpyPath -like '*noface.npy' }
        $noFace.Dimension | Should -Be 0 -Because 'an empty vector is a failure to enrol, as the service answers an image without a face'
        # Measured as a failure to enrol, as Invoke-FaceEmbedding -IncludeFailureToEnrol would give it.
        $set = @($noFace) + @(foreach ($who in 'a', 'a', 'b', 'b') { [FaceEval.FaceEmbedding]@{ SourcePath = "$who$(Get-Random).png"; Model = 'm'; Vector = [float[]](0.6, 0.8); Identity = $who } })
        $noFace.Identity = 'a'
        ($set | Measure-FaceVerification -FoldCount 0 -WarningAction SilentlyContinue).FailureToEnrol | Should -Be 1
    }

    It 'takes the identity from the folder of each image unless the input names one (-IdentityFrom)' {
        $people = foreach ($who in 'ann', 'ben') {
            $dir = Join-Path $Work "people/$who"
            New-Item -ItemType Directory -Force $dir | Out-Null
            foreach ($k in 1..2) { New-GradientImage (Join-Path $dir "$k.png") 48 56 -Seed ($k + 10 * $who.Length + [int][char]$who[0]) }
        }
        $files = Get-ChildItem (Join-Path $Work 'people') -Recurse -Filter *.png | Sort-Object FullName
        # The first natural pipeline: files in one folder per person, no Identity anywhere.
        $auto = $files | Get-FaceCrop -BoundingBox 2, 2, 40, 40 | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url
        $auto.Identity | Should -Be 'ann', 'ann', 'ben', 'ben'
        $result = $auto | Measure-FaceVerification -FoldCount 0
        $result.GenuinePairs, $result.ImpostorPairs | Should -Be 2, 4
        # A label on the input wins under Auto; Folder and None say otherwise.
        $labelled = $files | Select-Object FullName, @{ n = 'Identity'; e = { 'x-' + $_.BaseName } } | Get-FaceCrop -BoundingBox 2, 2, 40, 40
        ($labelled | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url).Identity | Should -Be 'x-1', 'x-2', 'x-1', 'x-2'
        ($labelled | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -IdentityFrom Folder).Identity | Should -Be 'ann', 'ann', 'ben', 'ben'
        @(($files | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -IdentityFrom None).Identity | Where-Object { $_ }).Count | Should -Be 0
        ($files | Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -IdentityFrom Property).Identity | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'names $env:FACEEVAL_SERVER_URL when no endpoint is given, and explains -Model at the prompt' {
        Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore
        $e = { Invoke-FaceEmbedding -Model dingo -Path $Faces[0] } | Should -Throw -ErrorId 'ServerUrlRequired,*' -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape('$env:FACEEVAL_SERVER_URL'))
        $model = (Get-Command Invoke-FaceEmbedding).Parameters['Model'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $model.HelpMessage | Should -Match 'model name'
    }

    It 'writes and sends nothing with -WhatIf' {
        $out = Join-Path $Work 'whatif-out'
        $before = (Get-Recorded).Count
        $said = Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $Faces -OutputDirectory $out -WhatIf 6>&1 | Out-String
        Test-Path $out | Should -BeFalse -Because 'not even the folder or its manifest'
        ((Get-Recorded).Count - $before) | Should -Be 0
        # Nothing is sent, so no endpoint is needed to see what would be.
        $saved = $env:FACEEVAL_SERVER_URL
        Remove-Item Env:FACEEVAL_SERVER_URL -ErrorAction Ignore
        try {
            { Invoke-FaceEmbedding -Model dingo -Path $Faces -OutputDirectory $out -WhatIf -ErrorAction Stop } | Should -Not -Throw
            { Invoke-FaceEmbedding -Model dingo -Path $Faces -OutputDirectory $out -ErrorAction Stop } | Should -Throw -ErrorId 'ServerUrlRequired,*'
        } finally {
            if ($saved) { $env:FACEEVAL_SERVER_URL = $saved }
        }
        Test-Path $out | Should -BeFalse
    }

    It 'warns once, with a count, about inputs that are not PNG, and re-encodes them' {
        $jpegs = foreach ($i in 1..3) {
            $p = Join-Path $Work "photo$i.jpg"
            [OpenCvSharp.Cv2]::ImWrite($p, [OpenCvSharp.Cv2]::ImRead($Faces[$i])) | Out-Null
            $p
        }
        $before = (Get-Recorded).Count
        $out = Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $jpegs -WarningVariable wv -WarningAction SilentlyContinue
        $out.Count | Should -Be 3
        $wv.Count | Should -Be 1
        $wv[0].Message | Should -Match '^3 input\(s\) were not PNG'
        (Get-Recorded)[$before].imageSha256 | Should -Not -Be (Get-Sha ([IO.File]::ReadAllBytes($jpegs[0])))
        $asIs = Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $jpegs[0] -SendAsIs -WarningAction SilentlyContinue
        $asIs.Count | Should -Be 1
        (Get-Recorded)[-1].imageSha256 | Should -Be (Get-Sha ([IO.File]::ReadAllBytes($jpegs[0])))
    }

    It 'stops at once with one terminating error when the model is rejected' {
        $before = (Get-Recorded).Count
        $many = 1..40 | ForEach-Object { $Faces[$_ % 6] }
        # The first refused image may be reported on its own (RequestRejected) before a second one shows that the
        # model itself is refused: which of two concurrent answers is read first decides it, so per-item errors are silenced.
        { Invoke-FaceEmbedding -Model buffalo -ServerUrl $Url -Path $many -ThrottleLimit 2 -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ModelRejected,*'
        ((Get-Recorded).Count - $before) | Should -BeLessThan 12 -Because 'the run stops instead of failing 40 items one by one'
    }

    It 'stops with one error naming what to check when nothing listens at the endpoint, or its path is wrong' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $deadPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $many = 1..20 | ForEach-Object { $Faces[$_ % 6] }
        foreach ($limit in 1, 4) {
            $errors = @()
            $e = { Invoke-FaceEmbedding -Model dingo -ServerUrl "http://127.0.0.1:$deadPort/extract" -Path $many -ThrottleLimit $limit -ErrorVariable +errors -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'EndpointUnreachable,*' -PassThru
            $e.Exception.Message | Should -Match 'running'
            $e.Exception.Message | Should -Not -Match $deadPort -Because 'the endpoint stays confidential'
            @($errors | Where-Object { $_.FullyQualifiedErrorId -notlike 'EndpointUnreachable*' }).Count | Should -Be 0 -Because 'one error for the run, not one per item'
        }
        $wrongPath = $Url -replace '/extract$', '/v2/features'
        $before = (Get-Recorded).Count
        $e = { Invoke-FaceEmbedding -Model dingo -ServerUrl $wrongPath -Path $many -ThrottleLimit 1 } | Should -Throw -ErrorId 'EndpointRejected,*' -PassThru
        $e.Exception.Message | Should -Match 'path'
        ((Get-Recorded).Count - $before) | Should -Be 0 -Because 'nothing reached the real endpoint'
    }

    It 'says that a local server of the session has exited instead of failing item by item' {
        $gone = Start-FaceEvalServer -Model dingo=lbp -NoDetector
        Stop-Process -Id $gone.ProcessId -Force   # it dies by itself, as a server hit by the console's Ctrl+C did
        $deadline = [datetime]::UtcNow.AddMinutes(1)   # a hang guard
        while (-not $gone.HasExited -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $e = { Invoke-FaceEmbedding -Model dingo -ServerUrl $gone.Url -Path $Faces -ThrottleLimit 4 } | Should -Throw -ErrorId 'EndpointUnreachable,*' -PassThru
        $e.Exception.Message | Should -Match 'has exited'
        Stop-FaceEvalServer $gone
    }

    It 'fails an item the server refuses (4xx) without retrying, and goes on' {
        $bad = Join-Path $Work 'garbage.png'
        [IO.File]::WriteAllBytes($bad, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A) + [byte[]](1..50))
        $before = (Get-Recorded).Count
        $out = Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $bad, $Faces[0] -ErrorVariable ev -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        Get-ErrorId $ev[0] | Should -Be 'RequestRejected'
        $ev[0].TargetObject | Should -Be $bad
        ((Get-Recorded).Count - $before) | Should -Be 2 -Because 'a 400 is not retried'
    }

    It 'writes nothing and sends nothing with -WhatIf' {
        $before = (Get-Recorded).Count
        Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $Faces -OutputDirectory (Join-Path $Work 'whatif') -WhatIf | Should -BeNullOrEmpty
        (Get-Recorded).Count | Should -Be $before
        Test-Path (Join-Path $Work 'whatif/face0001.npy') | Should -BeFalse
    }

    It 'completes -Model from the configured list and the running servers only, without validating it' {
        $line = 'Invoke-FaceEmbedding -Model '
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        foreach ($m in 'dingo', 'eagle') { $names | Should -Contain $m -Because 'the suite''s server serves them' }
        $names | Should -Not -Contain 'buffalo' -Because 'nothing serves it'
        $extra = Start-FaceEvalServer -Model hawk=lbp -NoDetector
        try {
            (TabExpansion2 -inputScript ($line + 'ha') -cursorColumn ($line.Length + 2)).CompletionMatches.CompletionText | Should -Be 'hawk'
        } finally {
            Stop-FaceEvalServer $extra
        }
        $env:FACEEVAL_MODELS = 'owl, lynx'
        try {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'lynx'
        } finally {
            Remove-Item Env:FACEEVAL_MODELS
        }
    }

    It 'needs an endpoint' {
        { Invoke-FaceEmbedding -Model dingo -Path $Faces[0] } | Should -Throw -ErrorId 'ServerUrlRequired,*'
    }

    It 'records a failure to enrol when the server finds no face' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $detecting = Start-FaceEvalServer -Model dingo=lbp -DetectorModel $YuNet
        try {
            $blank = Join-Path $Work 'blank.png'
            [OpenCvSharp.Cv2]::ImWrite($blank, [OpenCvSharp.Mat]::new(150, 150, [OpenCvSharp.MatType]::CV_8UC3, [OpenCvSharp.Scalar]::All(128))) | Out-Null
            $face = Join-Path $Orl 's1/1.pgm'
            $out = Invoke-FaceEmbedding -Model dingo -ServerUrl $detecting.Url -Path $blank, $face -OutputDirectory (Join-Path $Work 'fte') -ErrorVariable ev -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($out).Count | Should -Be 1
            Get-ErrorId $ev[0] | Should -Be 'NoFaceDetected'
            $ev[0].TargetObject | Should -Be $blank
            $rows = Get-Content (Join-Path $Work 'fte/manifest.jsonl') | ConvertFrom-Json
            ($rows | Where-Object source -eq $blank).status | Should -Be 'no_face'
            ($rows | Where-Object source -eq $face).status | Should -Be 'ok'

            # With -IncludeFailureToEnrol the failure also comes out as an embedding without a vector, which
            # Measure-FaceVerification counts and scores as rejections.
            $items = @(
                [pscustomobject]@{ Path = $blank; Identity = 's1' }
                foreach ($k in 1..3) { [pscustomobject]@{ Path = (Join-Path $Orl "s1/$k.pgm"); Identity = 's1' } }
                foreach ($k in 4..6) { [pscustomobject]@{ Path = (Join-Path $Orl "s2/$k.pgm"); Identity = 's2' } } # file names differ from s1's
            )
            $all = @($items | Invoke-FaceEmbedding -Model dingo -ServerUrl $detecting.Url -OutputDirectory (Join-Path $Work 'fte2') -IncludeFailureToEnrol -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $all.Count | Should -Be 7
            $failure = $all | Where-Object { $_.Vector.Length -eq 0 }
            @($failure).Count | Should -Be 1
            $failure.Identity | Should -Be 's1'
            $failure.SourcePath | Should -Be $blank
            $result = $all | Measure-FaceVerification -Folds 0
            $result.FailureToEnrol | Should -Be 1
            $result.GenuinePairs | Should -Be (3 + 3 + 3) -Because 's1 has 4 inputs (6 pairs, 3 with the failure), s2 has 3'
            $result.ImpostorPairs | Should -Be (4 * 3)
            ($all | Measure-FaceVerification -Folds 0 -FailureToEnrol Exclude).GenuinePairs | Should -Be 6
        } finally {
            Stop-FaceEvalServer $detecting
        }
    }
}

Describe 'Invoke-FaceEmbedding in a long run' {
    It 'cancels the requests in flight on Ctrl+C (StopProcessing) instead of waiting for their answers' {
        # Every answer takes ten minutes: a client that waited for its requests could not stop before then.
        $slow = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs 600000
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; Invoke-FaceEmbedding -Model dingo -ServerUrl '$($slow.Url)' -Path '$($Faces -join "','")' -ThrottleLimit 4 -Verbose")
            $async = $ps.BeginInvoke()
            # The run announces itself just before its first requests go out.
            $deadline = [datetime]::UtcNow.AddMinutes(2)
            while (-not ($ps.Streams.Verbose | Where-Object Message -like 'Embedding with model*') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @($ps.Streams.Verbose | Where-Object Message -like 'Embedding with model*').Count | Should -Be 1
            Start-Sleep -Milliseconds 500
            $stop = $ps.BeginStop($null, $null)
            # A hang guard far below the ten-minute answers, not a speed target.
            $stop.AsyncWaitHandle.WaitOne([timespan]::FromMinutes(2)) | Should -BeTrue -Because 'the requests in flight are cancelled, not waited for'
            $ps.EndStop($stop)
            $async.IsCompleted | Should -BeTrue
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Get-Process -Id $slow.ProcessId | Should -Not -BeNullOrEmpty -Because 'stopping the client leaves the server running'
        } finally {
            $ps.Dispose()
            Stop-FaceEvalServer $slow
        }
    }

    It 'reports progress with the rate and, for known input, the time left' {
        $ps = [powershell]::Create()
        try {
            $many = 1..60 | ForEach-Object { $Faces[$_ % 6] }
            $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; Invoke-FaceEmbedding -Model dingo -ServerUrl '$Url' -Path '$($many -join "','")' -ThrottleLimit 1 -RequestsPerSecond 40 | Measure-Object | ForEach-Object Count")
            $ps.Invoke() | Should -Be 60
            $records = @($ps.Streams.Progress | Where-Object Activity -eq "Embedding with model 'dingo'")
            $running = @($records | Where-Object RecordType -eq 'Processing')
            $running.Count | Should -BeGreaterThan 0
            $running[-1].StatusDescription | Should -Match '^\d+ of 60: \d+ embedded \(0 resumed\), 0 failed, [\d.]+/s, about \d\d:\d\d:\d\d left$'
            $running[-1].PercentComplete | Should -BeGreaterThan 0
            $records[-1].RecordType | Should -Be 'Completed'
        } finally {
            $ps.Dispose()
        }
    }
}

Describe 'Invoke-FaceEmbedding confidentiality' {
    It 'never shows the endpoint in output, streams, errors or the manifest' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $deadPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $dead = "http://127.0.0.1:$deadPort/secret-path/extract"
        $out = Join-Path $Work 'redaction'
        $env:FACEEVAL_SERVER_URL = $Url
        try {
            $all = & {
                $ErrorActionPreference = 'Continue'
                Invoke-FaceEmbedding -Model dingo -Path $Faces[0], (Join-Path $Work 'garbage.png') -OutputDirectory $out -Verbose -Debug
                try { Invoke-FaceEmbedding -Model buffalo -Path $Faces[0] -Verbose } catch { $_ }
                Invoke-FaceEmbedding -Model dingo -ServerUrl $dead -Path $Faces[1] -OutputDirectory $out -MaximumRetryCount 1 -Verbose
                try { Invoke-FaceEmbedding -Model dingo -ServerUrl 'not a url' -Path $Faces[1] } catch { $_ }
            } *>&1
        } finally {
            Remove-Item Env:FACEEVAL_SERVER_URL
        }
        $text = ($all | ForEach-Object {
            $_ | Format-List * -Force | Out-String
            if ($_ -is [System.Management.Automation.ErrorRecord]) {
                for ($e = $_.Exception; $e; $e = $e.InnerException) { $e.Message; $e.ToString() }
                $_.TargetObject | Out-String
            }
        }) -join "`n"
        $text += Get-Content -Raw (Join-Path $out 'manifest.jsonl')
        $text | Should -Match 'endpoint-[0-9a-f]{8}' -Because 'the redacted form is what is shown'
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterOrEqual 3
        foreach ($secret in $Url, $dead, '127.0.0.1', 'secret-path', ([uri]$Url).Authority) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}

Describe 'Invoke-FaceEmbedding against servers that echo the request, redirect or refuse images' {
    BeforeAll {
        # A raw HTTP server on 127.0.0.1 that answers from templates ({target}: the request-target as received,
        # {decoded}, {html}, {json}, {url}): the same helper the engine's tests use.
        if (-not ('FaceEval.Core.Tests.FakeEndpoint' -as [type])) { Add-Type -Path (Join-Path $PSScriptRoot '../FaceEval.Core.Tests/FakeEndpoint.cs') }
        $script:Fakes = [System.Collections.Generic.List[object]]::new()
        function Start-Fake([int] $Status, [string] $Reason, [string] $ContentType, [string] $Body, [string[]] $Headers = @()) {
            $fake = [FaceEval.Core.Tests.FakeEndpoint]::Template($Status, $Reason, $(if ($ContentType) { $ContentType } else { $null }), $Body, $Headers)
            $Fakes.Add($fake)
            $fake
        }
        # Everything a run leaves in the session: every record formatted in full and, for errors, the exception
        # chain, TargetObject, CategoryInfo and ErrorDetails.
        function Get-AllText([object[]] $Records) {
            ($Records | ForEach-Object {
                $_ | Format-List * -Force | Out-String
                if ($_ -is [System.Management.Automation.ErrorRecord]) {
                    for ($x = $_.Exception; $x; $x = $x.InnerException) { $x.Message; $x.ToString() }
                    $_.TargetObject | Out-String
                    $_.CategoryInfo.ToString(); $_.CategoryInfo.TargetName; $_.CategoryInfo.Reason; $_.CategoryInfo.Activity
                    if ($_.ErrorDetails) { $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction }
                } elseif ($_ -is [System.Management.Automation.InformationalRecord]) { $_.Message }
            }) -join "`n"
        }
    }

    AfterAll {
        foreach ($fake in $Fakes) { $fake.Dispose() }
    }

    It 'keeps <Name> out of errors, verbose and debug text and the manifest, whatever the server echoes' -TestCases @(
        @{ Name = 'a path token'; PathAndQuery = '/s3cr3t-token/extract'; UserInfo = $null; Secrets = @('s3cr3t') }
        @{ Name = 'a query token'; PathAndQuery = '/extract?key=Qz7SecretKey99&tenant=acme-blue'; UserInfo = $null; Secrets = @('Qz7SecretKey99', 'acme-blue') }
        @{ Name = 'user-info'; PathAndQuery = '/extract'; UserInfo = 'svc-robot:pa55-w0rd'; Secrets = @('svc-robot', 'pa55-w0rd') }
        @{ Name = 'a percent-encoded path and query'; PathAndQuery = '/t%C3%B6ken%20geheim/extract?sig=x%26y-Tok3n'; UserInfo = $null; Secrets = @('geheim', 'ken%20', 'Tok3n', 'x%26y') }
    ) {
        $echoes = @(
            @{ Status = 404; Reason = 'Not Found'; ContentType = 'text/html; charset=utf-8'; Body = '<!DOCTYPE html><html><head><title>Error</title></head><body><pre>Cannot POST {target}</pre></body></html>' }
            @{ Status = 400; Reason = 'Bad Request'; ContentType = 'text/html'; Body = '<html><body><p>No route for POST {html}</p></body></html>' }
            @{ Status = 500; Reason = 'Upstream failed for POST {target}'; ContentType = $null; Body = '' }
            @{ Status = 502; Reason = 'Bad Gateway'; ContentType = 'application/json; charset=bogus'; Body = '{"error": "could not reach {url} ({decoded})"}' }
            @{ Status = 422; Reason = 'Unprocessable'; ContentType = 'application/json'; Body = '{"detail": "no handler for {json}"}' }
            @{ Status = 200; Reason = 'OK'; ContentType = 'application/json'; Body = '{"model_name": "{url}", "feature": [0.6, 0.8]}' }
        )
        $forbidden = [System.Collections.Generic.List[string]]::new()
        foreach ($s in $Secrets) { $forbidden.Add([regex]::Escape($s)) }
        $forbidden.Add([regex]::Escape('127.0.0.1'))
        $text = foreach ($echo in $echoes) {
            $fake = Start-Fake @echo
            $forbidden.Add("(?<![0-9a-f])$($fake.Port)(?![0-9a-f])")
            $url = $fake.Url($PathAndQuery, $UserInfo).OriginalString
            $out = Join-Path $Work ('echo-' + [guid]::NewGuid().ToString('N'))
            $records = & {
                $ErrorActionPreference = 'Continue'
                try { Invoke-FaceEmbedding -Model dingo -ServerUrl $url -Path $Faces[0], $Faces[1] -OutputDirectory $out -MaximumRetryCount 0 -Verbose -Debug } catch { $_ }
            } *>&1
            $fake.Received.Count | Should -BeGreaterThan 0
            @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -BeGreaterThan 0 -Because "the answer $($echo.Status) is an error"
            Get-AllText $records
            Get-Content -Raw (Join-Path $out 'manifest.jsonl') -ErrorAction Ignore
        }
        $text = $text -join "`n"
        $text | Should -Match 'endpoint-[0-9a-f]{8}' -Because 'the redacted form is what is shown'
        $text | Should -Match 'Cannot POST' -Because 'what the server said around the URL is kept'
        foreach ($pattern in $forbidden) { $text | Should -Not -Match $pattern }
    }

    It 'never follows a <Status> redirect: the image goes nowhere else, and the run stops with EndpointRedirected' -TestCases @(
        @{ Status = 301 }, @{ Status = 302 }, @{ Status = 303 }, @{ Status = 307 }, @{ Status = 308 }
    ) {
        $elsewhere = [FaceEval.Core.Tests.FakeEndpoint]::Vectors()
        $Fakes.Add($elsewhere)
        $fake = Start-Fake $Status 'Moved' $null '' @("Location: $($elsewhere.Url('/extract', $null).AbsoluteUri)")
        $url = $fake.Url('/s3cr3t/extract', $null).OriginalString
        $e = { Invoke-FaceEmbedding -Model dingo -ServerUrl $url -Path $Faces -ThrottleLimit 1 } | Should -Throw -ErrorId 'EndpointRedirected,*' -PassThru
        $elsewhere.Received.Count | Should -Be 0 -Because 'no image is sent anywhere but the configured endpoint'
        $fake.Received.Count | Should -Be 1 -Because 'every item would be redirected the same way: the run stops'
        $e.Exception.Message | Should -Match 'redirect'
        $e.Exception.Message | Should -Not -Match "127\.0\.0\.1|s3cr3t|$($fake.Port)|$($elsewhere.Port)"
    }

    It 'fails only the images the server refuses ("rejected"), in this run and the next, and goes on' {
        $fake = [FaceEval.Core.Tests.FakeEndpoint]::RejectingImages('face0001', 400, '{"error": "Image rejected: face too small"}')
        $Fakes.Add($fake)
        $url = $fake.Url('/extract', $null).OriginalString
        $out = Join-Path $Work 'refused-images'
        foreach ($run in 1, 2) {
            $embedded = Invoke-FaceEmbedding -Model dingo -ServerUrl $url -Path $Faces -OutputDirectory $out -ThrottleLimit 1 -ErrorVariable ev -ErrorAction SilentlyContinue
            @($embedded).Count | Should -Be 5
            $ev.Count | Should -Be 1
            Get-ErrorId $ev[0] | Should -Be 'RequestRejected'
            $ev[0].TargetObject | Should -Be $Faces[0]
            $ev[0].Exception.Message | Should -Match 'face too small'
        }
        # Every item was tried in both runs; the second sent only the refused one again.
        $fake.Received.Count | Should -Be 7
        $rows = Get-Content (Join-Path $out 'manifest.jsonl') | ConvertFrom-Json
        @($rows | Where-Object status -eq 'error').attempts | Should -Be 1, 1
    }

    It 'names only its own parameters in what it says about an image over the pixel limit, and in every message of its engine' {
        $own = (Get-Command Invoke-FaceEmbedding).Parameters.Keys
        # A JPEG whose header declares 20000 x 20000 pixels: refused from the header, before any decoding.
        $big = Join-Path $Work 'huge.jpg'
        [OpenCvSharp.Cv2]::ImWrite($big, [OpenCvSharp.Mat]::new(8, 8, [OpenCvSharp.MatType]::CV_8UC3, [OpenCvSharp.Scalar]::All(90))) | Should -BeTrue
        $jpeg = [IO.File]::ReadAllBytes($big)
        $sof = 2
        while (-not ($jpeg[$sof] -eq 0xFF -and $jpeg[$sof + 1] -eq 0xC0)) { $sof++ }
        $jpeg[$sof + 5] = 0x4E; $jpeg[$sof + 6] = 0x20; $jpeg[$sof + 7] = 0x4E; $jpeg[$sof + 8] = 0x20
        [IO.File]::WriteAllBytes($big, $jpeg)
        $r = Invoke-FaceEmbedding -Model dingo -ServerUrl $Url -Path $big -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Get-ErrorId $ev[0] | Should -Be 'ImageTooLarge'
        $named = [regex]::Matches($ev[0].Exception.Message, '(?<![\w-])-([A-Z][A-Za-z]+)') | ForEach-Object { $_.Groups[1].Value }
        @($named).Count | Should -BeGreaterThan 0 -Because 'the message says what to do'
        foreach ($p in $named) { $own | Should -Contain $p }

        # Every parameter named in a string of the engine that Invoke-FaceEmbedding runs (the client, the runner,
        # the decoder and the files it writes) is one of Invoke-FaceEmbedding's.
        $core = Join-Path $PSScriptRoot '../../src/FaceEval.Core'
        $sources = @(Get-ChildItem (Join-Path $core 'Service') -Filter *.cs) + @(Get-Item (Join-Path $core 'Imaging/ImageDecoder.cs'), (Join-Path $core 'IO/NpyFile.cs'), (Join-Path $core 'IO/OutputNaming.cs'))
        foreach ($file in $sources) {
            foreach ($literal in [regex]::Matches((Get-Content -Raw $file.FullName), '"(?:[^"\\\r\n]|\\.)*"')) {
                foreach ($m in [regex]::Matches($literal.Value, '(?<![\w\\-])-([A-Z][A-Za-z]+)')) {
                    $own | Should -Contain $m.Groups[1].Value -Because "$($file.Name) says $($literal.Value)"
                }
            }
        }
    }
}

Describe 'Invoke-FaceEmbedding resume after a killed run' {
    It 'finishes only what is missing: one valid .npy per crop, no request for finished items' {
        $faces = New-Faces (Join-Path $Work 'resume-faces') 300 -Offset 7
        $out = Join-Path $Work 'resume-out'
        $slow = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs 40 -RecordRequests
        $recorded = $slow.Url -replace '/extract$', '/__faceeval/requests'
        try {
            $script = Join-Path $Work 'run.ps1'
            Set-Content $script @"
Import-Module '$env:FACEEVAL_MODULE'
Get-ChildItem '$(Join-Path $Work 'resume-faces')' -Filter *.png | Get-FaceCrop -BoundingBox 1,1,30,30 |
    Invoke-FaceEmbedding -Model dingo -ServerUrl '$($slow.Url)' -OutputDirectory '$out' -ThrottleLimit 2 | Out-Null
"@
            $child = Start-Process (Join-Path $PSHOME 'pwsh') -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru
            $manifest = Join-Path $out 'manifest.jsonl'
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (((Test-Path $manifest) -and @(Get-Content $manifest).Count -ge 100) -eq $false -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
            $finished = @(Get-Content $manifest | ForEach-Object { try { $_ | ConvertFrom-Json } catch { } } | Where-Object status -eq 'ok')
            $finished.Count | Should -BeGreaterOrEqual 100
            $finished.Count | Should -BeLessThan 300 -Because 'the run was killed part-way'
            $sentBefore = (Get-Recorded $recorded).Count

            $second = Get-ChildItem (Join-Path $Work 'resume-faces') -Filter *.png | Get-FaceCrop -BoundingBox 1, 1, 30, 30 |
                Invoke-FaceEmbedding -Model dingo -ServerUrl $slow.Url -OutputDirectory $out -ThrottleLimit 4
            $second.Count | Should -Be 300
            @($second | Where-Object Resumed).Count | Should -Be $finished.Count

            $all = Get-Recorded $recorded
            $resent = @($all | Select-Object -Skip $sentBefore)
            $resent.Count | Should -Be (300 - $finished.Count) -Because 'only the missing items are sent again'
            @($resent.imageSha256 | Where-Object { $_ -in $finished.crop_sha256 }).Count | Should -Be 0

            $npy = @(Get-ChildItem $out -Filter *.npy)
            $npy.Count | Should -Be 300
            @(Get-ChildItem $out -Force | Where-Object Name -like '*.tmp').Count | Should -Be 0
            foreach ($f in $npy) { (Import-FaceEmbedding -LiteralPath $f.FullName).Dimension | Should -Be 2891 }
            $ok = @(Get-Content $manifest | ForEach-Object { try { $_ | ConvertFrom-Json } catch { } } | Where-Object status -eq 'ok')
            $ok.Count | Should -Be 300
            @($ok.npy | Sort-Object -Unique).Count | Should -Be 300 -Because 'no item is recorded twice'
        } finally {
            Stop-FaceEvalServer $slow
        }
    }
}

Describe 'Invoke-FaceEmbedding under faults and a rate limit' {
    It 'embeds 1,000 items through 500s, dropped connections and 429s, none lost or duplicated, within the limit' {
        $faces = New-Faces (Join-Path $Work 'fault-faces') 1000 -Offset 3
        $rate = 40
        $flaky = Start-FaceEvalServer -Model dingo=lbp -NoDetector -RateLimit $rate -RateBurst $rate -FaultErrorRate 0.10 -FaultDropRate 0.02 -FaultSeed 7
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $out = @(Invoke-FaceEmbedding -Model dingo -ServerUrl $flaky.Url -Path $faces -OutputDirectory (Join-Path $Work 'fault-out') -ThrottleLimit 8 -MaximumRetryCount 10 -ErrorVariable ev -ErrorAction SilentlyContinue)
            $seconds = $watch.Elapsed.TotalSeconds
            $ev.Count | Should -Be 0
            $out.Count | Should -Be 1000
            @($out.SourcePath | Sort-Object -Unique).Count | Should -Be 1000
            $out.SourcePath | Should -Be $faces -Because 'output keeps input order'
            @(Get-ChildItem (Join-Path $Work 'fault-out') -Filter *.npy).Count | Should -Be 1000
            @($out | Where-Object Attempts -gt 1).Count | Should -BeGreaterThan 50 -Because 'faults and 429s were retried'

            # How much of the allowance the run uses is a benchmark (bench/Measure-RateLimitedRun.ps1, dated in
            # bench/README.md), not a test: here only bounds that a loaded machine cannot break.
            $throttled = ($out.Throttled | Measure-Object -Sum).Sum
            $admitted = ($out.Attempts | Measure-Object -Sum).Sum - $throttled
            $requestRate = $admitted / $seconds
            Write-Host ("    1,000 items in {0:N1} s: {1:N1} admitted requests/s against a limit of {2}/s; {3} answers were 429" -f $seconds, $requestRate, $rate, $throttled)
            $requestRate | Should -BeLessOrEqual (1.2 * $rate) -Because 'the server admits no more than its limit (with its burst)'
            $throttled | Should -BeLessThan $admitted -Because 'the client paces itself instead of hammering the limit'
        } finally {
            Stop-FaceEvalServer $flaky
        }
    }
}
