BeforeDiscovery {
    # One test per help example of every cmdlet, discovered from the built module's own help.
    Import-Module $env:FACEEVAL_MODULE -Force
    $script:Examples = foreach ($cmd in Get-Command -Module FaceEval -CommandType Cmdlet) {
        $n = 0
        foreach ($ex in (Get-Help $cmd.Name -Full).Examples.Example) {
            $n++
            @{ Command = $cmd.Name; Number = $n; Code = ($ex.Code | Out-String).Trim() }
        }
    }
    $script:Commands = @(Get-Command -Module FaceEval -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The folder the examples run in: photos, a detections CSV and a dataset with one folder per
    # identity, all made from ORL faces (scaled up 3x, as photos would be larger than 92x112).
    function New-ExampleSandbox {
        $root = New-TestFolder
        New-Item -ItemType Directory (Join-Path $root 'photos') | Out-Null
        $rows = foreach ($face in @(@{ Id = 'alice'; S = 's1'; N = 1..2 }, @{ Id = 'bob'; S = 's2'; N = 1..1 })) {
            foreach ($i in $face.N) {
                $src = [OpenCvSharp.Cv2]::ImRead((Join-Path $Orl "$($face.S)/$i.pgm"))
                $big = [OpenCvSharp.Mat]::new()
                [OpenCvSharp.Cv2]::Resize($src, $big, [OpenCvSharp.Size]::new(276, 336), 0, 0, [OpenCvSharp.InterpolationFlags]::Cubic)
                $path = Join-Path $root "photos/$($face.Id)_$i.jpg"
                [OpenCvSharp.Cv2]::ImWrite($path, $big) | Out-Null
                [pscustomobject]@{ Path = $path; X = 40; Y = 60; Width = 190; Height = 230; Identity = $face.Id }
            }
        }
        $rows += [pscustomobject]@{ Path = $rows[0].Path; X = 10; Y = 10; Width = 60; Height = 60; Identity = 'alice' }
        $rows | Export-Csv (Join-Path $root 'detections.csv')
        foreach ($id in @(@{ Id = 'alice'; S = 's1' }, @{ Id = 'bob'; S = 's2' })) {
            New-Item -ItemType Directory (Join-Path $root "dataset/$($id.Id)") -Force | Out-Null
            1..3 | ForEach-Object { Copy-Item (Join-Path $Orl "$($id.S)/$_.pgm") (Join-Path $root "dataset/$($id.Id)/$_.pgm") }
        }
        $root
    }
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

    It '<Command> example <Number> runs without error' -TestCases $Examples {
        param($Command, $Number, $Code)
        if ($Code -match '#\s*needs a real endpoint') { Set-ItResult -Skipped -Because 'the example needs a real vendor endpoint'; return }
        if (-not $TestData) { Set-ItResult -Skipped -Because $NoTestData; return }
        $sandbox = New-ExampleSandbox
        $env:FACEEVAL_DETECTOR_MODEL = $YuNet
        # The local reference server stands in for the vendor endpoint.
        $server = Start-FaceEvalServer -Model eagle=lbp, dingo=lbp, buffalo=lbp -DetectorModel $YuNet
        $env:FACEEVAL_SERVER_URL = $server.Url
        Push-Location $sandbox
        try {
            $ErrorActionPreference = 'Stop'
            $output = & ([scriptblock]::Create($Code)) 6>&1 | Out-String
            $output | Should -Not -BeNullOrEmpty -Because 'an example shows its result'
        } finally {
            Pop-Location
            Stop-FaceEvalServer $server
            Remove-Item Env:FACEEVAL_DETECTOR_MODEL, Env:FACEEVAL_SERVER_URL -ErrorAction Ignore
            Remove-Item $sandbox -Recurse -Force -ErrorAction Ignore
        }
    }
}
