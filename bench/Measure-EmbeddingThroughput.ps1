<#
.SYNOPSIS
    Invoke-FaceEmbedding throughput against the reference server with added latency: -ThrottleLimit 1 vs 16.
.DESCRIPTION
    Starts a local server (lbp model, no detector) that adds -LatencyMs to every request, as a remote
    endpoint would, and embeds -Count distinct in-memory crops with each throttle limit.
.EXAMPLE
    dotnet pwsh ./build.ps1 Build; dotnet pwsh -c './bench/Measure-EmbeddingThroughput.ps1 | Format-Table'
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/FaceEval/FaceEval.psd1'),
    [int] $Count = 400,
    [int] $LatencyMs = 20,
    [int[]] $ThrottleLimit = @(1, 16)
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
. (Join-Path $PSScriptRoot 'New-NoiseCrop.ps1') -ModulePath $ModulePath
$crops = New-NoiseCrop -Count $Count -Width 96 -Height 112
$server = Start-FaceEvalServer -Model dingo=lbp -NoDetector -FaultLatencyMs $LatencyMs
try {
    $null = $crops | Select-Object -First 20 | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url   # warm-up
    foreach ($limit in $ThrottleLimit) {
        $t = [Diagnostics.Stopwatch]::StartNew()
        $n = @($crops | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -ThrottleLimit $limit).Count
        [pscustomobject]@{ ThrottleLimit = $limit; LatencyMs = $LatencyMs; Items = $n; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 2); ItemsPerSecond = [math]::Round($n / $t.Elapsed.TotalSeconds, 1) }
    }
} finally {
    Stop-FaceEvalServer $server
}
