<#
.SYNOPSIS
    Runs the Pester suite against a built module and writes the counts as JSON for build.ps1.
.DESCRIPTION
    Runs in its own pwsh process so that the module under test is imported fresh. Invoke-Pester on a
    folder without tests returns nothing; that is reported as a failure, never as a pass.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TestPath,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:FACEEVAL_MODULE = $ModulePath

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$result = Invoke-Pester -Configuration $config

$counts = if ($null -eq $result -or $result.TotalCount -eq 0) {
    Write-Host "Pester found no tests under $TestPath."
    @{ Passed = 0; Failed = 1; Skipped = 0 }
} else {
    @{
        Passed  = $result.PassedCount
        Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
        Skipped = $result.SkippedCount + $result.NotRunCount
    }
}
$counts | ConvertTo-Json | Set-Content -Path $ResultPath
