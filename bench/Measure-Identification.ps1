<#
.SYNOPSIS
    Times Measure-FaceIdentification on 10,000 probes against 5,000 gallery templates of dimension 512, next to NumPy.
.DESCRIPTION
    Writes the embeddings as one .npy file each (bench/identification/make_vectors.py, seeded): 5,000
    enrolled identities with one gallery image each, 5,000 mated probes (one per enrolled identity) and
    5,000 non-mated probes of people never enrolled. Then runs, each in a fresh process timed from the
    outside with /usr/bin/time (wall clock and peak resident memory):
      - FaceEval: pwsh start-up, Import-Module, Import-FaceEmbedding of the 15,000 files,
        Measure-FaceIdentification -Gallery (strict rule, FPIR 1e-1, 1e-2, 1e-3); the search stage's own
        time is read from its -Verbose line;
      - NumPy: bench/identification/baseline.py, the same figures from the same files, the probes in
        blocks of 1,024 through one matrix product each (Debian's python3-numpy on libopenblas0-pthread,
        installed here when missing, as root); its load and search times are its own.
    Neither holds a probe x gallery matrix: both stream the scores per block of probes.
.EXAMPLE
    dotnet pwsh ./bench/Measure-Identification.ps1 -Runs 2
#>
param(
    [string] $Data = (Join-Path ([IO.Path]::GetTempPath()) 'faceeval-bench-1n'),
    [int] $Probes = 10000,
    [int] $GalleryTemplates = 5000,
    [int] $Dimension = 512,
    [int] $Runs = 1
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot
$module = Join-Path $root 'out/FaceEval/FaceEval.psd1'
if (-not (Test-Path $module)) { & dotnet pwsh -NoProfile -File (Join-Path $root 'build.ps1') Build; if ($LASTEXITCODE) { throw 'Build failed.' } }
$python = '/usr/bin/python3'
& $python -c 'import numpy' 2>$null
if ($LASTEXITCODE -ne 0 -or -not (Test-Path /usr/lib/x86_64-linux-gnu/openblas-pthread)) {
    & apt-get install -y -q python3-numpy libopenblas0-pthread | Out-Null
    if ($LASTEXITCODE) { throw 'Could not install python3-numpy and libopenblas0-pthread.' }
}
if (-not (Test-Path (Join-Path $Data 'gallery'))) {
    & $python (Join-Path $PSScriptRoot 'identification/make_vectors.py') $Data $Probes $GalleryTemplates $Dimension
    if ($LASTEXITCODE) { throw 'Could not write the vectors.' }
}

function Measure-Run([string] $Name, [string[]] $Command) {
    $report = New-TemporaryFile
    $output = & /usr/bin/time -f '%e %M' -o $report @Command 2>&1
    if ($LASTEXITCODE) { throw "$Name failed: $output" }
    $seconds, $kb = (Get-Content $report -Raw).Trim().Split(' ')
    Remove-Item $report
    $text = $output -join "`n"
    $search = if ($text -match 'in (\d+(\.\d+)?) s\.') { [double]$Matches[1] } elseif ($text -match 'search (\d+(\.\d+)?) s') { [double]$Matches[1] } else { [double]::NaN }
    [pscustomobject]@{ Run = $Name; Seconds = [double]$seconds; SearchSeconds = $search; PeakMB = [math]::Round([double]$kb / 1024); Output = $text }
}

$measure = "Import-Module '$module'; `$g = Import-FaceEmbedding -Path '$Data/gallery/*/*.npy' -Model bench; " +
    "`$r = Import-FaceEmbedding -Path '$Data/probes/*/*.npy' -Model bench | Measure-FaceIdentification -Gallery `$g -Verbose 4>&1; " +
    "`$r | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] -and `$_.Message -match 'searched' } | ForEach-Object Message; " +
    "`$x = `$r | Where-Object { `$_ -is [FaceEval.IdentificationResult] }; 'rank-1 {0:F4}; {1}' -f `$x.RankOneRate, ((`$x.OperatingPoints | ForEach-Object { 'FPIR {0:g}: T {1:F4} FNIR {2:F4}' -f `$_.TargetFpir, `$_.Threshold, `$_.Fnir }) -join '; ')"
$results = foreach ($i in 1..$Runs) {
    Measure-Run 'FaceEval' @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $measure)
    Measure-Run 'NumPy (OpenBLAS)' @($python, (Join-Path $PSScriptRoot 'identification/baseline.py'), $Data)
}
$results | ForEach-Object { '{0,-18} {1,7:N1} s total, {2,6:N2} s search, {3,6} MB peak' -f $_.Run, $_.Seconds, $_.SearchSeconds, $_.PeakMB }
$results | Select-Object -First 2 | ForEach-Object { Write-Host "$($_.Run): $($_.Output)" }
