<#
.SYNOPSIS
    Times the subgroup breakdown (Measure-FaceVerification -GroupBy, #15) against the scoring it builds on:
    10,000 embeddings in 4 groups.
.DESCRIPTION
    Draws 10,000 unit vectors of dimension 512 for 1,000 identities in memory (seeded: each identity a
    random centre, each image the centre plus noise; the identities fall into 4 groups by number, given
    by an Identity,Group CSV through -AttributePath), then in one process measures all 49,995,000 pairs
    alternately without and with -GroupBy Group (-FoldCount 0, one target FAR), -Runs times each.
    From the verbose log of each run it takes the time to score all pairs and the time of the breakdown
    (reading each embedding's group, the copy of the scores in scoring order, the per-group pass, sorts,
    thresholds and DET curves); it also gives the whole command's time with and without -GroupBy, which on
    a shared machine drifts by more than the breakdown costs (the sort of all scores alone varies 1-5 s). The acceptance of #15: the breakdown adds less than the scoring itself costs.
.EXAMPLE
    dotnet pwsh ./bench/Measure-SubgroupBreakdown.ps1 -Runs 3
#>
param(
    [int] $Count = 10000,
    [int] $Dimension = 512,
    [int] $Identities = 1000,
    [int] $Groups = 4,
    [int] $Runs = 3,
    [string] $ModulePath = (Join-Path (Split-Path $PSScriptRoot) 'out/FaceEval/FaceEval.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

Add-Type -TypeDefinition @'
public static class SubgroupBenchVectors
{
    public static float[][] Draw(int count, int dimension, int identities, int seed)
    {
        var r = new System.Random(seed);
        double Gauss() => System.Math.Sqrt(-2 * System.Math.Log(1 - r.NextDouble())) * System.Math.Cos(2 * System.Math.PI * r.NextDouble());
        var centres = new double[identities][];
        for (int i = 0; i < identities; i++) { centres[i] = new double[dimension]; for (int d = 0; d < dimension; d++) centres[i][d] = Gauss(); }
        var vectors = new float[count][];
        int per = count / identities;
        for (int k = 0; k < count; k++)
        {
            var c = centres[k / per];
            double noise = 1.5 + 2.5 * ((k / per) % 7) / 6.0;
            var v = new float[dimension];
            double norm = 0;
            for (int d = 0; d < dimension; d++) { v[d] = (float)(c[d] + noise * Gauss()); norm += v[d] * (double)v[d]; }
            norm = System.Math.Sqrt(norm);
            for (int d = 0; d < dimension; d++) v[d] = (float)(v[d] / norm);
            vectors[k] = v;
        }
        return vectors;
    }
}
'@

$per = $Count / $Identities
Write-Host "Drawing $Count vectors"; $vectors = [SubgroupBenchVectors]::Draw($Count, $Dimension, $Identities, 20261201)
$embeddings = for ($k = 0; $k -lt $Count; $k++) {
    $id = 'id{0:D4}' -f [int][math]::Floor($k / $per)
    [FaceEval.FaceEmbedding]@{ SourcePath = "$id/$k.png"; Model = 'bench'; Vector = $vectors[$k]; Identity = $id }
}
Write-Host "Measuring"; $attributes = Join-Path ([IO.Path]::GetTempPath()) "faceeval-bench-groups-$PID.csv"
0..($Identities - 1) | ForEach-Object { [pscustomobject]@{ Identity = 'id{0:D4}' -f $_; Group = "g$($_ % $Groups)" } } | Export-Csv $attributes

function Measure-Once([bool] $Grouped) {
    $arguments = @{ FarTarget = 1e-3; FoldCount = 0; Verbose = $true }
    if ($Grouped) { $arguments.GroupBy = 'Group'; $arguments.AttributePath = $attributes }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $log = $embeddings | Measure-FaceVerification @arguments 4>&1
    $wall = $watch.Elapsed.TotalSeconds
    $text = ($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
    $result = $log | Where-Object { $_ -is [FaceEval.VerificationResult] }
    [pscustomobject]@{
        GroupBy   = $Grouped
        Wall      = $wall
        Scoring   = [double]([regex]::Match($text, 'scored [\d,]+ pairs in ([\d.]+) s').Groups[1].Value)
        # The breakdown's own cost: reading each embedding's group, then the breakdown (its copy of the scores included).
        Breakdown = if ($Grouped) { [double]([regex]::Match($text, 'read the groups of [\d,]+ embeddings in ([\d.]+) s').Groups[1].Value) + [double]([regex]::Match($text, 'subgroup breakdown by Group in ([\d.]+) s').Groups[1].Value) } else { $null }
        Pairs     = $result.GenuinePairs + $result.ImpostorPairs
        Groups    = @($result.Groups).Count
    }
}

try {
    $measured = foreach ($run in 1..$Runs) { Measure-Once $false; Measure-Once $true }
} finally {
    Remove-Item $attributes -ErrorAction Ignore
}
$measured | Format-Table GroupBy, @{ n = 'Wall s'; e = { '{0:F2}' -f $_.Wall } }, @{ n = 'Scoring s'; e = { '{0:F2}' -f $_.Scoring } }, @{ n = 'Breakdown s'; e = { if ($null -ne $_.Breakdown) { '{0:F2}' -f $_.Breakdown } } }, Pairs, Groups | Out-String | Write-Host
function Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int](($s.Count - 1) / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
$grouped = @($measured | Where-Object GroupBy)
$plain = @($measured | Where-Object { -not $_.GroupBy })
[pscustomobject]@{
    Embeddings         = $Count
    Pairs              = $grouped[0].Pairs
    Groups             = $Groups
    ScoringMedian      = Median ($measured.Scoring)
    BreakdownMedian    = Median ($grouped.Breakdown)
    WallPlainMedian    = Median ($plain.Wall)
    WallGroupedMedian  = Median ($grouped.Wall)
    BreakdownBelowScoring = (Median ($grouped.Breakdown)) -lt (Median ($measured.Scoring))
}
