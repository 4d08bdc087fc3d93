<#
.SYNOPSIS
    Times Measure-FaceVerification on all pairs of 10,000 embeddings against the usual Python script.
.DESCRIPTION
    Writes 10,000 unit vectors of dimension 512 for 1,000 identities as one .npy file each
    (bench/verification/make_vectors.py, seeded), then runs, each in a fresh process and timed from the
    outside with /usr/bin/time (wall clock and peak resident memory):
      - FaceEval: pwsh start-up, Import-Module, Import-FaceEmbedding of the 10,000 files,
        Measure-FaceVerification over all ~50 million pairs (InsightFace convention), with the default
        10-fold accuracy and with -FoldCount 0 (what the Python script computes: no k-fold, no EER);
      - Python: bench/verification/baseline.py (NumPy matrix product on OpenBLAS, scikit-learn roc_curve,
        the InsightFace TAR@FAR lookup), with Debian's python3-numpy, python3-sklearn and
        libopenblas0-pthread (installed here when missing, as root).
    Prints one line per run and the ratios.
.EXAMPLE
    dotnet pwsh ./bench/Measure-VerificationScale.ps1
#>
param(
    [string] $Data = (Join-Path ([IO.Path]::GetTempPath()) 'faceeval-bench-10k'),
    [int] $Count = 10000,
    [int] $Dimension = 512,
    [int] $Identities = 1000,
    [int] $Runs = 1
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$module = Join-Path $root 'out/FaceEval/FaceEval.psd1'
if (-not (Test-Path $module)) { & dotnet pwsh -NoProfile -File (Join-Path $root 'build.ps1') Build; if ($LASTEXITCODE) { throw 'Build failed.' } }
$python = '/usr/bin/python3'
& $python -c 'import numpy, sklearn' 2>$null
if ($LASTEXITCODE -ne 0 -or -not (Test-Path /usr/lib/x86_64-linux-gnu/openblas-pthread)) {
    & apt-get install -y -q python3-numpy python3-sklearn libopenblas0-pthread | Out-Null
    if ($LASTEXITCODE) { throw 'Could not install python3-numpy, python3-sklearn and libopenblas0-pthread.' }
}
if (-not (Test-Path (Join-Path $Data 'id0000'))) {
    & $python (Join-Path $PSScriptRoot 'verification/make_vectors.py') $Data $Count $Dimension $Identities
    if ($LASTEXITCODE) { throw 'Could not write the vectors.' }
}

function Measure-Run([string] $Name, [string[]] $Command) {
    $report = New-TemporaryFile
    $output = & /usr/bin/time -f '%e %M' -o $report @Command 2>&1
    if ($LASTEXITCODE) { throw "$Name failed: $output" }
    $seconds, $kb = (Get-Content $report -Raw).Trim().Split(' ')
    Remove-Item $report
    [pscustomobject]@{ Run = $Name; Seconds = [double]$seconds; PeakMB = [math]::Round([double]$kb / 1024); Output = ($output -join "`n") }
}

$measure = "Import-Module '$module'; Import-FaceEmbedding -Path '$Data/*/*.npy' -Model bench | Measure-FaceVerification -Convention InsightFace {0} | Select-Object -ExpandProperty OperatingPoints | Format-Table TargetFar, Tar, AchievedFar | Out-String"
$results = foreach ($i in 1..$Runs) {
    Measure-Run 'FaceEval (10-fold)' @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', ($measure -f ''))
    Measure-Run 'FaceEval (-FoldCount 0)' @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', ($measure -f '-FoldCount 0'))
    Measure-Run 'Python (NumPy + scikit-learn)' @($python, (Join-Path $PSScriptRoot 'verification/baseline.py'), $Data)
}
$results | ForEach-Object { '{0,-32} {1,7:N1} s {2,6} MB' -f $_.Run, $_.Seconds, $_.PeakMB }
$py = ($results | Where-Object Run -like 'Python*' | Measure-Object Seconds -Minimum).Minimum
foreach ($name in 'FaceEval (10-fold)', 'FaceEval (-FoldCount 0)') {
    $t = ($results | Where-Object Run -eq $name | Measure-Object Seconds -Minimum).Minimum
    '{0}: {1:N1}x faster than the Python baseline' -f $name, ($py / $t)
}
Write-Host ($results | Where-Object Run -eq 'FaceEval (-FoldCount 0)' | Select-Object -First 1).Output
Write-Host ($results | Where-Object Run -like 'Python*' | Select-Object -First 1).Output
