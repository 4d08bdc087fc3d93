#Requires -Version 7.4
<#
.SYNOPSIS
    Times the paired identity bootstrap of Compare-FaceModel against the per-model bootstrap of
    Measure-FaceVerification, on the demo's embeddings (out/demo, from 'build.ps1 Demo').
.DESCRIPTION
    Both draw identities with replacement and re-choose each model's strict threshold per replicate by
    reweighting pairs sorted once; neither scores pairs again per replicate. The paired run does it for
    every model on one draw, so its cost should be about that of one Measure-FaceVerification bootstrap
    per model, plus the McNemar counts. Prints one row per run.
.EXAMPLE
    dotnet pwsh ./bench/Measure-PairedBootstrap.ps1 -Replicates 1000
#>
param(
    [string] $Embeddings = (Join-Path (Split-Path $PSScriptRoot) 'out/demo/embeddings'),
    [int] $Replicates = 1000,
    [int] $Runs = 3,
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot) 'out/FaceEval/FaceEval.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
if (-not (Test-Path $Embeddings)) { throw "No embeddings at '$Embeddings': run 'dotnet pwsh ./build.ps1 Demo' first." }
$e = @(Get-ChildItem $Embeddings -Recurse -Filter *.npy | Import-FaceEmbedding)
$models = @($e.Model | Sort-Object -Unique)
$first = @($e | Measure-FaceVerification -FoldCount 0 -FarTarget 1e-3 3>$null)[0]
$perModel = $first.GenuinePairs + $first.ImpostorPairs
foreach ($run in 1..$Runs) {
    $t = [Diagnostics.Stopwatch]::StartNew()
    $null = $e | Compare-FaceModel -FarTarget 1e-2, 1e-3, 1e-4 -BootstrapCount $Replicates -Seed $run 3>$null
    $paired = $t.Elapsed.TotalSeconds
    $t.Restart()
    $null = $e | Measure-FaceVerification -FarTarget 1e-2, 1e-3, 1e-4 -FoldCount 0 -BootstrapCount $Replicates -Seed $run 3>$null
    $separate = $t.Elapsed.TotalSeconds
    [pscustomobject]@{
        Run = $run; Models = $models.Count; PairsPerModel = $perModel; Replicates = $Replicates
        'Compare-FaceModel s' = [math]::Round($paired, 2); 'Measure-FaceVerification s' = [math]::Round($separate, 2)
    }
}
