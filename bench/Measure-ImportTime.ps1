<#
.SYNOPSIS
    Measures how long a fresh pwsh takes to import the built module (target: under 2 s).
.DESCRIPTION
    Starts a new pwsh process -Runs times; each one times Import-Module FaceEval alone (not pwsh's own
    start-up) and prints the milliseconds. Prints the median and the maximum.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh ./bench/Measure-ImportTime.ps1 -Runs 10
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FaceEval/FaceEval.psd1'),
    [int] $Runs = 10
)
$ErrorActionPreference = 'Stop'
$pwsh = Join-Path $PSHOME 'pwsh'
$times = foreach ($i in 1..$Runs) {
    [int](& $pwsh -NoProfile -NonInteractive -Command "`$t = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; [void](Get-Command Get-FaceCrop); `$t.ElapsedMilliseconds")
}
$sorted = $times | Sort-Object
[pscustomobject]@{
    Runs     = $Runs
    MedianMs = $sorted[[int][math]::Floor($Runs / 2)]
    MaxMs    = $sorted[-1]
    AllMs    = $times -join ', '
}
