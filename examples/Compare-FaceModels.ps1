#Requires -Version 7.4
<#
.SYNOPSIS
    Compares several models (three, typically) on a folder of identities, side by side on the same pairs.
.DESCRIPTION
    The folder holds one sub-folder per identity. Each photo is cropped once (from -Detections boxes, or
    with the YuNet detector), then every crop is embedded by each model, and all models are measured on
    the same genuine and impostor pairs. Prints the table of TAR at each FAR and writes the plots and
    the HTML report into -OutputDirectory. The endpoint comes from -ServerUrl or FACEEVAL_SERVER_URL and
    is never printed. Embeddings already on disk from an earlier run are not requested again.
.EXAMPLE
    $env:FACEEVAL_SERVER_URL = '<vendor endpoint>'
    ./examples/Compare-FaceModels.ps1 -Dataset D:\eval\faces -Model eagle, falcon, heron -DetectorModel .\face_detection_yunet_2023mar.onnx
.EXAMPLE
    $server = Start-FaceEvalServer -Model dingo=lbp, kiwi=hog, emu=lbp -NoDetector
    ./examples/Compare-FaceModels.ps1 -Dataset ./out/demo/samples -Detections ./out/demo/detections.csv -Model dingo, kiwi, emu -ServerUrl $server.Url
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Dataset,
    [Parameter(Mandatory)] [string[]] $Model,
    [string] $Detections,
    [string] $DetectorModel,
    [string] $ServerUrl,
    [string] $OutputDirectory = './model-comparison',
    [double[]] $FarTargets = @(1e-1, 1e-2, 1e-3, 1e-4),
    [int] $Bootstrap = 500,
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot) 'out/FaceEval/FaceEval.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$Dataset = (Resolve-Path $Dataset).Path
$out = (New-Item -ItemType Directory -Force $OutputDirectory).FullName
$crops = Join-Path $out 'crops'

# 1. Crop once; every model sees the same crops. The identity is the photo's folder name.
$photos = if ($Detections) {
    Import-Csv $Detections | Select-Object *, @{ n = 'Identity'; e = { if ($_.PSObject.Properties['Identity']) { $_.Identity } else { Split-Path (Split-Path $_.Path) -Leaf } } } -ExcludeProperty Identity
} else {
    Get-ChildItem $Dataset -Recurse -File -Include *.jpg, *.jpeg, *.png, *.bmp | Select-Object FullName, @{ n = 'Identity'; e = { $_.Directory.Name } }
}
$cropArgs = @{ OutputDirectory = $crops; PreserveStructure = $true; Root = $Dataset; Force = $true }
if ($DetectorModel) { $cropArgs.DetectorModel = $DetectorModel }
$faces = @($photos | Get-FaceCrop @cropArgs)
Write-Host "$($faces.Count) crops of $(@($faces.Identity | Sort-Object -Unique).Count) identities"

# 2. Embed with each model; failures to enrol travel on as empty embeddings and are counted.
$embedArgs = @{ PreserveStructure = $true; Root = $crops; IncludeFailureToEnrol = $true }
if ($ServerUrl) { $embedArgs.ServerUrl = $ServerUrl }
$embeddings = foreach ($name in $Model) {
    $faces | Invoke-FaceEmbedding -Model $name -OutputDirectory (Join-Path $out "embeddings/$name") @embedArgs
}

# 3. Measure all models on the same pairs, with identity-bootstrap intervals, plots and a report.
$results = $embeddings | Measure-FaceVerification -FarTargets $FarTargets -Bootstrap $Bootstrap -Seed 1 -PlotPath (Join-Path $out 'plots') -ReportPath (Join-Path $out 'report.html')
$results | Format-Table | Out-String -Width 160 | Write-Host
$results | ForEach-Object {
    $r = $_
    $r.OperatingPoints | Select-Object @{ n = 'Model'; e = { $r.Model } }, TargetFar, Threshold, Tar, TarLow, TarHigh, AchievedFar, Estimable
} | Export-Csv (Join-Path $out 'operating-points.csv')
Write-Host "Report: $(Join-Path $out 'report.html')"
