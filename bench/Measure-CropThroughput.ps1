<#
.SYNOPSIS
    Measures Get-FaceCrop throughput on the ORL faces: boxes given vs the YuNet detector, 1 vs N threads.
.EXAMPLE
    dotnet pwsh ./bench/Measure-CropThroughput.ps1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FaceEval/FaceEval.psd1'),
    [string] $TestData = $(if ($env:FACEEVAL_TESTDATA) { $env:FACEEVAL_TESTDATA } else { Join-Path $PSScriptRoot '../examples' })
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$files = Get-ChildItem (Join-Path $TestData 'data/orl_faces') -Recurse -Filter *.pgm
$model = Join-Path $TestData 'models/face_detection_yunet_2023mar.onnx'
$null = $files | Select-Object -First 5 | Get-FaceCrop -DetectorModel $model   # warm-up
foreach ($threads in 1, [Environment]::ProcessorCount) {
    foreach ($mode in 'boxes', 'detector') {
        $t = [Diagnostics.Stopwatch]::StartNew()
        $n = if ($mode -eq 'boxes') {
            ($files | Get-FaceCrop -BoundingBox 10, 15, 70, 85 -ThrottleLimit $threads).Count
        } else {
            ($files | Get-FaceCrop -DetectorModel $model -ThrottleLimit $threads).Count
        }
        [pscustomobject]@{ Mode = $mode; Threads = $threads; Images = $files.Count; Crops = $n; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 2); ImagesPerSecond = [math]::Round($files.Count / $t.Elapsed.TotalSeconds, 1) }
    }
}
