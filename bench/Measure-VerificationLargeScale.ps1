<#
.SYNOPSIS
    Times Measure-FaceVerification on all pairs of 10,000 to 100,000 embeddings (issue #18), next to the
    Python baseline where it fits in memory.
.DESCRIPTION
    For each size N (dimension 512, N/10 identities, bench/verification/make_matrix.py, seeded) runs, each in a
    fresh process timed from outside by /usr/bin/time (wall clock, peak resident memory), with the 1-minute load
    average before each run:
      - N = 10,000 also as files (bench/Measure-VerificationScale.ps1's set): the issue's command
        Get-ChildItem -Recurse *.npy | Import-FaceEmbedding -Model m | Measure-FaceVerification, with -FoldCount 0
        and with the default 10-fold accuracy, InsightFace convention, and the Python baseline on the same files,
        -Repeat times each, interleaved (FaceEval, FaceEval default, Python, then again), with the median of each
        and the ratio of the medians: on a shared 2-core machine one run of a few seconds can be off by a second;
        then the same two commands timed inside one session that has imported the module (Measure-Command: each
        command four times, the first compiling everything on first use), as at a console;
      - every N from the one (N, D) matrix: Import-FaceEmbedding -Matrix -LabelPath | Measure-FaceVerification
        -FoldCount 0 (the counting path);
      - Python (NumPy on OpenBLAS, scikit-learn roc_curve, the InsightFace lookup) for N <= -PythonUpTo.
    Prints one line per run; -Sizes picks the sizes.
.EXAMPLE
    dotnet pwsh ./bench/Measure-VerificationLargeScale.ps1 -Sizes 10000, 20000
#>
param(
    [int[]] $Sizes = @(10000, 20000, 50000, 100000),
    [int] $PythonUpTo = 20000,
    [ValidateRange(1, 99)] [int] $Repeat = 5,
    [string] $Root = (Join-Path ([IO.Path]::GetTempPath()) 'faceeval-bench-large'),
    [string] $Files10k = (Join-Path ([IO.Path]::GetTempPath()) 'faceeval-bench-10k')
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot
$module = Join-Path $repo 'out/FaceEval/FaceEval.psd1'
$python = '/usr/bin/python3'

function Measure-Run([string] $Name, [int] $N, [string[]] $Command) {
    $load = (Get-Content /proc/loadavg -Raw).Split(' ')[0]
    $report = New-TemporaryFile
    $output = & /usr/bin/time -f '%e %M' -o $report @Command 2>&1
    if ($LASTEXITCODE) { throw "$Name failed: $output" }
    $seconds, $kb = (Get-Content $report -Raw).Trim().Split(' ')
    Remove-Item $report
    $line = [pscustomobject]@{ N = $N; Run = $Name; Seconds = [double]$seconds; PeakMB = [math]::Round([double]$kb / 1024); Load = $load; Output = ($output -join "`n") }
    '{0,7} {1,-44} {2,8:N1} s {3,7} MB  load {4}' -f $line.N, $line.Run, $line.Seconds, $line.PeakMB, $line.Load | Write-Host
    $line
}

$show = 'ForEach-Object { ''AUC {0} EER {1}'' -f $_.Auc, $_.Eer; $_.OperatingPoints | Format-Table TargetFar, Tar, AchievedFar, Threshold | Out-String }'
foreach ($n in $Sizes) {
    $data = Join-Path $Root $n
    if (-not (Test-Path (Join-Path $data 'x.npy'))) {
        & $python (Join-Path $PSScriptRoot 'verification/make_matrix.py') $data $n 512
        if ($LASTEXITCODE) { throw 'Could not write the matrix.' }
    }
    if ($n -eq 10000 -and -not (Test-Path $Files10k)) {
        & $python (Join-Path $PSScriptRoot 'verification/make_vectors.py') $Files10k 10000 512 1000
        if ($LASTEXITCODE) { throw 'Could not write the 10,000 files.' }
    }
    if ($n -eq 10000) {
        $files = "Import-Module '$module'; Get-ChildItem '$Files10k' -Recurse -Filter *.npy | Import-FaceEmbedding -Model m | Measure-FaceVerification -Convention InsightFace @FOLDS@ | $show"
        $fresh = foreach ($r in 1..$Repeat) {
            Measure-Run 'files, -FoldCount 0' $n @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $files.Replace('@FOLDS@', '-FoldCount 0'))
            Measure-Run 'files, default (10-fold)' $n @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $files.Replace('@FOLDS@', ''))
            if ($n -le $PythonUpTo) { Measure-Run 'Python, files' $n @($python, (Join-Path $PSScriptRoot 'verification/baseline.py'), $Files10k) }
        }
        $medians = @{}
        foreach ($group in $fresh | Group-Object Run) {
            $sorted = @($group.Group.Seconds | Sort-Object)
            $medians[$group.Name] = $sorted[[math]::Floor(($sorted.Count - 1) / 2)] / 2 + $sorted[[math]::Ceiling(($sorted.Count - 1) / 2)] / 2
            '{0,7} median of {1} {2,-32} {3,8:N2} s  (min {4:N2}, max {5:N2}; peak {6:N0} MB)' -f $n, $sorted.Count, $group.Name, $medians[$group.Name], $sorted[0], $sorted[-1], ($group.Group.PeakMB | Measure-Object -Maximum).Maximum | Write-Host
        }
        if ($medians.ContainsKey('Python, files')) {
            foreach ($name in 'files, -FoldCount 0', 'files, default (10-fold)') {
                '        Python / FaceEval ({0}), medians: {1:N1}x' -f $name, ($medians['Python, files'] / $medians[$name]) | Write-Host
            }
        }
        '        default / -FoldCount 0, medians: +{0:N0} %' -f (100 * ($medians['files, default (10-fold)'] / $medians['files, -FoldCount 0'] - 1)) | Write-Host
        # The console case: the module already imported, the command timed inside the session four times without
        # k-fold, then four times with: run 1 compiles everything on first use, and the runtime keeps optimising
        # the code it runs most for a few seconds after, so the second run is not yet the steady state.
        $inSession = "Import-Module '$module'; foreach (`$folds in @(@{ FoldCount = 0 }, @{})) { foreach (`$run in 1..4) { " +
            "`$t = Measure-Command { `$r = Get-ChildItem '$Files10k' -Recurse -Filter *.npy | Import-FaceEmbedding -Model m | Measure-FaceVerification -Convention InsightFace @folds }; " +
            "'in-session {0} run {1} {2:F2} AUC {3}' -f (`$(if (`$folds.Count) { '-FoldCount 0' } else { 'default' })), `$run, `$t.TotalSeconds, `$r.Auc } }"
        $session = Measure-Run 'in session (8 timed commands, total)' $n @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $inSession)
        $session.Output -split "`n" | Where-Object { $_ -like 'in-session*' } | ForEach-Object { '        {0}' -f $_ | Write-Host }
    }
    $matrix = "Import-Module '$module'; Import-FaceEmbedding -Matrix '$data/x.npy' -LabelPath '$data/labels.csv' -Model m | Measure-FaceVerification -Convention InsightFace -FoldCount 0 | $show"
    Measure-Run 'matrix, -FoldCount 0' $n @('dotnet', 'pwsh', '-NoProfile', '-NonInteractive', '-Command', $matrix)
    if ($n -le $PythonUpTo) { Measure-Run 'Python, matrix' $n @($python, (Join-Path $PSScriptRoot 'verification/baseline_matrix.py'), $data) }
}
