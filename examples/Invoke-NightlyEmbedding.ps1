<#
.SYNOPSIS
    Unattended, resumable embedding of a folder of face crops: for a scheduled task that runs overnight.

.DESCRIPTION
    Embeds every PNG crop under -CropFolder with -Model, saving .npy files and the run manifest under
    -OutputFolder. Run it again after a crash, a reboot or a timeout: crops already embedded are read
    back from disk and only the rest is sent. Logs to -LogPath (never the endpoint URL, which comes from
    $env:FACEEVAL_SERVER_URL) and exits with a code a scheduler can act on:

      0  every crop has an embedding
      1  the run finished, but some crops failed (see the log and manifest.jsonl; run again to retry them)
      2  configuration error (no endpoint, missing folder, module not found)
      3  the run stopped: the model was rejected, or another terminating error

.EXAMPLE
    $env:FACEEVAL_SERVER_URL = '<the vendor endpoint>'   # needs a real endpoint
    ./examples/Invoke-NightlyEmbedding.ps1 -CropFolder D:\eval\crops -OutputFolder D:\eval\emb\eagle -Model eagle -RequestsPerSecond 10
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $CropFolder,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [Parameter(Mandatory)] [string] $Model,
    [string] $LogPath = (Join-Path $OutputFolder 'nightly.log'),
    [string] $ModulePath = 'FaceEval',
    [int] $ThrottleLimit = 4,
    [double] $RequestsPerSecond = 0,
    [int] $MaximumRetryCount = 5
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Write-Log([string] $Message) {
    $line = '{0:yyyy-MM-dd HH:mm:ss} {1}' -f (Get-Date), $Message
    Add-Content -LiteralPath $LogPath -Value $line
    Write-Verbose $line
}

try {
    New-Item -ItemType Directory -Force -Path $OutputFolder | Out-Null
    Import-Module $ModulePath
    if (-not $env:FACEEVAL_SERVER_URL) { throw 'Set $env:FACEEVAL_SERVER_URL to the endpoint before the task runs.' }
    if (-not (Test-Path -LiteralPath $CropFolder -PathType Container)) { throw "The crop folder '$CropFolder' does not exist." }
} catch {
    if (Test-Path -LiteralPath (Split-Path $LogPath)) { Write-Log "configuration error: $($_.Exception.Message)" }
    Write-Error $_ -ErrorAction Continue
    exit 2
}

Write-Log "start: model $Model, crops in $CropFolder"
$failed = @()
try {
    $crops = Get-ChildItem -LiteralPath $CropFolder -Recurse -File -Filter *.png
    $done = $crops | Invoke-FaceEmbedding -Model $Model -OutputDirectory $OutputFolder -PreserveStructure -Root $CropFolder `
        -ThrottleLimit $ThrottleLimit -RequestsPerSecond $RequestsPerSecond -MaximumRetryCount $MaximumRetryCount `
        -ErrorVariable failed -ErrorAction SilentlyContinue
    $resumed = @($done | Where-Object Resumed).Count
    Write-Log ("end: {0} crops, {1} embedded ({2} from earlier runs), {3} failed" -f $crops.Count, @($done).Count, $resumed, $failed.Count)
    foreach ($f in $failed) { Write-Log ("failed: {0} {1}: {2}" -f ($f.FullyQualifiedErrorId -split ',')[0], $f.TargetObject, $f.Exception.Message) }
} catch {
    Write-Log "stopped: $(($_.FullyQualifiedErrorId -split ',')[0]): $($_.Exception.Message)"
    exit 3
}
if ($failed.Count -gt 0) { exit 1 }
exit 0
