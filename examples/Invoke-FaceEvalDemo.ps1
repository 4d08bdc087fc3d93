#Requires -Version 7.4
<#
.SYNOPSIS
    The whole evaluation in one run: photos -> crops -> embeddings (two models) -> metrics, plots and an
    HTML report, all under one output folder.
.DESCRIPTION
    Without parameters it runs on real faces that ship with the repository, nothing downloaded: the 400
    ORL photos (40 people x 10, examples/data/orl_faces) are cropped with the YuNet detector
    (examples/models), the local reference server embeds every crop with two models, with its secondary
    detection and alignment on as the vendor's is: eagle = the dlib ResNet face descriptor (ONNX) and
    dingo = the built-in LBP descriptor; then it measures verification accuracy, prints the side-by-side
    table and the path of the report. Every stage's output stays in the folder: crops/,
    embeddings/<model>/ (.npy files and a manifest per model), plots/, report.html, results.csv.

    -Synthetic draws -Identities x -ImagesPerIdentity face-like photos with their boxes instead
    (New-FaceEvalSample; samples/ and detections.csv) and compares the two built-in descriptors dingo
    (LBP) and kiwi (HOG) on them without detection: a check of the pipeline, not of recognition.

    On the ORL faces the report also breaks the errors down by a made-up attribute, Cohort (odd or even
    subject number, examples/data/orl_attributes.csv): ORL records no demographics, so it only shows what
    the Subgroups section looks like. -GroupBy and -AttributePath do it for your own people's attributes.

    -Dataset runs it on your own photos (one sub-folder per identity), cropped with the built-in YuNet
    detector (-DetectorModel or $env:FACEEVAL_DETECTOR_MODEL), or from your own detector's boxes with
    -Detections (a CSV with Path, X, Y, Width, Height and optionally Identity). -ServerUrl and -Model run
    it against a real endpoint instead of the local server; the address is never printed or written.

    Exits 0 when every stage succeeded, 1 when one failed (the message says which).
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
.EXAMPLE
    ./examples/Invoke-FaceEvalDemo.ps1 -Synthetic -OutputDirectory ./drawn
.EXAMPLE
    ./examples/Invoke-FaceEvalDemo.ps1 -Dataset ~/faces -DetectorModel ./face_detection_yunet_2023mar.onnx -OutputDirectory ./my-run
.EXAMPLE
    $env:FACEEVAL_SERVER_URL = '<vendor endpoint>'; ./examples/Invoke-FaceEvalDemo.ps1 -Dataset ~/faces -Detections ~/faces/boxes.csv -Model eagle, falcon
#>
[CmdletBinding()]
param(
    [string] $OutputDirectory = (Join-Path (Split-Path $PSScriptRoot) 'out/demo'),
    [string] $Dataset,
    [string] $Detections,
    [string] $DetectorModel,
    [switch] $Synthetic,
    [string] $ServerUrl,
    [string[]] $Model,
    [int] $Identities = 20,
    [int] $ImagesPerIdentity = 8,
    [int] $Seed = 1,
    [string[]] $GroupBy,
    [string] $AttributePath,
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot) 'out/FaceEval/FaceEval.psd1')
)

$ErrorActionPreference = 'Stop'
$stage = 'start'
$server = $null
$watch = [Diagnostics.Stopwatch]::StartNew()
function Step([string] $Name) {
    $script:stage = $Name
    Write-Host ('[{0,5:N1} s] {1}' -f $watch.Elapsed.TotalSeconds, $Name)
}

try {
    Step 'Importing the module'
    Import-Module $ModulePath   # (not -Force: re-importing would stop servers this session started)
    $out = (New-Item -ItemType Directory -Force $OutputDirectory).FullName
    Remove-Item (Join-Path $out 'samples') -Recurse -Force -ErrorAction Ignore

    $models = Join-Path $PSScriptRoot 'models'
    $yunet = Join-Path $models 'face_detection_yunet_2023mar.onnx'
    if ($Synthetic) {
        if ($Dataset) { throw '-Synthetic draws its own photos: give -Dataset or -Synthetic, not both.' }
        Step "Drawing $Identities identities x $ImagesPerIdentity sample photos with their boxes"
        $Dataset = Join-Path $out 'samples'
        $Detections = Join-Path $out 'detections.csv'
        New-FaceEvalSample $Dataset -IdentityCount $Identities -ImagesPerIdentity $ImagesPerIdentity -Seed $Seed | Export-Csv $Detections
    } elseif (-not $Dataset) {
        $Dataset = Join-Path $PSScriptRoot 'data/orl_faces'
        if (-not $Detections -and -not $DetectorModel) { $DetectorModel = $yunet }
        Step 'Using the ORL faces that ship with the repository (40 people x 10 photos)'
        # ORL records no demographics: a made-up Cohort (odd/even subject number, examples/data/README.md)
        # shows the report's Subgroups section.
        if (-not $GroupBy -and -not $AttributePath) { $GroupBy = 'Cohort'; $AttributePath = Join-Path $PSScriptRoot 'data/orl_attributes.csv' }
    }

    if ($ServerUrl -or $env:FACEEVAL_SERVER_URL) {
        if (-not $Model) { throw 'With a real endpoint, name the models to compare with -Model.' }
        Step "Using the endpoint you gave (models: $($Model -join ', '))"
    } elseif ($Synthetic) {
        if (-not $Model) { $Model = 'dingo', 'kiwi' }
        Step 'Starting the local reference server (dingo = LBP, kiwi = HOG; no detection: drawn faces)'
        $server = Start-FaceEvalServer -Model 'dingo=lbp', 'kiwi=hog' -NoDetector
        $ServerUrl = $server.Url
    } else {
        if (-not $Model) { $Model = 'eagle', 'dingo' }
        Step 'Starting the local reference server (eagle = dlib ResNet, dingo = LBP, kiwi = HOG; YuNet detection and alignment)'
        $dlib = Join-Path $models 'dlib_resnet_face_recognition_v1_150.onnx'
        $server = Start-FaceEvalServer -Model "eagle=onnx:$dlib;preset=dlib150", 'dingo=lbp', 'kiwi=hog' -DetectorModel $yunet
        $ServerUrl = $server.Url
    }

    # Crop, embed with each model, measure them on the same pairs: the comparison script does it all.
    Step "Comparing $($Model -join ', ')"
    $compare = @{ Dataset = $Dataset; Model = $Model; OutputDirectory = $out; FarTarget = 1e-1, 1e-2, 1e-3; BootstrapCount = 200; Seed = $Seed; ModulePath = $ModulePath }
    foreach ($name in 'Detections', 'DetectorModel', 'ServerUrl', 'GroupBy', 'AttributePath') { if (Get-Variable $name -ValueOnly) { $compare[$name] = Get-Variable $name -ValueOnly } }
    $results = @(& (Join-Path $PSScriptRoot 'Compare-FaceModels.ps1') @compare)
    $results | Format-Table | Out-String -Width 160 | Write-Host
    foreach ($r in $results) {
        foreach ($p in $r.OperatingPoints) {
            Write-Host ('  {0,-8} TAR {1,7:P2} [{2:P1}, {3:P1}] at FAR {4:0.#e0} (threshold {5:F4})' -f $r.Model, $p.Tar, $p.TarLow, $p.TarHigh, $p.TargetFar, $p.Threshold)
        }
    }
    if ($GroupBy) { $results.Groups | Format-Table | Out-String -Width 160 | Write-Host; $results.GroupIndices | Format-Table | Out-String -Width 160 | Write-Host }
    Step 'Done'
    # (The comparison script has already printed the report's path.)
    Write-Host "Everything else (samples, crops, embeddings, manifests, plots): $out"
    exit 0
} catch {
    Write-Host "FAILED at stage '$stage': $($_.Exception.Message)" -ForegroundColor Red
    exit 1
} finally {
    if ($server) { Stop-FaceEvalServer $server }
}
