#Requires -Version 7.4
<#
.SYNOPSIS
    Compares several models (three, typically) on a folder of identities, side by side on the same pairs.
.DESCRIPTION
    The folder holds one sub-folder per identity. Each photo is cropped once (from -Detections boxes, or
    with the YuNet detector), then every crop is embedded by each model, and all models are measured on
    the same genuine and impostor pairs, with bootstrap intervals over identities. Returns one
    VerificationResult per model (shown as the side-by-side table) and writes under -OutputDirectory:
    crops/, embeddings/<model>/ (.npy files and manifest.jsonl), plots/, report.html, roc.csv,
    results.csv and operating-points.csv; with -GroupBy (attributes from the detections CSV's columns or
    from -AttributePath, an Identity,attribute CSV) the report's Subgroups sections and groups.csv.
    The endpoint comes from -ServerUrl or FACEEVAL_SERVER_URL and
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
    [Alias('FarTargets')] [double[]] $FarTarget = @(1e-1, 1e-2, 1e-3, 1e-4),
    [Alias('Bootstrap')] [int] $BootstrapCount = 500,
    [int] $Seed = 1,
    # Subgroup breakdown (Measure-FaceVerification -GroupBy): attributes, and an Identity,attribute CSV for them.
    [string[]] $GroupBy,
    [string] $AttributePath,
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot) 'out/FaceEval/FaceEval.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath   # (not -Force: re-importing would stop servers this session started)
$Dataset = (Resolve-Path $Dataset).Path
$out = (New-Item -ItemType Directory -Force $OutputDirectory).FullName
$crops = Join-Path $out 'crops'
foreach ($sub in 'crops', 'plots') { Remove-Item (Join-Path $out $sub) -Recurse -Force -ErrorAction Ignore }

# 1. Crop once; every model sees the same crops. The identity is the CSV's Identity column, else the
#    name of the photo's folder.
Write-Host 'Cropping the faces (lossless PNG)'
$photos = if ($Detections) {
    Import-Csv $Detections | ForEach-Object {
        if (-not $_.PSObject.Properties['Identity']) { $_ | Add-Member Identity (Split-Path (Split-Path $_.Path) -Leaf) }
        $_
    }
} else {
    Get-ChildItem $Dataset -Recurse -File -Include *.jpg, *.jpeg, *.png, *.bmp, *.pgm, *.webp, *.tif, *.tiff |
        Select-Object FullName, @{ n = 'Identity'; e = { $_.Directory.Name } }
}
$cropArgs = @{ OutputDirectory = $crops; PreserveStructure = $true; Root = $Dataset }
if ($DetectorModel) { $cropArgs.DetectorModel = $DetectorModel }
$faces = @($photos | Get-FaceCrop @cropArgs)
if ($faces.Count -eq 0) { throw 'No face was cropped.' }
Write-Host "  $($faces.Count) crops of $(@($faces.Identity | Sort-Object -Unique).Count) identities"

# 2. Embed with each model; failures to enrol travel on as empty embeddings and are counted.
$embedArgs = @{ PreserveStructure = $true; Root = $crops; IncludeFailureToEnrol = $true }
if ($ServerUrl) { $embedArgs.ServerUrl = $ServerUrl }
$embeddings = foreach ($name in $Model) {
    Write-Host "Embedding $($faces.Count) crops with model '$name'"
    $faces | Invoke-FaceEmbedding -Model $name -OutputDirectory (Join-Path $out "embeddings/$name") @embedArgs
}

# 3. Measure all models on the same pairs, with identity-bootstrap intervals, plots and a report.
Write-Host 'Measuring verification accuracy (all pairs, bootstrap intervals)'
$report = Join-Path $out 'report.html'
# With two or more models the report opens with a Decision section: the paired comparison, the thresholds with
# their intervals and the transfer check on unseen identities, and the calibrated scores.
$measure = @{ FarTarget = $FarTarget; BootstrapCount = $BootstrapCount; Seed = $Seed; TransferCheck = 20; Calibrate = $true }
if ($GroupBy) { $measure.GroupBy = $GroupBy }
if ($AttributePath) { $measure.AttributePath = $AttributePath }
$results = @($embeddings | Measure-FaceVerification @measure -PlotPath (Join-Path $out 'plots') -ReportPath $report -RocPath (Join-Path $out 'roc.csv'))
$results | Select-Object Model, GenuinePairs, ImpostorPairs, FailureToEnrol, Auc, Eer, EerThreshold, KFoldAccuracy | Export-Csv (Join-Path $out 'results.csv')
$results | ForEach-Object {
    $r = $_
    $r.OperatingPoints | Select-Object @{ n = 'Model'; e = { $r.Model } }, TargetFar, Threshold, Tar, TarLow, TarHigh, AchievedFar, Estimable
} | Export-Csv (Join-Path $out 'operating-points.csv')
if ($GroupBy) { $results.Groups | Select-Object Model, Attribute, Group, Identities, GenuinePairs, ImpostorPairs, FailureToEnrol, Fmr, FmrLow, FmrHigh, Fnmr, FnmrLow, FnmrHigh, Estimable, GroupThreshold, ThresholdShift | Export-Csv (Join-Path $out 'groups.csv') }
Write-Host "Report: $report"
$results
