#Requires -Version 7.4
<#
.SYNOPSIS
    The whole evaluation in one run: sample photos -> crops -> embeddings (two models) -> metrics, plots
    and an HTML report, all under one output folder.
.DESCRIPTION
    Without parameters it needs nothing downloaded: it draws 20 identities x 8 face-like photos with
    their detector boxes (New-FaceEvalSample, boxes in detections.csv), starts the local reference
    server with two built-in models (dingo = LBP, kiwi = HOG), crops every face from its box, embeds
    every crop with both models, measures verification accuracy and prints the side-by-side table, then
    the path of the report. Every stage's output stays in the folder: samples/, crops/, embeddings/<model>/
    (.npy files and a manifest per model), plots/, report.html, results.csv.

    -Dataset runs it on your own photos (one sub-folder per identity), cropped with the built-in YuNet
    detector (-DetectorModel or $env:FACEEVAL_DETECTOR_MODEL), or from your own detector's boxes with
    -Detections (a CSV with Path, X, Y, Width, Height and optionally Identity). -ServerUrl and -Model run
    it against a real endpoint instead of the local server; the address is never printed or written.

    Exits 0 when every stage succeeded, 1 when one failed (the message says which).
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
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
    [string] $ServerUrl,
    [string[]] $Model,
    [int] $Identities = 20,
    [int] $ImagesPerIdentity = 8,
    [int] $Seed = 1,
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

    if (-not $Dataset) {
        Step "Drawing $Identities identities x $ImagesPerIdentity sample photos with their boxes"
        $Dataset = Join-Path $out 'samples'
        $Detections = Join-Path $out 'detections.csv'
        New-FaceEvalSample $Dataset -IdentityCount $Identities -ImagesPerIdentity $ImagesPerIdentity -Seed $Seed | Export-Csv $Detections
    }

    if ($ServerUrl -or $env:FACEEVAL_SERVER_URL) {
        if (-not $Model) { throw 'With a real endpoint, name the models to compare with -Model.' }
        Step "Using the endpoint you gave (models: $($Model -join ', '))"
    } else {
        if (-not $Model) { $Model = 'dingo', 'kiwi' }
        Step 'Starting the local reference server (dingo = LBP, kiwi = HOG)'
        $server = Start-FaceEvalServer -Model 'dingo=lbp', 'kiwi=hog' -NoDetector
        $ServerUrl = $server.Url
    }

    # Crop, embed with each model, measure them on the same pairs: the comparison script does it all.
    Step "Comparing $($Model -join ', ')"
    $compare = @{ Dataset = $Dataset; Model = $Model; OutputDirectory = $out; FarTarget = 1e-1, 1e-2, 1e-3; BootstrapCount = 200; Seed = $Seed; ModulePath = $ModulePath }
    foreach ($name in 'Detections', 'DetectorModel', 'ServerUrl') { if (Get-Variable $name -ValueOnly) { $compare[$name] = Get-Variable $name -ValueOnly } }
    $results = @(& (Join-Path $PSScriptRoot 'Compare-FaceModels.ps1') @compare)
    $results | Format-Table | Out-String -Width 160 | Write-Host
    foreach ($r in $results) {
        foreach ($p in $r.OperatingPoints) {
            Write-Host ('  {0,-8} TAR {1,7:P2} [{2:P1}, {3:P1}] at FAR {4:0.#e0} (threshold {5:F4})' -f $r.Model, $p.Tar, $p.TarLow, $p.TarHigh, $p.TargetFar, $p.Threshold)
        }
    }
    Step 'Done'
    Write-Host "Report: $(Join-Path $out 'report.html')"
    Write-Host "Everything else (samples, crops, embeddings, manifests, plots): $out"
    exit 0
} catch {
    Write-Host "FAILED at stage '$stage': $($_.Exception.Message)" -ForegroundColor Red
    exit 1
} finally {
    if ($server) { Stop-FaceEvalServer $server }
}
