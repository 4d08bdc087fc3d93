BeforeDiscovery {
    # One test per help example of every cmdlet, discovered from the built module's own help.
    Import-Module $env:FACEEVAL_MODULE -Force
    $script:Examples = foreach ($cmd in Get-Command -Module FaceEval -CommandType Cmdlet) {
        $n = 0
        foreach ($ex in (Get-Help $cmd.Name -Full).Examples.Example) {
            $n++
            # The first remarks paragraph is the sample output (see New-MamlHelp.ps1).
            @{ Command = $cmd.Name; Number = $n; Code = ($ex.Code | Out-String).Trim(); Sample = [string]@($ex.Remarks)[0].Text }
        }
    }
    $script:Commands = @(Get-Command -Module FaceEval -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The examples start where a user is after 'build.ps1 Demo': in the repository folder, with the ORL
    # faces in examples/data/orl_faces, the models in examples/models, and the demo's crops, embeddings
    # and report in out/demo. The sandbox is that, on four of the forty people to keep it quick: the demo
    # script itself runs on them. Examples run in it one after another, as a user would paste them.
    if ($TestData) {
        $script:Sandbox = New-TestFolder
        foreach ($person in 's1', 's2', 's3', 's4') {
            Copy-Item (Join-Path $Orl $person) (Join-Path $Sandbox "examples/data/orl_faces/$person") -Recurse -Force -ErrorAction Stop
        }
        New-Item -ItemType SymbolicLink -Path (Join-Path $Sandbox 'examples/models') -Target (Join-Path $TestData 'models') | Out-Null
        $demo = & (Join-Path $PSScriptRoot '../../examples/Invoke-FaceEvalDemo.ps1') -Dataset (Join-Path $Sandbox 'examples/data/orl_faces') `
            -OutputDirectory (Join-Path $Sandbox 'out/demo') -ModulePath $env:FACEEVAL_MODULE 6>&1 | Out-String
        if ($LASTEXITCODE -ne 0) { throw "The demo failed in the examples' sandbox: $demo" }
    }

    # The line of the sample output that the real output must contain: the first that is neither a
    # WhatIf line nor a warning (those go to the host, not to the output), with runs of spaces collapsed.
    function Get-SampleAnchor([string] $Sample) {
        $line = ($Sample -split "\r?\n" | Where-Object { $_.Trim() -and $_ -notmatch '^(What if:|WARNING:)' } | Select-Object -First 1)
        ($line -replace '\s+', ' ').Trim().Replace('/home/me/FaceEval', $Sandbox)
    }
}

AfterAll {
    if ($Sandbox) { [IO.Directory]::Delete($Sandbox, $true) }   # removes the models link, never the models
}

Describe 'Help' {
    It 'lists every exported cmdlet, each with help, and an about_FaceEval topic' {
        $exported = (Import-PowerShellDataFile (Join-Path (Split-Path $env:FACEEVAL_MODULE) 'FaceEval.psd1')).CmdletsToExport
        (Get-Command -Module FaceEval).Name | Sort-Object | Should -Be ($exported | Sort-Object)
        foreach ($name in $exported) { (Get-Help $name).Synopsis | Should -Not -Match "^\s*$name\s" -Because "$name needs written help" }
        $about = Get-Help about_FaceEval | Out-String
        $about | Should -Match 'METRIC CONVENTIONS'
        $about | Should -Match 'PRIVACY'
        $about | Should -Match 'FACEEVAL_SERVER_URL'
    }

    It 'carries the version of Directory.Build.props, the one place it is written, in the manifest and every assembly' {
        $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props'))
        $version = [version](@($props.Project.PropertyGroup.Version) -ne $null)[0]
        (Test-ModuleManifest $env:FACEEVAL_MODULE -ErrorAction Stop).Version | Should -Be $version
        foreach ($dll in Get-ChildItem (Split-Path $env:FACEEVAL_MODULE) -Recurse -Filter 'FaceEval*.dll') {
            $v = [Reflection.AssemblyName]::GetAssemblyName($dll.FullName).Version
            [version]::new($v.Major, $v.Minor, $v.Build) | Should -Be $version -Because $dll.Name
        }
    }

    It 'claims only the PowerShell version it is tested on' {
        $claimed = (Test-ModuleManifest $env:FACEEVAL_MODULE -ErrorAction Stop).PowerShellVersion
        $claimed | Should -Be ([version]::new($PSVersionTable.PSVersion.Major, $PSVersionTable.PSVersion.Minor))
    }

    It '<Name> has a synopsis, a description, described parameters and at least two examples' -TestCases $Commands {
        param($Name)
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -Match "^\s*$Name\s"
        ($help.Description | Out-String).Trim().Length | Should -BeGreaterThan 100
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($p in $help.Parameters.Parameter) {
            ($p.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.Name) needs a description"
        }
    }

    It '<Command> example <Number> runs in the folder the demo leaves, and prints what its help shows' -TestCases $Examples {
        param($Command, $Number, $Code, $Sample)
        if ($Code -match '#\s*needs a real endpoint') { Set-ItResult -Skipped -Because 'the example needs a real vendor endpoint'; return }
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        Remove-Item Env:FACEEVAL_SERVER_URL, Env:FACEEVAL_DETECTOR_MODEL -ErrorAction Ignore
        Push-Location $Sandbox
        try {
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($Code)) 6>&1 | Out-String -Width 200
            $output | Should -Not -BeNullOrEmpty -Because 'an example shows its result'
            $anchor = Get-SampleAnchor $Sample
            $anchor | Should -Not -BeNullOrEmpty -Because 'the help shows what the example prints'
            ($output -replace '\s+', ' ') | Should -BeLike "*$([WildcardPattern]::Escape($anchor))*" -Because "the sample output's first line should appear in: $output"
        } finally {
            Pop-Location
            Stop-FaceEvalServer -All
        }
    }
}
