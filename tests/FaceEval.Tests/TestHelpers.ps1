# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the module under test and gives small helpers.
$ErrorActionPreference = 'Stop'
if (-not $env:FACEEVAL_MODULE) { throw 'FACEEVAL_MODULE is not set: run the tests through ./build.ps1 Test.' }
Import-Module $env:FACEEVAL_MODULE -Force
# The module keeps OpenCvSharp in its own load context; the tests draw and compare images with a copy of
# their own in PowerShell's default context (it finds the native library the module has already loaded).
if (-not ('OpenCvSharp.Mat' -as [type])) { Add-Type -Path (Join-Path (Split-Path $env:FACEEVAL_MODULE) 'Dependencies/OpenCvSharp.dll') }

# The models and faces: $env:FACEEVAL_TESTDATA when set, else the repository's own examples/ folder.
$script:TestData = if ($env:FACEEVAL_TESTDATA) { (Resolve-Path $env:FACEEVAL_TESTDATA).Path }
    elseif (Test-Path (Join-Path $PSScriptRoot '../../examples/data/orl_faces')) { (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path }
$script:NoTestData = 'The models and ORL faces were not found: set FACEEVAL_TESTDATA to a folder with models/ and data/orl_faces/ (the repository''s examples/ has them).'
$script:YuNet = if ($TestData) { Join-Path $TestData 'models/face_detection_yunet_2023mar.onnx' }
$script:Orl = if ($TestData) { Join-Path $TestData 'data/orl_faces' }

function New-TestFolder {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ("faceeval-test-" + [guid]::NewGuid().ToString('N'))
    (New-Item -ItemType Directory -Path $path).FullName
}

function New-GradientImage {
    # A BGR image whose neighbouring pixels all differ, so an off-by-one crop is visible.
    param([Parameter(Mandatory)][string] $Path, [int] $Width = 120, [int] $Height = 90, [int] $Seed = 0)
    $m = [OpenCvSharp.Mat]::new($Height, $Width, [OpenCvSharp.MatType]::CV_8UC3)
    $idx = $m.GetGenericIndexer[OpenCvSharp.Vec3b]()
    for ($y = 0; $y -lt $Height; $y++) {
        for ($x = 0; $x -lt $Width; $x++) {
            $idx[$y, $x] = [OpenCvSharp.Vec3b]::new([byte](($x * 7 + $y + $Seed) % 256), [byte](($y * 5 + $x * 3 + 3 * $Seed) % 256), [byte]((($x -bxor $y) * 11 + 7 * $Seed) % 256))
        }
    }
    # The pattern repeats every 256 seeds: the seed's own bits in the corner pixel keep every image distinct.
    if ($Seed) { $idx[0, 0] = [OpenCvSharp.Vec3b]::new([byte]($Seed % 256), [byte]([math]::Floor($Seed / 256) % 256), [byte]77) }
    if (-not [OpenCvSharp.Cv2]::ImWrite($Path, $m)) { throw "could not write $Path" }
    $m.Dispose()
    $Path
}

function New-JpegBomb {
    # A real 16 x 16 JPEG whose frame header claims -Side x -Side pixels, with one stray byte before that
    # header (libjpeg skips it; a strict header reader gives up): a few hundred bytes that decode to gigabytes.
    param([Parameter(Mandatory)][string] $Path, [int] $Side = 30000)
    $m = [OpenCvSharp.Mat]::new(16, 16, [OpenCvSharp.MatType]::CV_8UC3, [OpenCvSharp.Scalar]::All(128))
    $bytes = $null
    [OpenCvSharp.Cv2]::ImEncode('.jpg', $m, [ref]$bytes) | Out-Null
    $sof = 2
    while (-not ($bytes[$sof] -eq 0xFF -and $bytes[$sof + 1] -eq 0xC0)) { $sof++ }
    $bytes[$sof + 5] = [byte]($Side -shr 8); $bytes[$sof + 6] = [byte]($Side -band 0xFF)
    $bytes[$sof + 7] = [byte]($Side -shr 8); $bytes[$sof + 8] = [byte]($Side -band 0xFF)
    [IO.File]::WriteAllBytes($Path, [byte[]]($bytes[0..($sof - 1)] + [byte]0x42 + $bytes[$sof..($bytes.Length - 1)]))
    $Path
}

function New-ModuleCopy {
    # The built module as symbolic links in a fresh folder, leaving out the given paths (relative to the module
    # folder, e.g. 'Dependencies/models'): the module as a user would have it with a file missing. Import it
    # in a child pwsh; this session already has the real one.
    param([string[]] $Without = @())
    $source = Split-Path $env:FACEEVAL_MODULE
    $copy = Join-Path (New-TestFolder) 'FaceEval'
    function Link([string] $From, [string] $To, [string] $Relative) {
        New-Item -ItemType Directory $To -Force | Out-Null
        foreach ($entry in Get-ChildItem -LiteralPath $From -Force) {
            $rel = if ($Relative) { "$Relative/$($entry.Name)" } else { $entry.Name }
            if ($rel -in $Without) { continue }
            if ($entry.PSIsContainer -and @($Without | Where-Object { $_.StartsWith("$rel/") })) { Link $entry.FullName (Join-Path $To $entry.Name) $rel }
            else { New-Item -ItemType SymbolicLink -Path (Join-Path $To $entry.Name) -Target $entry.FullName | Out-Null }
        }
    }
    Link $source $copy ''
    Join-Path $copy 'FaceEval.psd1'
}

function Get-PixelDifference {
    # Largest absolute difference between two decoded images; -1 when their sizes or types differ.
    param($A, $B)
    $ma = if ($A -is [byte[]]) { [OpenCvSharp.Cv2]::ImDecode($A, [OpenCvSharp.ImreadModes]::Unchanged) } elseif ($A -is [string]) { [OpenCvSharp.Cv2]::ImRead($A, [OpenCvSharp.ImreadModes]::Unchanged) } else { $A }
    $mb = if ($B -is [byte[]]) { [OpenCvSharp.Cv2]::ImDecode($B, [OpenCvSharp.ImreadModes]::Unchanged) } elseif ($B -is [string]) { [OpenCvSharp.Cv2]::ImRead($B, [OpenCvSharp.ImreadModes]::Unchanged) } else { $B }
    if ($ma.Empty() -or $mb.Empty() -or $ma.Size() -ne $mb.Size() -or $ma.Type() -ne $mb.Type()) { return -1 }
    [OpenCvSharp.Cv2]::Norm($ma, $mb, [OpenCvSharp.NormTypes]::INF)
}

function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) {
    ($Record.FullyQualifiedErrorId -split ',')[0]
}

function Write-TestNpy {
    # A NumPy 1.0 file of one float32 vector, written by hand: the module's own writer is inside its engine.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][AllowEmptyCollection()][float[]] $Vector)
    $header = "{'descr': '<f4', 'fortran_order': False, 'shape': ($($Vector.Length),), }"
    $header = $header.PadRight(64 * [math]::Ceiling((10 + $header.Length + 1) / 64) - 10 - 1) + "`n"
    $bytes = [Collections.Generic.List[byte]]::new()
    $bytes.AddRange([byte[]](0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0))
    $bytes.AddRange([BitConverter]::GetBytes([uint16]$header.Length))
    $bytes.AddRange([Text.Encoding]::ASCII.GetBytes($header))
    foreach ($v in $Vector) { $bytes.AddRange([BitConverter]::GetBytes($v)) }
    [IO.File]::WriteAllBytes($Path, $bytes.ToArray())
}

function Write-MalformedNpys {
    # Broken .npy files, one per way a file can be wrong, written byte by byte into $Folder; returns their paths.
    param([Parameter(Mandatory)][string] $Folder)
    function Raw([string] $Name, [string] $Header, [int] $DataBytes = 8, [byte] $Major = 1, [byte] $Minor = 0, $HeaderLength = $null, [byte[]] $Magic = (0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59)) {
        $bytes = [Collections.Generic.List[byte]]::new()
        $bytes.AddRange($Magic)
        $bytes.AddRange([byte[]]($Major, $Minor))
        $length = if ($null -ne $HeaderLength) { $HeaderLength } else { $Header.Length }
        if ($Major -eq 1) { $bytes.AddRange([BitConverter]::GetBytes([uint16]$length)) } else { $bytes.AddRange([BitConverter]::GetBytes([uint32]$length)) }
        $bytes.AddRange([Text.Encoding]::ASCII.GetBytes($Header))
        if ($DataBytes -gt 0) { $bytes.AddRange([byte[]]::new($DataBytes)) }
        $path = Join-Path $Folder $Name
        [IO.File]::WriteAllBytes($path, $bytes.ToArray())
        $path
    }
    function Dict([string] $Shape, [string] $Descr = "'<f4'") { "{'descr': $Descr, 'fortran_order': False, 'shape': $Shape, }`n" }
    New-Item -ItemType Directory -Force $Folder | Out-Null
    Raw 'bad-magic.npy' (Dict '(2,)') -Magic ([byte[]][char[]]'GIF89a')
    Raw 'bad-version.npy' (Dict '(2,)') -Major 9
    Raw 'v2-huge-header.npy' (Dict '(2,)') -Major 2 -HeaderLength ([uint32]::MaxValue)
    Raw 'negative-shape.npy' (Dict '(-2,)')
    Raw 'text-shape.npy' (Dict '(two,)')
    Raw 'long-overflow.npy' (Dict '(99999999999999999999,)')
    Raw 'product-overflow.npy' (Dict '(4611686018427387904, 4)') -DataBytes 0
    Raw 'huge-in-small.npy' (Dict '(1000000, 1000000)') -DataBytes 64
    Raw 'int-dtype.npy' (Dict '(2,)' "'<i4'")
    Raw 'truncated.npy' (Dict '(128,)') -DataBytes 100
    Raw 'no-shape.npy' "{'descr': '<f4', 'fortran_order': False, }`n"
}
