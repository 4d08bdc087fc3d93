<#
.SYNOPSIS
    Distinct in-memory crops of random pixels, for the embedding benchmarks (dot-source it after Import-Module).
.DESCRIPTION
    Loads a copy of OpenCvSharp from the module's Dependencies folder (the module keeps its own in its own load
    context) and defines New-NoiseCrop, which returns -Count FaceEval.FaceCrop objects of -Width x -Height
    random pixels, PNG-encoded in memory, as Get-FaceCrop would pass them on.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
if (-not ('OpenCvSharp.Mat' -as [type])) { Add-Type -Path (Join-Path (Split-Path $ModulePath) 'Dependencies/OpenCvSharp.dll') }

function New-NoiseCrop([int] $Count, [int] $Width, [int] $Height) {
    foreach ($i in 1..$Count) {
        $m = [OpenCvSharp.Mat]::new($Height, $Width, [OpenCvSharp.MatType]::CV_8UC3)
        [OpenCvSharp.Cv2]::Randu($m, [OpenCvSharp.Scalar]::All(0), [OpenCvSharp.Scalar]::All(255))
        [byte[]] $png = $null
        [void][OpenCvSharp.Cv2]::ImEncode('.png', $m, [ref] $png, [int[]]@())
        $box = [FaceEval.FaceBox]::new(0, 0, $Width, $Height)
        [FaceEval.FaceCrop]@{ SourcePath = "bench$i.png"; FaceIndex = 0; Box = $box; CropBox = $box; Width = $Width; Height = $Height; Scale = 1; PngData = $png }
    }
}
