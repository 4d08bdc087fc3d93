<#
.SYNOPSIS
    Times two builds of the module on the same work, alternately, in one session: is a change slower?
.DESCRIPTION
    For a change that must not cost speed (a refactoring), build the baseline commit in another folder
    and compare. Each round runs, for the baseline and then the candidate, each in a fresh pwsh process
    timed from the outside with /usr/bin/time (wall clock, peak resident memory):
      - verification at scale: Import-FaceEmbedding of the 10,000 x 512 vectors of
        Measure-VerificationScale.ps1 and Measure-FaceVerification -Convention InsightFace over all
        ~50 million pairs, with -FoldCount 0 and with the default 10-fold accuracy;
      - Get-FaceCrop on the 400 ORL faces, boxes given, in memory (-Crop), after a warm-up inside the process.
    Prints one row per run and the best of each build.
.EXAMPLE
    git clone -q . /tmp/base; git -C /tmp/base checkout 11916d9; dotnet pwsh /tmp/base/build.ps1 Build
    dotnet pwsh ./build.ps1 Build
    dotnet pwsh ./bench/Compare-ModuleBuilds.ps1 -Baseline /tmp/base/out/FaceEval/FaceEval.psd1 -Rounds 3
#>
param(
    [Parameter(Mandatory)] [string] $Baseline,
    [string] $Candidate = (Join-Path $PSScriptRoot '../out/FaceEval/FaceEval.psd1'),
    [int] $Rounds = 3,
    [string] $Data = (Join-Path ([IO.Path]::GetTempPath()) 'faceeval-bench-10k'),
    [string] $TestData = $(if ($env:FACEEVAL_TESTDATA) { $env:FACEEVAL_TESTDATA } else { Join-Path $PSScriptRoot '../examples' })
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path (Join-Path $Data 'id0000'))) {
    & /usr/bin/python3 (Join-Path $PSScriptRoot 'verification/make_vectors.py') $Data 10000 512 1000
    if ($LASTEXITCODE) { throw 'Could not write the vectors (python3 with numpy is needed).' }
}
$orl = Join-Path $TestData 'data/orl_faces'

function Measure-Process([string] $Build, [string] $Work, [string] $Command) {
    $report = New-TemporaryFile
    $output = & /usr/bin/time -f '%e %M' -o $report dotnet pwsh -NoProfile -NonInteractive -Command $Command 2>&1
    if ($LASTEXITCODE) { throw "$Build $Work failed: $output" }
    $seconds, $kb = (Get-Content $report -Raw).Trim().Split(' ')
    Remove-Item $report
    [pscustomobject]@{ Build = $Build; Work = $Work; Seconds = [double]$seconds; PeakMB = [math]::Round([double]$kb / 1024); Detail = ($output | Select-Object -Last 1) }
}

$verify = "Import-Module '{0}'; `$r = Import-FaceEmbedding -Path '$Data/*/*.npy' -Model bench | Measure-FaceVerification -Convention InsightFace {1}; 'AUC {{0:F6}}' -f `$r.Auc"
# Old builds call it -Folds; both accept -Folds.
$crop = "Import-Module '{0}'; `$f = Get-ChildItem '$orl' -Recurse -Filter *.pgm; `$null = `$f | Select-Object -First 20 | Get-FaceCrop -BoundingBox 10,15,70,85; `$t = [Diagnostics.Stopwatch]::StartNew(); `$n = (`$f | Get-FaceCrop -BoundingBox 10,15,70,85).Count; '{{0}} crops, {{1:N0}} images/s' -f `$n, (`$f.Count / `$t.Elapsed.TotalSeconds)"
$rows = foreach ($round in 1..$Rounds) {
    foreach ($build in @(@{ Name = 'baseline'; Path = $Baseline }, @{ Name = 'candidate'; Path = $Candidate })) {
        Measure-Process $build.Name 'verification -Folds 0' ($verify -f $build.Path, '-Folds 0')
        Measure-Process $build.Name 'verification, 10-fold' ($verify -f $build.Path, '')
        Measure-Process $build.Name 'crop 400 ORL' ($crop -f $build.Path)
    }
}
$rows | Format-Table Build, Work, Seconds, PeakMB, Detail -AutoSize | Out-String -Width 200
$rows | Group-Object Work, Build | ForEach-Object {
    [pscustomobject]@{ Work = $_.Group[0].Work; Build = $_.Group[0].Build; BestSeconds = ($_.Group | Measure-Object Seconds -Minimum).Minimum; MedianSeconds = ($_.Group.Seconds | Sort-Object)[[int][math]::Floor($_.Count / 2)]; PeakMB = ($_.Group | Measure-Object PeakMB -Maximum).Maximum }
} | Sort-Object Work, Build | Format-Table -AutoSize | Out-String -Width 200
