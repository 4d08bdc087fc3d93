BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder
    $script:Gradient = New-GradientImage (Join-Path $Work 'gradient.png') 120 90
    $script:GradientMat = [OpenCvSharp.Cv2]::ImRead($Gradient)
    Remove-Item Env:FACEEVAL_DETECTOR_MODEL -ErrorAction Ignore
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Module' {
    It 'exports Get-FaceCrop with help' {
        $cmd = Get-Command Get-FaceCrop -Module FaceEval
        $cmd.CommandType | Should -Be 'Cmdlet'
        $help = Get-Help Get-FaceCrop -Full
        $help.Synopsis | Should -Match 'lossless PNG'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($p in $help.Parameters.Parameter) {
            ($p.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.Name) needs a description"
        }
    }

    It 'fails Import-Module with a clear message when the native library is broken' {
        $copy = Join-Path $Work 'broken-module'
        Copy-Item (Split-Path $env:FACEEVAL_MODULE) $copy -Recurse
        $so = Get-ChildItem $copy -Recurse -Filter 'libOpenCvSharpExtern.so' | Select-Object -First 1
        [System.IO.File]::WriteAllText($so.FullName, 'not an ELF file')
        $out = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; Import-Module '$copy/FaceEval.psd1'; 'imported'" 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $out | Should -Not -Match 'imported'
        $out | Should -Match 'cannot load the native OpenCV library'
    }

    It 'fails Import-Module naming the file when the native library is missing' {
        $copy = Join-Path $Work 'missing-module'
        Copy-Item (Split-Path $env:FACEEVAL_MODULE) $copy -Recurse
        Get-ChildItem $copy -Recurse -Filter 'libOpenCvSharpExtern.so' | Remove-Item
        $out = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; Import-Module '$copy/FaceEval.psd1'; 'imported'" 2>&1 | Out-String
        $LASTEXITCODE | Should -Not -Be 0
        $out | Should -Not -Match 'imported'
        $out | Should -Match 'libOpenCvSharpExtern.so.*is missing'
    }
}

Describe 'Get-FaceCrop input binding' {
    BeforeAll {
        $script:Bind = Join-Path $Work 'bind'
        New-Item -ItemType Directory $Bind | Out-Null
        foreach ($n in 'a', 'b', 'c') { New-GradientImage (Join-Path $Bind "$n.png") 100 80 | Out-Null }
        New-GradientImage (Join-Path $Bind 'odd[1].png') 60 60 | Out-Null
    }

    It 'binds files from Get-ChildItem, one crop each, in order' {
        $crops = Get-ChildItem $Bind -Filter '?.png' | Sort-Object Name | Get-FaceCrop -BoundingBox 10, 10, 40, 40
        $crops.Count | Should -Be 3
        $crops.SourcePath | Should -Be @('a', 'b', 'c' | ForEach-Object { Join-Path $Bind "$_.png" })
        $crops[0].PSObject.Properties['Length'] | Should -BeNullOrEmpty -Because 'FileInfo properties are not labels to carry'
    }

    It 'expands wildcards in -Path' {
        (Get-FaceCrop -Path (Join-Path $Bind '[ab].png') -BoundingBox 0, 0, 10, 10).Count | Should -Be 2
    }

    It 'takes -LiteralPath as written' {
        $crop = Get-FaceCrop -LiteralPath (Join-Path $Bind 'odd[1].png') -BoundingBox 0, 0, 10, 10
        $crop.SourcePath | Should -Be (Join-Path $Bind 'odd[1].png')
    }

    It 'binds a CSV of boxes, several rows per image, and carries the other columns' {
        $csv = Join-Path $Work 'detections.csv'
        @(
            [pscustomobject]@{ Path = (Join-Path $Bind 'a.png'); X = 10; Y = 5; Width = 30; Height = 40; Identity = 'alice'; ConsentRef = 'C-1' }
            [pscustomobject]@{ Path = (Join-Path $Bind 'a.png'); X = 50; Y = 20; Width = 20; Height = 20; Identity = 'bob'; ConsentRef = 'C-2' }
            [pscustomobject]@{ Path = (Join-Path $Bind 'b.png'); X = 0; Y = 0; Width = 10.9; Height = 10.2; Identity = 'carol'; ConsentRef = 'C-3' }
        ) | Export-Csv $csv
        $crops = Import-Csv $csv | Get-FaceCrop
        $crops.Count | Should -Be 3
        $crops.FaceIndex | Should -Be 0, 1, 0
        $crops.Identity | Should -Be 'alice', 'bob', 'carol'
        $crops.ConsentRef | Should -Be 'C-1', 'C-2', 'C-3'
        $crops[0].Box.ToString() | Should -Be '10,5,30,40'
        $crops[1].CropBox.ToString() | Should -Be '48,18,24,24'
        $crops[2].Box.ToString() | Should -Be '0,0,10,10' -Because 'numbers from a CSV are truncated like int()'
        $crops[0].PSObject.Properties['X'] | Should -BeNullOrEmpty -Because 'box columns bind to parameters and are not copied'
    }

    It 'reads X1,Y1,X2,Y2 columns as corners' {
        $crop = [pscustomobject]@{ FullName = (Join-Path $Bind 'a.png'); X1 = 20.7; Y1 = 30.2; X2 = 70.9; Y2 = 60.5 } | Get-FaceCrop
        $crop.Box.ToString() | Should -Be '20,30,50,30'
    }

    It 'binds objects with typed numbers under Path or FullName (as a detector script emits them)' {
        # Typed doubles bind before any string conversion; the path must still come from the property.
        $a = [pscustomobject]@{ Path = (Join-Path $Bind 'a.png'); X = 10.5; Y = 5.5; Width = 30.0; Height = 40.0 } | Get-FaceCrop
        $b = [pscustomobject]@{ FullName = (Join-Path $Bind 'b.png'); X = 10.5; Y = 5.5; Width = 30.0; Height = 40.0 } | Get-FaceCrop
        $a.SourcePath | Should -Be (Join-Path $Bind 'a.png')
        $b.SourcePath | Should -Be (Join-Path $Bind 'b.png')
        $a.Box.ToString() | Should -Be '10,5,30,40'
    }

    It 'takes piped strings as -Path' {
        $crops = (Join-Path $Bind 'a.png'), (Join-Path $Bind '[bc].png') | Get-FaceCrop -BoundingBox 0, 0, 10, 10
        $crops.Count | Should -Be 3
    }

    It 'reports a piped object without a path and goes on' {
        $crops = [pscustomobject]@{ Name = 'no path here' }, (Join-Path $Bind 'a.png') | Get-FaceCrop -BoundingBox 0, 0, 10, 10 -ErrorVariable ev -ErrorAction SilentlyContinue
        @($crops).Count | Should -Be 1
        Get-ErrorId $ev[0] | Should -Be 'NoPathOnInput'
    }

    It 'asks for a path when there is no input at all' {
        { Get-FaceCrop -BoundingBox 0, 0, 10, 10 } | Should -Throw -ErrorId 'PathRequired,*'
    }

    It 'takes several faces in -BoundingBox, flat or nested' {
        $flat = Get-FaceCrop $Gradient -BoundingBox 10, 10, 20, 20, 60, 30, 20, 20
        $nested = Get-FaceCrop $Gradient -BoundingBox (10, 10, 20, 20), (60, 30, 20, 20)
        $flat.Count | Should -Be 2
        $flat.FaceIndex | Should -Be 0, 1
        $nested.Box.ToString() | Should -Be $flat.Box.ToString()
    }

    It 'reads -BoundingBox as corners with -BoxFormat XYXY' {
        $crop = Get-FaceCrop $Gradient -BoundingBox 20.7, 30.2, 70.9, 60.5 -BoxFormat XYXY
        $crop.Box.ToString() | Should -Be '20,30,50,30'
    }

    It 'rejects a -BoundingBox that is not groups of four' {
        $r = Get-FaceCrop $Gradient -BoundingBox 1, 2, 3 -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Get-ErrorId $ev[0] | Should -Be 'InvalidBoundingBox'
    }

    It 'reads box cells strictly: "<Cell>" in <Column> is <Outcome>' -TestCases @(
        # Issue #13, defect 21: PowerShell's own conversion read these silently as other numbers.
        @{ Cell = '1,5'; Column = 'X'; Outcome = 'refused' }
        @{ Cell = '0x10'; Column = 'Y'; Outcome = 'refused' }
        @{ Cell = '1_000'; Column = 'Width'; Outcome = 'refused' }
        @{ Cell = '$(1)'; Column = 'Height'; Outcome = 'refused' }
        @{ Cell = 'ten'; Column = 'X'; Outcome = 'refused' }
        @{ Cell = 'Infinity'; Column = 'X'; Outcome = 'refused' }
        @{ Cell = ''; Column = 'X'; Outcome = 'a partial box' }
        @{ Cell = ' 12.0 '; Column = 'X'; Outcome = 'read as 12' }
        @{ Cell = '1.2e1'; Column = 'X'; Outcome = 'read as 12' }
    ) {
        param($Cell, $Column, $Outcome)
        $row = [ordered]@{ Path = $Gradient; X = '12'; Y = '10'; Width = '30'; Height = '20' }
        $row[$Column] = $Cell
        $csv = Join-Path $Work 'cells.csv'
        [pscustomobject]$row | Export-Csv $csv
        $crops = @(Import-Csv $csv | Get-FaceCrop -ErrorVariable ev -ErrorAction SilentlyContinue)
        switch ($Outcome) {
            'refused' {
                $crops.Count | Should -Be 0
                $ev.Count | Should -Be 1
                "$($ev[0])" | Should -Match ([regex]::Escape("'$Cell'") + '|not a pixel coordinate|not a number')
            }
            'a partial box' {
                $crops.Count | Should -Be 0
                Get-ErrorId $ev[0] | Should -Be 'InvalidBoundingBox'
            }
            'read as 12' {
                $ev.Count | Should -Be 0
                $crops[0].Box.X | Should -Be 12
            }
        }
    }

    It 'reads -BoundingBox numbers strictly too' {
        { Get-FaceCrop $Gradient -BoundingBox '1,5', 2, 3, 4 -ErrorAction Stop } | Should -Throw "*'1,5'*not a number*"
        (Get-FaceCrop $Gradient -BoundingBox '10', 2, 30.5, 40).Box.Width | Should -Be 30
    }

    It 'crops a huge box with a large margin to the whole image instead of calling it outside (defect 22)' {
        $crop = Get-FaceCrop $Gradient -BoundingBox 0, 0, 536000000, 536000000 -ExpansionFactor 9 -MaxSide 0
        ($crop.CropBox.Width, $crop.CropBox.Height) | Should -Be 120, 90
    }

    It 'rejects an object with part of a box and goes on' {
        $in = @(
            [pscustomobject]@{ Path = (Join-Path $Bind 'a.png'); X = 1; Y = 1; Width = 10 }
            [pscustomobject]@{ Path = (Join-Path $Bind 'b.png'); X = 1; Y = 1; Width = 10; Height = 10 }
        )
        $crops = $in | Get-FaceCrop -ErrorVariable ev -ErrorAction SilentlyContinue
        $crops.SourcePath | Should -Be (Join-Path $Bind 'b.png')
        Get-ErrorId $ev[0] | Should -Be 'InvalidBoundingBox'
        $ev[0].TargetObject.Width | Should -Be 10
    }
}

Describe 'Get-FaceCrop output' {
    It 'keeps the PNG in memory with the margin region''s exact pixels' {
        $crop = Get-FaceCrop $Gradient -BoundingBox 30, 20, 40, 50
        $crop.Path | Should -BeNullOrEmpty
        $crop.CropBox.ToString() | Should -Be '26,15,48,60'
        ($crop.Width, $crop.Height, $crop.Scale) | Should -Be 48, 60, 1
        $expected = $GradientMat.SubMat([OpenCvSharp.Rect]::new(26, 15, 48, 60))
        Get-PixelDifference $crop.PngData $expected | Should -Be 0
    }

    It 'bounds the longest side with INTER_AREA, and -MaxSide 0 or $null disables it' {
        $bounded = Get-FaceCrop $Gradient -BoundingBox 0, 0, 120, 90 -ExpansionFactor 0 -MaxSide 64
        ($bounded.Width, $bounded.Height) | Should -Be 64, 48
        $area = [OpenCvSharp.Mat]::new()
        [OpenCvSharp.Cv2]::Resize($GradientMat, $area, [OpenCvSharp.Size]::new(64, 48), 0, 0, [OpenCvSharp.InterpolationFlags]::Area)
        Get-PixelDifference $bounded.PngData $area | Should -Be 0
        (Get-FaceCrop $Gradient -BoundingBox 0, 0, 120, 90 -ExpansionFactor 0 -MaxSide 0).Width | Should -Be 120
        (Get-FaceCrop $Gradient -BoundingBox 0, 0, 120, 90 -ExpansionFactor 0 -MaxSide $null).Width | Should -Be 120
    }

    It 'matches the guide''s Python + OpenCV helper pixel for pixel' {
        $python = '/usr/bin/python3'
        $hasCv2 = (Test-Path $python) -and $(& $python -c 'import cv2' 2>$null; $LASTEXITCODE -eq 0)
        if (-not $hasCv2) {
            Set-ItResult -Skipped -Because 'Python 3 with OpenCV (Debian python3-opencv) is needed for the reference helper'
            return
        }
        $big = Join-Path $Work 'reference.jpg'
        $m = [OpenCvSharp.Mat]::new()
        [OpenCvSharp.Cv2]::Resize($GradientMat, $m, [OpenCvSharp.Size]::new(461, 563), 0, 0, [OpenCvSharp.InterpolationFlags]::Cubic)
        [OpenCvSharp.Cv2]::ImWrite($big, $m) | Out-Null
        $boxes = '10,20,300,350', '0,0,461,563', '-30,-40,200,100', '400,500,100,100', '50,60,322,100', '7,9,33,35', '100,100,290,291'
        foreach ($maxSide in 256, 0, 100) {
            $out = New-Item -ItemType Directory -Force (Join-Path $Work "reference-$maxSide")
            & $python (Join-Path $PSScriptRoot 'reference/crop_reference.py') $big $out 0.2 $maxSide @boxes
            $LASTEXITCODE | Should -Be 0
            $crops = Get-FaceCrop -LiteralPath $big -BoundingBox ($boxes -join ',' -split ',' | ForEach-Object { [double]$_ }) -MaxSide $maxSide
            $crops.Count | Should -Be $boxes.Count
            foreach ($c in $crops) {
                Get-PixelDifference $c.PngData (Join-Path $out "$($c.FaceIndex).png") | Should -Be 0 -Because "box $($c.Box), MaxSide $maxSide"
            }
        }
    }

    It 'writes <stem>_<index>.png to -OutputDirectory and drops the in-memory copy' {
        $out = Join-Path $Work 'out-write'
        $crops = Get-FaceCrop $Gradient -BoundingBox (10, 10, 20, 20), (50, 30, 20, 20) -OutputDirectory $out
        $crops.Path | Should -Be (Join-Path $out 'gradient_0.png'), (Join-Path $out 'gradient_1.png')
        $crops | ForEach-Object { $_.PngData | Should -BeNullOrEmpty }
        Get-PixelDifference $crops[1].Path $GradientMat.SubMat([OpenCvSharp.Rect]::new(48, 28, 24, 24)) | Should -Be 0
        @(Get-ChildItem $out -Force).Name | Sort-Object | Should -Be 'faceeval-outputs.jsonl', 'gradient_0.png', 'gradient_1.png' -Because 'no temporary file is left behind'
        # The ledger names each crop with the SHA-256 of its file, for Remove-FaceEvalData.
        $ledger = Get-Content (Join-Path $out 'faceeval-outputs.jsonl') | ConvertFrom-Json
        $ledger.path | Should -Be 'gradient_0.png', 'gradient_1.png'
        $ledger.kind | Should -Be 'crop', 'crop'
        $ledger.sha256 | Should -Be ($crops.Path | ForEach-Object { (Get-FileHash -LiteralPath $_).Hash.ToLowerInvariant() })
    }

    It 'does not overwrite an existing crop without -Force' {
        $out = Join-Path $Work 'out-exists'
        New-Item -ItemType Directory $out | Out-Null
        Set-Content (Join-Path $out 'gradient_0.png') 'precious'
        $r = Get-FaceCrop $Gradient -BoundingBox 10, 10, 20, 20 -OutputDirectory $out -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Get-ErrorId $ev[0] | Should -Be 'OutputExists'
        $ev[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content (Join-Path $out 'gradient_0.png') | Should -Be 'precious'
        $forced = Get-FaceCrop $Gradient -BoundingBox 10, 10, 20, 20 -OutputDirectory $out -Force
        Get-PixelDifference $forced.Path $GradientMat.SubMat([OpenCvSharp.Rect]::new(8, 8, 24, 24)) | Should -Be 0
    }

    It 'resumes a re-run: identical crops are reused and passed on, a changed one needs -Force' {
        $out = Join-Path $Work 'out-rerun'
        $first = Get-FaceCrop $Gradient -BoundingBox (10, 10, 20, 20), (50, 30, 20, 20) -OutputDirectory $out
        $first.Resumed | Should -Be $false, $false
        $again = Get-FaceCrop $Gradient -BoundingBox (10, 10, 20, 20), (50, 30, 20, 20) -OutputDirectory $out -ErrorVariable ev
        $ev.Count | Should -Be 0
        $again.Count | Should -Be 2 -Because 'every crop goes down the pipeline, so a measure downstream sees all of them'
        $again.Resumed | Should -Be $true, $true
        $again.Path | Should -Be $first.Path
        # The same names from another box: the files hold something else.
        $changed = Get-FaceCrop $Gradient -BoundingBox (12, 10, 20, 20), (50, 30, 20, 20) -OutputDirectory $out -ErrorVariable ev2 -ErrorAction SilentlyContinue
        @($changed).Count | Should -Be 1
        $changed.Resumed | Should -BeTrue
        Get-ErrorId $ev2[0] | Should -Be 'OutputExists'
        $ev2[0].Exception.Message | Should -Match 'holds something else'
    }

    It 'writes nothing and outputs nothing with -WhatIf' {
        $out = Join-Path $Work 'out-whatif'
        $r = Get-FaceCrop $Gradient -BoundingBox 10, 10, 20, 20 -OutputDirectory $out -WhatIf
        $r | Should -BeNullOrEmpty
        Test-Path (Join-Path $out 'gradient_0.png') | Should -BeFalse
    }

    It 'keeps sub-folders with -PreserveStructure and refuses name collisions without it' {
        $tree = Join-Path $Work 'tree'
        foreach ($id in 'alice', 'bob') {
            New-Item -ItemType Directory (Join-Path $tree $id) -Force | Out-Null
            New-GradientImage (Join-Path $tree "$id/1.png") 50 50 | Out-Null
        }
        $kept = Get-ChildItem $tree -Recurse -File | Sort-Object FullName | Get-FaceCrop -BoundingBox 5, 5, 30, 30 -OutputDirectory (Join-Path $Work 'tree-out') -PreserveStructure -Root $tree
        $kept.Path | Should -Be (Join-Path $Work 'tree-out/alice/1_0.png'), (Join-Path $Work 'tree-out/bob/1_0.png')

        $flat = Get-ChildItem $tree -Recurse -File | Sort-Object FullName | Get-FaceCrop -BoundingBox 5, 5, 30, 30 -OutputDirectory (Join-Path $Work 'flat-out') -ErrorVariable ev -ErrorAction SilentlyContinue
        @($flat).Count | Should -Be 1
        Get-ErrorId $ev[0] | Should -Be 'OutputNameCollision'
        $ev[0].TargetObject | Should -Be (Join-Path $tree 'bob/1.png')
    }

    It 'keeps input order with -ThrottleLimit' {
        $many = Join-Path $Work 'many'
        New-Item -ItemType Directory $many | Out-Null
        $files = foreach ($i in 1..24) { New-GradientImage (Join-Path $many ('{0:D2}.png' -f $i)) (40 + 13 * $i) (30 + 7 * $i) }
        $crops = $files | Get-FaceCrop -BoundingBox 0, 0, 30, 20 -ThrottleLimit 4
        $crops.SourcePath | Should -Be $files
    }
}

Describe 'Get-FaceCrop bad input' {
    BeforeAll {
        $script:Bad = Join-Path $Work 'bad'
        New-Item -ItemType Directory $Bad | Out-Null
        $script:Good = New-GradientImage (Join-Path $Bad 'good.png') 80 80
        New-Item -ItemType File (Join-Path $Bad 'empty.jpg') | Out-Null
        Set-Content (Join-Path $Bad 'notes.jpg') 'this is text, not pixels'
        [OpenCvSharp.Cv2]::ImWrite((Join-Path $Bad 'whole.jpg.tmp.jpg'), $GradientMat) | Out-Null
        $jpeg = [System.IO.File]::ReadAllBytes((Join-Path $Bad 'whole.jpg.tmp.jpg'))
        Remove-Item (Join-Path $Bad 'whole.jpg.tmp.jpg')
        [System.IO.File]::WriteAllBytes((Join-Path $Bad 'truncated.jpg'), $jpeg[0..([int]($jpeg.Length / 3))])
        New-Item -ItemType Directory (Join-Path $Bad 'folder.jpg') | Out-Null
        # A PNG whose header claims 40000 x 40000 pixels: refused before any decoding.
        $bomb = [byte[]]::new(33)
        [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0x9C, 0x40, 0, 0, 0x9C, 0x40) | ForEach-Object -Begin { $i = 0 } -Process { $bomb[$i++] = $_ }
        [System.IO.File]::WriteAllBytes((Join-Path $Bad 'bomb.png'), $bomb)
    }

    It '<Name> gives a <ErrorId> error with the path as target, and the next image is still cropped' -TestCases @(
        @{ Name = 'missing.png'; ErrorId = 'FileNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 'empty.jpg'; ErrorId = 'EmptyFile'; Category = 'InvalidData' }
        @{ Name = 'notes.jpg'; ErrorId = 'NotAnImage'; Category = 'InvalidData' }
        @{ Name = 'truncated.jpg'; ErrorId = 'CorruptImage'; Category = 'InvalidData' }
        @{ Name = 'folder.jpg'; ErrorId = 'PathIsFolder'; Category = 'InvalidArgument' }
        @{ Name = 'bomb.png'; ErrorId = 'ImageTooLarge'; Category = 'LimitsExceeded' }
    ) {
        param($Name, $ErrorId, $Category)
        $path = Join-Path $Bad $Name
        $crops = $path, $Good | Get-FaceCrop -LiteralPath { $_ } -BoundingBox 10, 10, 30, 30 -ErrorVariable ev -ErrorAction SilentlyContinue
        @($crops).Count | Should -Be 1
        $crops.SourcePath | Should -Be $Good
        $ev.Count | Should -Be 1
        Get-ErrorId $ev[0] | Should -Be $ErrorId
        $ev[0].CategoryInfo.Category | Should -Be $Category
        $ev[0].TargetObject | Should -Be $path
    }

    It 'skips the folders that Get-ChildItem -Recurse passes along, quietly' {
        $tree = Join-Path $Work 'folders-tree'
        New-Item -ItemType Directory -Force (Join-Path $tree 'ann'), (Join-Path $tree 'ben') | Out-Null
        Copy-Item $Good (Join-Path $tree 'ann/1.png'); Copy-Item $Good (Join-Path $tree 'ben/1.png')
        $crops = Get-ChildItem $tree -Recurse | Get-FaceCrop -BoundingBox 10, 10, 30, 30 -ErrorVariable ev
        $ev.Count | Should -Be 0
        @($crops).Count | Should -Be 2
    }

    It 'applies -MaxPixels to a genuine image' {
        $r = Get-FaceCrop $Good -BoundingBox 1, 1, 5, 5 -MaxPixels 6399 -ErrorVariable ev -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Get-ErrorId $ev[0] | Should -Be 'ImageTooLarge'
        (Get-FaceCrop $Good -BoundingBox 1, 1, 5, 5 -MaxPixels 6400).Width | Should -Be 5
    }

    It '<Why> gives <ErrorId> for that box only' -TestCases @(
        @{ Why = 'a zero-width box'; Box = (10, 10, 0, 20); ErrorId = 'InvalidBoundingBox' }
        @{ Why = 'a negative-height box'; Box = (10, 10, 20, -5); ErrorId = 'InvalidBoundingBox' }
        @{ Why = 'a box right of the image'; Box = (200, 10, 20, 20); ErrorId = 'BoxOutsideImage' }
        @{ Why = 'a box above the image'; Box = (10, -100, 20, 20); ErrorId = 'BoxOutsideImage' }
    ) {
        param($Why, $Box, $ErrorId)
        $crops = Get-FaceCrop $Good -BoundingBox ($Box + @(5, 5, 10, 10)) -ErrorVariable ev -ErrorAction SilentlyContinue
        @($crops).Count | Should -Be 1
        $crops.FaceIndex | Should -Be 1
        Get-ErrorId $ev[0] | Should -Be $ErrorId
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $ev[0].TargetObject | Should -Be $Good
    }

    It 'finds faces with the YuNet model that ships with the module when no detector is named' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $crops = @(Get-FaceCrop (Join-Path $Orl 's1/1.pgm'), (Join-Path $Orl 's2/1.pgm'))
        $crops.Count | Should -Be 2
        $crops | ForEach-Object { $_.DetectorScore | Should -BeGreaterOrEqual 0.8 }
    }

    It 'says once what to pass when there is neither a box nor a detector (the bundled model removed)' {
        $module = New-ModuleCopy -Without 'Dependencies/models'
        $child = {
            param($Module, $Image)
            Import-Module $Module
            $errors = @()
            try { 1..5 | ForEach-Object { $Image } | Get-FaceCrop -ErrorVariable +errors -ErrorAction SilentlyContinue; 'no error' }
            catch { "id=$($_.FullyQualifiedErrorId)"; "message=$($_.Exception.Message)"; $errors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "per-image=$($_.FullyQualifiedErrorId)" } }
        }
        $text = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $child -args $module, $Good 2>&1 | Out-String
        $text | Should -Match 'id=DetectorModelMissing,'
        $text | Should -Match 'message=.*-BoundingBox.*-DetectorModel'
        $text | Should -Not -Match 'per-image=' -Because 'one error for the run, not one per image'
        [IO.Directory]::Delete((Split-Path (Split-Path $module)), $true)   # removes the links, never what they point to
    }

    It 'stops at once, with one quiet error, when the detector model is not YuNet' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $notYuNet = Join-Path $TestData 'models/dlib_resnet_face_recognition_v1_150.onnx'
        # In a session of its own: this test file loads a second OpenCvSharp, and OpenCV reports native errors to
        # whichever copy registered last.
        $script = "Import-Module '$env:FACEEVAL_MODULE'; try { 1..3 | ForEach-Object { '$Good' } | Get-FaceCrop -DetectorModel '$notYuNet' } catch { 'caught ' + `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $text = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
        $text | Should -Match 'caught DetectorFailed,'
        $text | Should -Match 'does not work as a YuNet face detector'
        ([regex]::Matches($text, 'does not work as a YuNet')).Count | Should -Be 1 -Because 'one error for the run, before any image'
        $text | Should -Not -Match 'ERROR:0@|getLayerShapesRecursively' -Because 'OpenCV''s own log lines stay out of the console'
    }

    It 'stops at once when the detector model does not exist' {
        { Get-FaceCrop $Good -DetectorModel (Join-Path $Bad 'nope.onnx') -ErrorAction Stop } | Should -Throw -ErrorId 'DetectorModelMissing,*'
    }

    It 'refuses devices, pipes and links to them without reading or waiting, and goes on (Get-FaceCrop and Invoke-FaceEmbedding)' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'devices and named pipes are Unix paths here'; return }
        $pipe = Join-Path $Work 'pipe.jpg'
        & mkfifo $pipe
        $link = Join-Path $Work 'zero.jpg'
        New-Item -ItemType SymbolicLink -Path $link -Target /dev/zero | Out-Null
        # A pipe would block the reader until a writer came: run in a job with a hang guard of minutes.
        $job = Start-ThreadJob {
            param($Module, $Paths, $Good)
            Import-Module $Module
            $crops = @($Paths + $Good | Get-FaceCrop -LiteralPath { $_ } -BoundingBox 1, 1, 10, 10 -ErrorVariable ev -ErrorAction SilentlyContinue)
            $sent = @(Invoke-FaceEmbedding -Model m -ServerUrl 'http://127.0.0.1:9/extract' -Path $Paths -ErrorVariable ev2 -ErrorAction SilentlyContinue 3>$null)
            [pscustomobject]@{ Crops = $crops.Count; Errors = @($ev | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }); ClientErrors = @($ev2 | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
        } -ArgumentList $env:FACEEVAL_MODULE, @('/dev/zero', '/dev/urandom', $pipe, $link), $Good
        $job | Wait-Job -Timeout 120 | Out-Null
        $job.State | Should -Be 'Completed' -Because 'nothing may wait on a pipe'
        $r = Receive-Job $job
        $r.Crops | Should -Be 1 -Because 'the good image after them is still cropped'
        $r.Errors | Should -Be 'EmptyFile', 'EmptyFile', 'EmptyFile', 'EmptyFile'
        $r.ClientErrors | Should -Be 'EmptyFile', 'EmptyFile', 'EmptyFile', 'EmptyFile'
        Remove-Job $job -Force
    }

    It 'refuses decompression bombs of any format before decoding them, and stays small doing it' {
        # Issue #13, defect 1: a JPEG with a stray byte before its frame header, claiming 30000 x 30000
        # (2.7 GB decoded); a PGM of 20000 x 20000 with no limit of the caller's (-MaxPixels 0), which
        # OpenCV's own ceiling must refuse. Run in a child pwsh so its peak memory is this run's alone.
        $bomb = New-JpegBomb (Join-Path $Work 'bomb.jpg')
        $pgm = Join-Path $Work 'bomb.pgm'
        [IO.File]::WriteAllBytes($pgm, [Text.Encoding]::ASCII.GetBytes("P5`n20000 20000`n255`n") + [byte[]]::new(16))
        $child = {
            param($Module, $Bomb, $Pgm)
            Import-Module $Module
            $before = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
            Get-FaceCrop $Bomb -BoundingBox 1, 1, 10, 10 -ErrorVariable a -ErrorAction SilentlyContinue | Out-Null
            Get-FaceCrop $Pgm -BoundingBox 1, 1, 10, 10 -MaxPixels 0 -ErrorVariable b -ErrorAction SilentlyContinue | Out-Null
            # The client re-encodes what is not PNG before sending it: the same bound applies (nothing is sent).
            Invoke-FaceEmbedding -Model m -ServerUrl 'http://127.0.0.1:9/extract' -Path $Bomb -ErrorVariable c -ErrorAction SilentlyContinue 3>$null | Out-Null
            $grew = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 - $before
            "jpeg=$($a[0].FullyQualifiedErrorId)|$($a[0].Exception.Message)"
            "pgm=$($b[0].FullyQualifiedErrorId)|$($b[0].Exception.Message)"
            "client=$($c[0].FullyQualifiedErrorId)"
            "grewMB=$([math]::Round($grew / 1MB))"
        }
        $text = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $child -args $env:FACEEVAL_MODULE, $bomb, $pgm 2>&1 | Out-String
        $text | Should -Match 'jpeg=ImageTooLarge,.*30000x30000.*-MaxPixels'
        $text | Should -Match 'pgm=ImageTooLarge,.*OPENCV_IO_MAX_IMAGE_PIXELS'
        $text | Should -Match 'client=ImageTooLarge,'
        [int]([regex]::Match($text, 'grewMB=(-?\d+)').Groups[1].Value) | Should -BeLessThan 300 -Because "decoding either would take gigabytes: $text"
    }

    It 'never stops the pipeline on a mix of bad files' {
        $all = Get-ChildItem $Bad | Get-FaceCrop -BoundingBox 10, 10, 30, 30 -ThrottleLimit 3 -ErrorVariable ev -ErrorAction SilentlyContinue
        $all.SourcePath | Should -Be $Good
        $ev.Count | Should -Be 4 -Because 'four bad files; the folder among them is skipped, not an error'
    }
}

Describe 'Get-FaceCrop with the YuNet detector on the ORL faces' {
    It 'finds exactly one face in each of the 400 images' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $images = Get-ChildItem $Orl -Recurse -Filter *.pgm
        $images.Count | Should -Be 400
        $crops = $images | Select-Object FullName, @{ n = 'Identity'; e = { $_.Directory.Name } } |
            Get-FaceCrop -DetectorModel $YuNet -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 0
        $crops.Count | Should -Be 400
        @($crops | Group-Object SourcePath | Where-Object Count -ne 1).Count | Should -Be 0
        ($crops | Group-Object Identity).Count | Should -Be 40
        ($crops.DetectorScore | Measure-Object -Minimum).Minimum | Should -BeGreaterOrEqual 0.8
        $crops | ForEach-Object { $_.Box.Width * $_.Box.Height } | Measure-Object -Minimum | ForEach-Object Minimum | Should -BeGreaterThan (30 * 30)
    }

    It 'reports progress on a long run and completes it' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:FACEEVAL_MODULE'; Get-ChildItem '$Orl' -Recurse -Filter *.pgm | Get-FaceCrop -DetectorModel '$YuNet' -ThrottleLimit 1 | Measure-Object | ForEach-Object Count")
            $count = $ps.Invoke()
            $count | Should -Be 400
            $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Cropping faces')
            @($records | Where-Object RecordType -eq 'Processing').Count | Should -BeGreaterThan 0
            $records[-1].RecordType | Should -Be 'Completed'
            @($records | Where-Object StatusDescription -match '^\d+ image\(s\), \d+ crop\(s\), 0 error\(s\)$').Count | Should -BeGreaterThan 0
        } finally {
            $ps.Dispose()
        }
    }

    It 'takes the model from $env:FACEEVAL_DETECTOR_MODEL and writes crops' {
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $env:FACEEVAL_DETECTOR_MODEL = $YuNet
        try {
            $crops = Get-ChildItem (Join-Path $Orl 's5') | Get-FaceCrop -OutputDirectory (Join-Path $Work 'orl-s5')
        } finally {
            Remove-Item Env:FACEEVAL_DETECTOR_MODEL
        }
        $crops.Count | Should -Be 10
        foreach ($c in $crops) {
            $png = [OpenCvSharp.Cv2]::ImRead($c.Path, [OpenCvSharp.ImreadModes]::Unchanged)
            ($png.Width, $png.Height) | Should -Be $c.Width, $c.Height
        }
    }
}
