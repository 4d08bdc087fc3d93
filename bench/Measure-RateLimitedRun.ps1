<#
.SYNOPSIS
    How much of a server's rate limit Invoke-FaceEmbedding uses through injected faults.
.DESCRIPTION
    The scenario of the test 'Invoke-FaceEmbedding under faults and a rate limit', timed: -Count distinct
    in-memory crops against the reference server (lbp, no detector) limited to -RateLimit requests/s per
    client (burst the same), answering -ErrorRate of requests with 500 and dropping -DropRate of the
    connections; -ThrottleLimit 8, -MaximumRetryCount 10. One row per run.

    Failed attempts spend the allowance too, so items can arrive at most (1 - ErrorRate - DropRate) x the
    limit: ItemShare is items/s against that ceiling, AdmittedShare the requests the server admitted
    (every attempt but those answered 429) against the limit. The target is 80 % for both.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh -c './bench/Measure-RateLimitedRun.ps1 -Runs 3 | Format-Table'
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FaceEval/FaceEval.psd1'),
    [int] $Runs = 3,
    [int] $Count = 1000,
    [double] $RateLimit = 40,
    [double] $ErrorRate = 0.10,
    [double] $DropRate = 0.02
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
. (Join-Path $PSScriptRoot 'New-NoiseCrop.ps1') -ModulePath $ModulePath
$crops = New-NoiseCrop -Count $Count -Width 32 -Height 40
$ceiling = (1 - $ErrorRate - $DropRate) * $RateLimit
foreach ($run in 1..$Runs) {
    # A fresh server each run: its token bucket starts full, as in the test.
    $server = Start-FaceEvalServer -Model dingo=lbp -NoDetector -RateLimit $RateLimit -RateBurst ([int]$RateLimit) -FaultErrorRate $ErrorRate -FaultDropRate $DropRate -FaultSeed $run
    try {
        $t = [Diagnostics.Stopwatch]::StartNew()
        $out = @($crops | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -ThrottleLimit 8 -MaximumRetryCount 10 -ErrorAction SilentlyContinue)
        $seconds = $t.Elapsed.TotalSeconds
    } finally {
        Stop-FaceEvalServer $server
    }
    $throttled = ($out.Throttled | Measure-Object -Sum).Sum
    $admitted = ($out.Attempts | Measure-Object -Sum).Sum - $throttled
    [pscustomobject]@{
        Run           = $run
        Items         = $out.Count
        Seconds       = [math]::Round($seconds, 1)
        ItemsPerSec   = [math]::Round($Count / $seconds, 1)
        ItemShare     = '{0:P0}' -f ($Count / $seconds / $ceiling)
        AdmittedPerSec = [math]::Round($admitted / $seconds, 1)
        AdmittedShare = '{0:P0}' -f ($admitted / $seconds / $RateLimit)
        Answers429    = $throttled
        MostAttempts  = ($out.Attempts | Measure-Object -Maximum).Maximum
    }
}
