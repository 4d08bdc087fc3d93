#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and packages the FaceEval module.

.DESCRIPTION
    Tasks (run in the order given):
      Build  Publishes an importable module folder to out/FaceEval: the manifest, the assemblies, the
             format and help files and the native OpenCV library. Checks that the native library's
             system dependencies are present and, when run as root on Debian or Ubuntu, installs them.
      Test   Builds, then runs the xunit engine tests and the Pester cmdlet tests, and prints one closing
             line "N passed, N failed, N skipped" summed over both. Exits non-zero when any test failed
             or when no test ran at all.
      Demo   Builds the module when it is missing, then runs the whole evaluation once on the ORL faces
             that ship in examples/ with two models of the local reference server (eagle = the dlib
             ResNet embedder, dingo = LBP; nothing downloaded), prints the side-by-side table and the
             path of the HTML report (out/demo, or -DemoOutput). -Synthetic uses drawn faces instead;
             -Dataset, -Detections, -DetectorModel, -ServerUrl and -Model run it on your photos or
             against a real endpoint (see examples/Invoke-FaceEvalDemo.ps1).
      Clean  Removes out/ and the bin/obj folders.

    Tests that need real models and faces read them from the repository's examples/ folder (models/ and
    data/orl_faces/), or from $env:FACEEVAL_TESTDATA when it is set.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Demo

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test

.EXAMPLE
    dotnet pwsh ./build.ps1 Build; Import-Module ./out/FaceEval/FaceEval.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Demo only: see examples/Invoke-FaceEvalDemo.ps1.
    [string] $Dataset,
    [string] $Detections,
    [string] $DetectorModel,
    [switch] $Synthetic,
    [string] $ServerUrl,
    [string[]] $Model,
    [string] $DemoOutput = (Join-Path $PSScriptRoot 'out/demo')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'FaceEval'
$TestResults = Join-Path $Out 'test-results'

function Invoke-Native {
    # Runs a native command and stops the build when it fails. (Plain $args: no parameter binding,
    # so switches such as -o reach the command untouched.)
    $command, $arguments = $args
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Assert-NativeDependencies {
    # libOpenCvSharpExtern.so links against GTK 3 (OpenCV's highgui). A fresh Debian lacks it.
    param([string] $Library)
    if (-not $IsLinux) { return }
    $missing = @(& ldd $Library 2>$null | Select-String 'not found' | ForEach-Object { ($_ -split '\s+')[1] })
    if ($missing.Count -eq 0) { return }
    $apt = Get-Command apt-get -ErrorAction Ignore
    if ($apt -and (& id -u) -eq '0') {
        Write-Host "Installing the GTK 3 runtime that OpenCV needs (missing: $($missing -join ', '))..."
        Invoke-Native apt-get -qq update
        $package = if ((& apt-cache policy libgtk-3-0t64 2>$null) -match 'Candidate: \d') { 'libgtk-3-0t64' } else { 'libgtk-3-0' }
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Invoke-Native apt-get install -y -qq --no-install-recommends $package
        $missing = @(& ldd $Library 2>$null | Select-String 'not found' | ForEach-Object { ($_ -split '\s+')[1] })
        if ($missing.Count -eq 0) { return }
    }
    throw "The native OpenCV library needs system libraries that are missing: $($missing -join ', '). On Debian or Ubuntu run: sudo apt-get install libgtk-3-0 (libgtk-3-0t64 on newer releases)."
}

function Invoke-Build {
    Write-Host "Building FaceEval ($Configuration)..."
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    # Layout: the cmdlets (FaceEval.dll) and the objects they write (FaceEval.Objects.dll) at the top, in
    # PowerShell's default load context; the engine, its packages, their native libraries and the reference
    # server in Dependencies/, which the module loads into a context of its own.
    $dependencies = Join-Path $ModuleOut 'Dependencies'
    $staging = Join-Path $Out 'publish-cmdlets'
    if (Test-Path $staging) { Remove-Item $staging -Recurse -Force }
    # The server (net10.0) first, then the module's net8.0 build over it: the module's packages must be their
    # net8.0 builds, and the server runs on those too (same assembly versions).
    Invoke-Native dotnet publish (Join-Path $Root 'src/FaceEval.Server/FaceEval.Server.csproj') -c $Configuration -o $dependencies --nologo -v quiet
    Invoke-Native dotnet publish (Join-Path $Root 'src/FaceEval/FaceEval.csproj') -c $Configuration -o $staging --nologo -v quiet
    foreach ($item in Get-ChildItem $staging) {
        if ($item.Name -in 'FaceEval.deps.json') { continue }
        Copy-Item $item.FullName $dependencies -Recurse -Force
        if ($item.Name -like 'FaceEval.dll' -or $item.Name -like 'FaceEval.pdb' -or $item.Name -like 'FaceEval.Objects.*') { Copy-Item $item.FullName $ModuleOut -Force }
    }
    Remove-Item (Join-Path $dependencies 'FaceEval.dll'), (Join-Path $dependencies 'FaceEval.pdb') -ErrorAction Ignore
    Remove-Item $staging -Recurse -Force
    # The reference server's default secondary detection (vendor-faithful): YuNet, with its licence.
    $serverModels = New-Item -ItemType Directory -Force (Join-Path $dependencies 'models')
    Copy-Item (Join-Path $Root 'examples/models/face_detection_yunet_2023mar.*') $serverModels
    Copy-Item (Join-Path $Root 'src/FaceEval/FaceEval.format.ps1xml') $ModuleOut
    # The version lives in Directory.Build.props alone: the assemblies take it from there, the manifest here.
    $version = ([xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    if ($version -notmatch '^\d+\.\d+\.\d+$') { throw "Directory.Build.props has no <Version> of the form 1.2.3 (found '$version')." }
    (Get-Content -Raw (Join-Path $Root 'FaceEval.psd1')) -replace "ModuleVersion(\s*)= '[^']*'[^\r\n]*", "ModuleVersion`$1= '$version'" |
        Set-Content -NoNewline (Join-Path $ModuleOut 'FaceEval.psd1')

    $native = Get-ChildItem (Join-Path $dependencies 'runtimes') -Recurse -File -Include 'libOpenCvSharpExtern.so', 'OpenCvSharpExtern.dll' | Select-Object -First 1
    if (-not $native) { throw "The publish output has no native OpenCV library under $dependencies/runtimes." }
    Assert-NativeDependencies $native.FullName

    # Help is generated from the text in src/FaceEval/Help and the cmdlets' own parameter metadata.
    Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'src/FaceEval/Help/New-MamlHelp.ps1') -ModulePath $ModuleOut
    Copy-Item (Join-Path $Root 'src/FaceEval/Help/about_FaceEval.help.txt') (Join-Path $ModuleOut 'en-US')
    Write-Host "Module ready: $ModuleOut"
}

function Get-PesterModulePath {
    $project = Join-Path $Root 'tests/tools/Pester.Download.csproj'
    Invoke-Native dotnet restore $project --nologo -v quiet
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $psd1 = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.7.1 was restored but $psd1 is missing." }
    return $psd1
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -Raw $Path
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int]$c.passed
        Failed  = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
        # xunit's skipped tests are counted as not executed: total - executed.
        Skipped = [int]$c.total - [int]$c.executed
    }
}

function Invoke-Test {
    Invoke-Build
    if (Test-Path $TestResults) { Remove-Item $TestResults -Recurse -Force }
    New-Item -ItemType Directory -Path $TestResults | Out-Null
    # The models and faces the tests need ship in examples/; FACEEVAL_TESTDATA points elsewhere when set.
    $env:FACEEVAL_TESTDATA = if ($env:FACEEVAL_TESTDATA) { (Resolve-Path $env:FACEEVAL_TESTDATA).Path } else { Join-Path $Root 'examples' }
    Write-Host "Test data: $env:FACEEVAL_TESTDATA"

    $suites = [System.Collections.Generic.List[object]]::new()

    Write-Host 'Running engine and server tests (xunit)...'
    & dotnet test (Join-Path $Root 'FaceEval.sln') -c $Configuration --nologo --results-directory $TestResults `
        --logger 'trx' --logger 'console;verbosity=minimal'
    $xunitExit = $LASTEXITCODE
    $trxFiles = @(Get-ChildItem $TestResults -Filter *.trx)
    foreach ($trx in $trxFiles) { $suites.Add((Get-TrxCounts $trx.FullName)) }
    $projects = @(Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter *.Tests.csproj).Count
    if ($trxFiles.Count -lt $projects) {
        $suites.Add([pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 })
        Write-Host "Only $($trxFiles.Count) of $projects xunit projects wrote results (exit code $xunitExit): counted as a failure."
    }

    Write-Host 'Running cmdlet tests (Pester)...'
    $pester = Get-PesterModulePath
    $pesterJson = Join-Path $TestResults 'pester.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterSuite.ps1') `
        -PesterPath $pester -ModulePath (Join-Path $ModuleOut 'FaceEval.psd1') -TestPath (Join-Path $Root 'tests/FaceEval.Tests') -ResultPath $pesterJson
    if (Test-Path $pesterJson) {
        $suites.Add((Get-Content -Raw $pesterJson | ConvertFrom-Json))
    } else {
        $suites.Add([pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 })
        Write-Host 'Pester wrote no results: counted as a failure.'
    }

    $passed = ($suites | Measure-Object Passed -Sum).Sum
    $failed = ($suites | Measure-Object Failed -Sum).Sum
    $skipped = ($suites | Measure-Object Skipped -Sum).Sum
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
    if ($passed -eq 0) { Write-Host 'No test ran: failing the run.'; exit 1 }
}

function Invoke-Demo {
    if (-not (Test-Path (Join-Path $ModuleOut 'FaceEval.psd1'))) { Invoke-Build }
    function Quote([string] $Text) { "'" + ($Text -replace "'", "''") + "'" }
    $demoArgs = @('-OutputDirectory', (Quote $DemoOutput), '-ModulePath', (Quote (Join-Path $ModuleOut 'FaceEval.psd1')))
    foreach ($name in 'Dataset', 'Detections', 'DetectorModel', 'ServerUrl') {
        $value = Get-Variable $name -ValueOnly
        if ($value) { $demoArgs += "-$name", (Quote $value) }
    }
    if ($Synthetic) { $demoArgs += '-Synthetic' }
    # From a shell, -Model eagle,falcon arrives as one word: split it.
    if ($Model) { $demoArgs += '-Model', ((($Model -split ',') | ForEach-Object { Quote $_.Trim() }) -join ',') }
    # A fresh process, so the module loads as a user's session would load it.
    & dotnet pwsh -NoProfile -NonInteractive -Command "& $(Quote (Join-Path $Root 'examples/Invoke-FaceEvalDemo.ps1')) $($demoArgs -join ' '); exit `$LASTEXITCODE"
    if ($LASTEXITCODE) { throw "The demo failed (exit code $LASTEXITCODE)." }
}

function Invoke-Clean {
    foreach ($dir in @($Out) + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Where-Object FullName -NotMatch '[\\/]\.git[\\/]')) {
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Clean' { Invoke-Clean }
    }
}
