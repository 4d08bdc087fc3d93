BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Work = New-TestFolder

    function New-FakeAssembly {
        # An assembly with one of our dependencies' names, another version and none of its types: what a
        # different version loaded by another module looks like to PowerShell's default load context.
        param([string] $Name, [string] $Folder)
        $assemblyName = [Reflection.AssemblyName]::new($Name)
        $assemblyName.Version = [version]'99.0.0.0'
        $builder = [System.Reflection.Emit.PersistedAssemblyBuilder]::new($assemblyName, [object].Assembly)
        $type = $builder.DefineDynamicModule($Name).DefineType("FaceEvalTests.Fake$($Name -replace '\W', '')", [Reflection.TypeAttributes]::Public)
        [void]$type.CreateType()
        $path = Join-Path $Folder "$Name.dll"
        $builder.Save($path)
        $path
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Dependency isolation' {
    It 'crops, embeds, measures and plots in a session that loaded other versions of Polly.Core, System.Numerics.Tensors and ScottPlot first' {
        $fakes = foreach ($name in 'Polly.Core', 'System.Numerics.Tensors', 'ScottPlot') { New-FakeAssembly $name $Work }
        $script = Join-Path $Work 'conflict.ps1'
        Set-Content $script @'
param([string] $Fakes, [string] $Module, [string] $Work)
$ErrorActionPreference = 'Stop'
foreach ($f in $Fakes -split ';') { Add-Type -Path $f }
# The conflict is real: the default context now has the other versions and cannot take ours.
$blocked = try { Add-Type -Path (Join-Path (Split-Path $Module) 'Dependencies/Polly.Core.dll'); $false } catch { $true }
Import-Module $Module
$rows = New-FaceEvalSample (Join-Path $Work 'faces') -IdentityCount 4 -ImagesPerIdentity 3 -Seed 2
$server = Start-FaceEvalServer -Model dingo=lbp -NoDetector
try {
    $embeddings = $rows | Get-FaceCrop | Invoke-FaceEmbedding -Model dingo -ServerUrl $server.Url -MaximumRetryCount 2
    $result = $embeddings | Measure-FaceVerification -FoldCount 0 -BootstrapCount 10 -PlotPath (Join-Path $Work 'plots')
} finally {
    Stop-FaceEvalServer $server
}
$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Polly.Core', 'System.Numerics.Tensors', 'ScottPlot' } |
    ForEach-Object { '{0} {1} {2}' -f $_.GetName().Name, $_.GetName().Version.Major, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
[pscustomobject]@{ Blocked = $blocked; Embeddings = @($embeddings).Count; Auc = $result.Auc; Plots = @(Get-ChildItem (Join-Path $Work 'plots') | Where-Object Name -ne 'faceeval-outputs.jsonl').Count; Loaded = @($loaded) } | ConvertTo-Json -Compress
'@
        $json = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $script -Fakes ($fakes -join ';') -Module $env:FACEEVAL_MODULE -Work $Work 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($json | Out-String)
        $out = @($json)[-1] | ConvertFrom-Json
        $out.Blocked | Should -BeTrue -Because 'the default context already holds the other versions'
        $out.Embeddings | Should -Be 12
        $out.Auc | Should -BeGreaterThan 0.5
        $out.Plots | Should -Be 6
        # Each name twice: the other version in the default context, ours in the engine's.
        foreach ($name in 'Polly.Core', 'System.Numerics.Tensors', 'ScottPlot') {
            $out.Loaded | Should -Contain "$name 99 Default"
            @($out.Loaded | Where-Object { $_ -like "$name * FaceEval.Engine" -and $_ -notlike "$name 99 *" }).Count | Should -Be 1
        }
    }

    It 'keeps the engine and its packages out of the default load context, and the objects in it' {
        $contexts = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command "Import-Module '$env:FACEEVAL_MODULE'; `$null = New-FaceEvalSample '$(Join-Path $Work 'ctx')' -IdentityCount 2 -ImagesPerIdentity 2; [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -like 'FaceEval*' -or `$_.GetName().Name -eq 'OpenCvSharp' } | ForEach-Object { `$_.GetName().Name + '=' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }"
        $contexts | Should -Contain 'FaceEval=Default'
        $contexts | Should -Contain 'FaceEval.Objects=Default'
        $contexts | Should -Contain 'FaceEval.Core=FaceEval.Engine'
        $contexts | Should -Contain 'OpenCvSharp=FaceEval.Engine'
        ('FaceEval.FaceEmbedding' -as [type]) | Should -Not -BeNullOrEmpty -Because 'the objects users see are types PowerShell can name'
    }
}
