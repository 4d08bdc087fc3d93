@{
    Synopsis    = 'Decides between face models on exactly the same pairs: the difference in TAR at each target FAR and in EER, with an interval that holds near 0 and 1, a Holm-adjusted p and a verdict.'
    Description = @(
        'Compare-FaceModel takes the embeddings of two or more models (FaceEmbedding objects with Identity and Model, as Import-FaceEmbedding or Invoke-FaceEmbedding give them) and compares every pair of models, A before B in ordinal order of their names, on TAR at each -FarTarget and on the EER. It writes one ModelComparison per pair of models, metric and target, ordered by pair of models, then metric (TAR at each target in the order given, then EER). Its table reads a row as a sentence: "dingo vs eagle, TAR at FAR 1e-3, 40.00 % against 98.28 %, -58.28 percentage points, interval [-66.63, -50.87], p 0.010, eagle better".'
        'Every model is scored on exactly the same pairs. Items are matched across models by identity and file name without folder or extension (eagle/s1/1_0.npy and dingo/s1/1_0.npy are one image), as Measure-FaceVerification matches them; only the items that every model has are kept, and one warning names, per model, how many items it lost and which. Items that cannot take part (no Identity, a NaN or infinite value, a stray dimension) are an error each, as in Measure-FaceVerification, and are then missing for that model only, so the others lose them too. Every pair i < j of the kept items is scored by each model as the dot product of its vectors as returned (cosine similarity for unit vectors). A failure to enrol (an empty Vector) rejects that model''s pairs of the item at every threshold and costs the other models nothing (-FailureToEnrol Reject, the default); -FailureToEnrol Exclude leaves an item that any model failed to enrol out for every model.'
        'Definitions. FAR (= FMR) is the share of impostor pairs accepted and TAR (= 1 - FNMR) the share of genuine pairs accepted, a pair being accepted when its score is at least the threshold (ISO/IEC 19795-1). TAR at a target FAR uses each model''s own lowest threshold whose FAR is at most the target (the strict rule); the EER is the FAR where FAR and FRR meet. Difference = value(A) - value(B) on all the pairs. The interval and p rest on a paired bootstrap over identities (Efron and Tibshirani 1993, An Introduction to the Bootstrap, ch. 13 and 16): each replicate draws the identities with replacement, once for all models, weighs the pairs by the draws (an identity drawn c times weighs its genuine pairs c, an impostor pair of identities drawn c and d times weighs c x d), chooses each model''s threshold again on the weighted pairs and takes the difference; with -IntervalMethod Percentile the interval is the percentile interval of those differences at -ConfidenceLevel and p = min(1, 2 (1 + min(#{d <= 0}, #{d >= 0})) / (B + 1)) is the two-sided Monte Carlo p of "no difference" (Davison and Hinkley 1997); by default (Wilson) the replicates give each model''s bootstrap variance and the models'' correlation for the MOVER below. With more than two models, p is adjusted by Holm''s step-down method (Holm 1979, Scand. J. Statist. 6:65-70) over every pair of models for the same metric and target (AdjustedPValue). Verdict: "A better" or "B better" when the adjusted p is below 1 - ConfidenceLevel (higher TAR, lower EER is better), else "No significant difference"; the table names the better model.'
        'Interval methods (-IntervalMethod, as in Measure-FaceVerification). Wilson (default) and ClopperPearson: each model''s rate (FNMR = 1 - TAR at the target, or the EER) gets its interval on the effective number of pairs of Measure-FaceVerification -IntervalMethod (n_eff from the leave-one-identity-out jackknife variance, with fewer than 300 identities the larger of that and the paired bootstrap replicates'' variance, Korn and Graubard''s degrees-of-freedom factor, [0, clustered rule of three] with no error), and the difference gets the MOVER of those two intervals (Zou and Donner 2008, Statistics in Medicine 27:1693; Newcombe''s square-and-add for paired rates, Statistics in Medicine 17:2635, 1998): L = d - sqrt((a - la)^2 + (ub - b)^2 - 2 r (a - la)(ub - b)) and U = d + sqrt((ua - a)^2 + (b - lb)^2 - 2 r (ua - a)(b - lb)), r the correlation of the two models'' values over the paired replicates. So the asymmetry of an error rate near 0 carries into the difference and pairing narrows it. PValue is that interval inverted: 1 minus the largest level at which it leaves out 0, so a difference is significant exactly when its interval at -ConfidenceLevel leaves out 0 (before Holm). Bca: the BCa interval of the paired replicate differences (acceleration from the leave-one-identity-out differences), p as for Percentile. Percentile: the percentile interval of the paired replicate differences and the bootstrap p above (the only method before; optimistic near 0 and 1). The coverage of each method for differences is measured by bench/coverage --differences (bench/README.md). ModelComparison.IntervalMethod names the method.'
        'Each row also says where the two models decide apart at their own thresholds: GenuineOnlyA/GenuineOnlyB (genuine pairs accepted by one model only) and ImpostorOnlyA/ImpostorOnlyB, with McNemar''s exact two-sided p on each (McNemar 1947, Psychometrika 12:153-157). The thresholds were chosen on these same pairs, so those p describe the disagreement rather than test it; the verdict rests on the interval method''s p. A target FAR that the impostor pairs cannot measure (fewer than 1/target) draws a warning: its TAR is that of a threshold above every impostor score. The bootstrap shows a progress bar and stops at the next batch of replicates on Ctrl+C. Fewer than two models stop the command with one CannotMeasure error; piped .npy files stop it with one EmbeddingFileInput error (read them with Import-FaceEmbedding first).'
    )
    Parameters  = @{
        InputObject     = 'FaceEmbedding objects of two or more models, each with an Identity and a Model.'
        FarTarget       = @{ Description = 'The target FARs at which TAR is compared, each in (0, 1] (alias: -FarTargets).'; Default = '1e-2, 1e-3, 1e-4' }
        BootstrapCount  = @{ Description = 'Replicates of the paired bootstrap over identities (alias: -Bootstrap), 100 to 100,000. 100 is the least because the smallest p that B replicates can give is 2 / (B + 1): with fewer than about 40 no difference could ever be significant at 95 %, and the interval''s ends rest on a handful of replicates. The work grows with B times the number of pairs; 1,000 on the 400 ORL photos takes about a second.'; Default = '1000' }
        ConfidenceLevel = @{ Description = 'Level of the intervals; a difference is significant when its adjusted p is below 1 minus this level.'; Default = '0.95' }
        IntervalMethod  = @{ Description = 'How the intervals and p are made: Wilson or ClopperPearson (each model''s interval on its clustered effective number of pairs, the difference by the MOVER, p by inverting it), Bca or Percentile (the paired bootstrap differences). See the description.'; Default = 'Wilson' }
        Seed            = @{ Description = 'Seed of the bootstrap draws: the same seed and input give the same intervals and p.'; Default = '0' }
        FailureToEnrol  = @{ Description = 'Reject: a model''s failure to enrol rejects that model''s pairs of the item. Exclude: an item any model failed to enrol is left out for every model.'; Default = 'Reject' }
        PairList        = 'Compare on the pairs of a pair list only: LFW''s pairs.txt or a CSV with Reference, Difference, IsMatch (and Fold), naming images by file, file name or stem as Measure-FaceVerification -PairList does. The bootstrap still draws identities (a pair''s side is the identity of its image); pairs whose image not every model has are left out with a warning, and so is said of pairs whose same/different flag disagrees with the identities (the identities decide).'
        ImpostorSample  = 'Every genuine pair and this many impostor pairs, drawn once uniformly without replacement (seeded by -Seed) and scored by every model: for sets whose impostor pairs are too many to keep. All impostor pairs when there are no more than this.'
    }
    Inputs      = @(@{ Type = 'FaceEval.FaceEmbedding'; Description = 'Embeddings with Identity and Model, of at least two models.' })
    Outputs     = @(@{ Type = 'FaceEval.ModelComparison'; Description = 'ModelA, ModelB, Metric (Tar or Eer), TargetFar (NaN for Eer), ValueA, ValueB, Difference, Lower, Upper (by IntervalMethod), PValue, AdjustedPValue, BootstrapCount, ConfidenceLevel, IntervalMethod, Verdict, ThresholdA, ThresholdB, GenuineOnlyA, GenuineOnlyB, GenuineMcNemarP, ImpostorOnlyA, ImpostorOnlyB, ImpostorMcNemarP.' })
    Examples    = @(
        @{
            Title   = 'Which of the demo''s two models is better, and by how much'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Compare-FaceModel -FarTarget 1e-2, 1e-3 -BootstrapCount 200
'@
            Output  = @'
Comparison     Metric                A       B Difference         Interval     p Verdict
----------     ------                -       - ----------         --------     - -------
dingo vs eagle TAR at FAR 1e-2 53.67 % 99.83 %  -46.17 pp [-53.52, -38.78] 0.010 eagle better
dingo vs eagle TAR at FAR 1e-3 40.00 % 98.28 %  -58.28 pp [-66.63, -50.87] 0.010 eagle better
dingo vs eagle EER             23.11 %  0.39 %  +22.72 pp   [19.72, 26.41] 0.010 eagle better
'@
            Remarks = 'All 79,800 pairs of the 400 ORL photos, scored by both models; 200 replicates over the 40 people. Difference and Interval are in percentage points (A minus B); p is Holm-adjusted, and 0.010 is the smallest 200 replicates can give. eagle (the dlib descriptor) beats dingo (LBP) at every target and on the EER.'
        }
        @{
            Title   = 'One comparison in full, with where the models decide apart'
            Code    = @'
$c = Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Compare-FaceModel -FarTarget 1e-3 -BootstrapCount 200 -Seed 1
$c | Where-Object Metric -eq Tar | Format-List ModelA, ModelB, TargetFar, ValueA, ValueB, Difference, Lower, Upper, AdjustedPValue, Verdict, GenuineOnlyA, GenuineOnlyB, GenuineMcNemarP
'@
            Output  = @'
ModelA          : dingo
ModelB          : eagle
TargetFar       : 0.001
ValueA          : 0.4
ValueB          : 0.982777777777778
Difference      : -0.582777777777778
Lower           : -0.665222222222222
Upper           : -0.489902777777778
AdjustedPValue  : 0.00995024875621891
Verdict         : B better
GenuineOnlyA    : 1
GenuineOnlyB    : 1050
GenuineMcNemarP : 8.72007645349792E-314
'@
            Remarks = 'At FAR 1e-3, each at its own threshold, eagle accepts 1,050 genuine pairs that dingo rejects and dingo one that eagle rejects. The McNemar p describes that split; the verdict rests on the interval method''s p.'
        }
        @{
            Title   = 'Keep the comparison as a CSV file'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Compare-FaceModel -FarTarget 1e-2 -BootstrapCount 200 |
    Export-Csv ./comparison.csv
Import-Csv ./comparison.csv | Format-Table ModelA, ModelB, Metric, TargetFar, Difference, Verdict
'@
            Output  = @'
ModelA ModelB Metric TargetFar Difference           Verdict
------ ------ ------ --------- ----------           -------
dingo  eagle  Tar    0.01      -0.46166666666666667 B better
dingo  eagle  Eer    NaN       0.22722649572649573  B better
'@
            Remarks = 'Every property goes into the file, one row per comparison.'
        }
    )
    Links       = @('Measure-FaceVerification', 'Import-FaceEmbedding', 'about_FaceEval')
}
