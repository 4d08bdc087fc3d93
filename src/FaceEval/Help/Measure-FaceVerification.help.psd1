@{
    Synopsis    = 'Measures face verification accuracy per model: AUC, EER, TAR at target FARs, k-fold accuracy, d'' and score statistics.'
    Description = @(
        'Measure-FaceVerification turns embeddings (with Identity and Model) or scored pairs (Score and IsMatch) into one VerificationResult per model, computed exactly on every score (no binning). From embeddings it scores every genuine and impostor pair by cosine similarity of the vectors as returned (their dot product, never re-normalised; a warning counts norms off 1 by more than 0.001), or only the pairs of -PairList (LFW pairs.txt, or a CSV with Reference,Difference,IsMatch[,Fold]). Several models in the input give one result each, meant to be read side by side on the same pairs: when their inputs differ (one model has items another lacks, as when some images failed for one model only, or items were left out for errors), a warning says once which models differ and how (counts, and the items each lacks, matched by identity and file name without folder or extension; failures to enrol count as present), and the report''s settings say so too.'
        'Conventions: FAR (= FMR) is the share of impostor pairs accepted, TAR the share of genuine pairs accepted, FRR = 1 - TAR, and a pair is accepted when its score is at least the threshold. TAR at a target FAR uses the lowest threshold whose FAR is at most the target (never above it) and reports the Threshold, Tar, AchievedFar, FalseAccepts and Estimable (at least 1/target impostor pairs; a target the data cannot measure draws a warning with the pairs it needs, and shows n/e); result.At(1e-3) returns the point of one target; -Convention InsightFace instead reproduces the InsightFace IJB 1:1 script (scikit-learn roc_curve points, the nearest FPR), to compare with published tables. EER is taken at the midpoint between distinct scores that minimises |FAR - FRR|. AUC is the Mann-Whitney statistic, ties counting one half. k-fold accuracy (LFW style) chooses each fold''s threshold on the other folds by accuracy.'
        'Failures to enrol (a FaceEmbedding with an empty Vector) are counted; by default their pairs score as rejections at every threshold (NIST), and -FailureToEnrol Exclude leaves them out. An input that cannot take part is an error about that input alone, which names it, and the rest of its model is measured: one without an Identity (MissingIdentity), a vector with a NaN or infinite value (InvalidEmbedding), or a vector whose dimension differs from the one most of the model''s embeddings have (DimensionMismatch; when no dimension has a majority, the model cannot be measured). A model that cannot be measured at all (a single embedding, one identity, no usable embedding) is one CannotMeasure error about that model, and the other models are still measured; the command stops only when no model can be measured. -ImpostorSample scores every genuine pair and a seeded sample of impostor pairs; -BootstrapCount adds confidence intervals by resampling identities; -TransferCheck checks that a threshold chosen on some identities holds its FAR on others; -Calibrate turns scores into log-likelihood ratios and probabilities, with Cllr and MinCllr in bits.'
        'Scale: all pairs are measured without storing their scores whenever nothing needs them stored: every genuine score is kept, impostor scores are counted per bucket of their float key (2^20 buckets, 2,048 per octave), and a second scoring pass counts the exact values in the few buckets an answer depends on (each target FAR''s threshold, the EER crossing, the histogram''s bin edges, the nearest ROC point of -Convention InsightFace). Threshold, TAR, achieved FAR, false accepts, EER, AUC and the histogram are exactly those of sorting every score; the ROC (-RocPath, plots) is sampled at the counted buckets. Memory grows with the embeddings and the genuine pairs, not with the square of the set: 100,000 embeddings (5 x 10^9 pairs) fit in well under 2 GB. k-fold accuracy still needs every score stored and sorted: it is measured up to 100,000,000 pairs (about 14,000 embeddings) and skipped above, with a warning (-FoldCount 0 leaves it out quietly and is what makes a run count instead of sort). -BootstrapCount, -TransferCheck, -Calibrate and -ImpostorSample store the scores as before.'
        'Beyond one machine: -PairBlock i/n counts only block i of n of the pair space (whole blocks of 64 rows, about the same number of pairs each, so a pair scores bit for bit as in one run) and -SaveState writes the counts to a versioned state file; Merge-FaceVerificationState combines the n files into the results of one run. Every block must read the same embeddings in the same order (a fingerprint of them is in each file and a mismatch is refused) with the same -FarTarget, -Convention and -FailureToEnrol. When the merged counts need the second pass, Merge-FaceVerificationState writes a plan file and each block runs once more with -Plan (its first-pass counts are read back from its state file). Run the blocks with Start-ThreadJob, Invoke-Command -ComputerName, or any scheduler.'
        'Outputs besides the results: -RocPath (CSV of the ROC), -PlotPath (a folder with roc, det and scores figures, each as PNG and SVG, one colour per model: the ROC on a log FAR axis, the DET with FRR and FAR both logarithmic, the genuine and impostor score densities) and -ReportPath (one self-contained HTML page with the settings, data counts, failures to enrol, summary and TAR-at-FAR tables side by side, and the plots embedded, for a reviewer to open offline; it names no endpoint). A file that cannot be written (a folder or a file in the way, no permission, a drive that does not exist, a path on another provider such as Variable:) is one non-terminating error (RocFailed, PlotFailed, ReportFailed) whose target is the path as you gave it, each plot file on its own, and the results are still returned. Missing folders are created. A -PlotPath that looks like a file name (roc.png) and a -ReportPath that does not end in .html draw a warning. Piped .npy files stop the command with one EmbeddingFileInput error: read them with Import-FaceEmbedding first.'
    )
    Parameters  = @{
        InputObject   = 'FaceEmbedding objects (Identity, Model, Vector), or scored pairs with Score (or Similarity) and IsMatch (true/false or 1/0, or SameIdentity), optionally Model and Fold: Import-Csv scores.csv works.'
        FarTarget     = @{ Description = 'The target FARs for TAR (alias: -FarTarget).'; Default = '1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6' }
        Convention    = @{ Description = 'Strict (never above the target) or InsightFace (the IJB 1:1 script''s nearest point).'; Default = 'Strict' }
        FailureToEnrol = @{ Description = 'Reject: pairs with a failure to enrol count as rejections. Exclude: they are left out.'; Default = 'Reject' }
        PairList      = 'Measure only these pairs: LFW pairs.txt (keys name_000n, matched to file stems) or a CSV with Reference,Difference,IsMatch[,Fold] (matched to full paths, file names or stems). Folds in the list are used for the k-fold accuracy (a list of one fold falls back to -FoldCount shuffled folds, with a warning). The LFW header is checked against the lines that follow (''10 300'' is 10 folds of 300 matched and 300 mismatched pairs, 6,000 lines; a single count N is N matched and N mismatched pairs); CSV fields may be quoted (RFC 4180). A malformed list stops the command with one PairListInvalid error naming the file, the line (as an editor numbers it) and what is wrong.'
        BootstrapCount = @{ Description = 'Bootstrap replicates (alias: -BootstrapCount) for confidence intervals on TAR at each target FAR (strict rule, whatever -Convention) and on EER: the identities are drawn with replacement (seeded by -Seed): an identity drawn c times counts its genuine pairs c times and an impostor pair of identities drawn c and d times counts c x d times; the bounds are percentiles of the replicates (TarLow/TarHigh on each operating point, EerLow/EerHigh on the result). The strict threshold at each target is chosen again on each replicate, and its percentile interval is ThresholdLower/ThresholdUpper on each operating point (NaN without a bootstrap): how far the operating threshold moves when the people are drawn again. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs); every pair is held with its identities, about 12 bytes a pair. 0 for none.'; Default = '0' }
        TransferCheck = @{ Description = 'Seeded splits (K) of the identities for the threshold transfer check, the a-priori threshold check of biometric practice (development/evaluation split by identity, ISO/IEC 19795-1 / bob.measure''s dev/eval): for each split the identities are shuffled (seeded by -Seed) into two halves, the strict threshold at each target FAR is chosen on one half (genuine pairs of its identities and impostor pairs within it) and applied to the other half, in both directions. Each operating point gets TransferFarRatio (median over the transfers of FAR on the unseen half / target: 1 when the threshold holds its FAR on new people, above 1 when it lets more impostors through), TransferFarRatioMax (the largest such ratio) and TransferTar (median TAR on the unseen half at the transferred threshold); they are NaN when not computed; TransferSplits on the result is K. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs). 20 is a sensible K; 0 for none.'; Default = '0' }
        Calibrate     = @{ Description = 'Calibrate the scores into log-likelihood ratios, llr = Slope x score + Intercept (natural log, a linear logistic fit on every scored pair), as VerificationResult.Calibration (null without it): Cllr, the cost of log-likelihood ratios in bits (Brummer and du Preez 2006, Application-independent evaluation of speaker detection, Computer Speech and Language 20): 0 is perfect, 1 is a system that always says llr = 0; it is measured on a two-fold cross-fit over identities (the map of one half judges the other, halves seeded by -Seed). MinCllr (bits) is the least Cllr any monotone map of the scores reaches on the same pairs (pool-adjacent-violators), and CalibrationLoss = Cllr - MinCllr is what a better calibration could still gain. $r.Calibration.Probability(score, prior) is the probability that a pair with that score is genuine when a prior fraction of pairs is (0.5: as likely as not); $r.Calibration.Llr(score) is the log-likelihood ratio. Pairs with a failure to enrol have no score and are left out. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs).' }
        ConfidenceLevel = @{ Description = 'Level of the bootstrap intervals.'; Default = '0.95' }
        ImpostorSample = 'From embeddings, score every genuine pair but only this many impostor pairs, drawn uniformly without replacement (seeded by -Seed; the same seed gives the same pairs). With fewer impostor pairs than that, all are used. FAR targets below 1 / N are then not estimable.'
        FoldCount     = @{ Description = 'Folds for the k-fold accuracy (alias: -FoldCount) when the input defines none; 0 skips it (KFoldAccuracy is then NaN). On all pairs of a large set the pairs are mostly impostors, so k-fold accuracy says little there and costs a few seconds per 50 million pairs.'; Default = '10' }
        Seed          = @{ Description = 'Seed of the fold assignment, of -ImpostorSample, of -BootstrapCount, of the -TransferCheck splits and of the -Calibrate halves.'; Default = '0' }
        RocPath       = 'Write the ROC (model, threshold, far, tar at every distinct score) to this CSV file. Model names are quoted (RFC 4180), and one a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a line break) gets a leading apostrophe.'
        PlotPath      = 'Write roc.png/.svg, det.png/.svg and scores.png/.svg into this folder (created when missing; files of the same names are replaced).'
        ReportPath    = 'Write a self-contained HTML report (tables, plots embedded as PNG, settings, counts) to this file.'
        PairBlock     = 'Count only block i of n of the pair space, written i/n (2/4 is the second of four): for a run split over processes or machines. Needs -SaveState; merge the blocks with Merge-FaceVerificationState. Writes no result.'
        SaveState     = 'Write the counts of this run (or of its -PairBlock) to this verification state file (format version 1), for Merge-FaceVerificationState. A whole run (no -PairBlock) still writes its results, and its state merges alone into the same results.'
        Plan          = 'A plan file written by Merge-FaceVerificationState: count the exact values of its buckets for this block, reading the block''s first-pass counts back from its -SaveState file when it holds them.'
        WhatIf        = 'Shows the files -RocPath, -PlotPath, -ReportPath and -SaveState would write, without writing them.'
        Confirm       = 'Asks before writing each of those files.'
    }
    Inputs      = @(
        @{ Type = 'FaceEval.FaceEmbedding'; Description = 'Embeddings with Identity and Model.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Scored pairs with Score and IsMatch.' }
    )
    Outputs     = @(@{ Type = 'FaceEval.VerificationResult'; Description = 'Model, GenuinePairs, ImpostorPairs, FailureToEnrol, Auc, Eer, EerThreshold, OperatingPoints (Model, TargetFar, Threshold, Tar, Frr, AchievedFar, FalseAccepts, Estimable, TarLow/TarHigh and ThresholdLower/ThresholdUpper when bootstrapped, TransferFarRatio/TransferFarRatioMax/TransferTar with -TransferCheck, else NaN), EerLow/EerHigh, TransferSplits, Calibration (with -Calibrate: Slope, Intercept, Cllr, MinCllr, CalibrationLoss, Llr(score), Probability(score, prior)), BootstrapReplicates, ConfidenceLevel, KFoldAccuracy, KFoldStd, DPrime, genuine and impostor mean and std, Roc.' })
    Examples    = @(
        @{
            Title   = 'From a CSV of scores'
            Code    = @'
@(
    [pscustomobject]@{ Score = 0.9; IsMatch = 1 }, [pscustomobject]@{ Score = 0.8; IsMatch = 1 }, [pscustomobject]@{ Score = 0.6; IsMatch = 1 }
    [pscustomobject]@{ Score = 0.7; IsMatch = 0 }, [pscustomobject]@{ Score = 0.5; IsMatch = 0 }, [pscustomobject]@{ Score = 0.4; IsMatch = 0 }, [pscustomobject]@{ Score = 0.3; IsMatch = 0 }
) | Export-Csv ./scores.csv
(Import-Csv ./scores.csv | Measure-FaceVerification -FarTarget 0.25, 0.1 -FoldCount 2).OperatingPoints
'@
            Output  = @'
WARNING: 4 impostor pairs cannot measure FAR 1e-1: FAR 1e-1 needs at least 10. Those points show n/e.

Model TargetFar Threshold      TAR Interval AchievedFar FalseAccepts
----- --------- ---------      --- -------- ----------- ------------
         2.5e-1    0.6000 100.00 %               2.5e-1            1
           1e-1    0.8000      n/e                  0e0            0
'@
            Remarks = 'At FAR 0.25 the threshold 0.6 accepts every genuine pair and one impostor of four; FAR 0.1 cannot be measured on 4 impostor pairs, so its TAR shows n/e.'
        }
        @{
            Title   = 'Measure the demo''s two models side by side'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Measure-FaceVerification -FarTarget 1e-2, 1e-3, 1e-5
'@
            Output  = @'
WARNING: Model 'dingo': 78,000 impostor pairs cannot measure FAR 1e-5: FAR 1e-5 needs at least 100,000. Those points show n/e.
WARNING: Model 'eagle': 78,000 impostor pairs cannot measure FAR 1e-5: FAR 1e-5 needs at least 100,000. Those points show n/e.

Model Genuine Impostor FTE    AUC     EER TAR@FAR1e-2 TAR@FAR1e-3 TAR@FAR1e-5 KFoldAcc
----- ------- -------- ---    ---     --- ----------- ----------- ----------- --------
dingo   1,800   78,000   0 0.8392 23.11 %     53.67 %     40.00 %         n/e  98.55 %
eagle   1,800   78,000   0 0.9999  0.39 %     99.83 %     98.28 %         n/e  99.90 %
'@
            Remarks = 'Every genuine and impostor pair of the 400 ORL photos, one row per model; the TAR columns follow -FarTarget.'
        }
        @{
            Title   = 'Operating points with confidence intervals, and one point by its target'
            Code    = @'
$eagle = Get-ChildItem ./out/demo/embeddings/eagle -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -FarTarget 1e-2, 1e-3 -FoldCount 0 -BootstrapCount 200 -Seed 1
$eagle.OperatingPoints
$eagle.At(1e-3) | Format-List Threshold, Tar, TarLow, TarHigh, FalseAccepts
'{0:P2} EER, 95 % interval {1:P2} to {2:P2}' -f $eagle.Eer, $eagle.EerLow, $eagle.EerHigh
'@
            Output  = @'
Model TargetFar Threshold     TAR          Interval AchievedFar FalseAccepts
----- --------- ---------     ---          -------- ----------- ------------
eagle      1e-2    0.9196 99.83 % [99.4 %, 100.0 %]        1e-2          780
eagle      1e-3    0.9344 98.28 %  [96.3 %, 99.8 %]        1e-3           78

Threshold    : 0.934399485588074
Tar          : 0.982777777777778
TarLow       : 0.963319444444445
TarHigh      : 0.997791666666667
FalseAccepts : 78

0.39 % EER, 95 % interval 0.17 % to 0.72 %
'@
            Remarks = '200 bootstrap replicates over the people, at the default 95 % level; the same -Seed gives the same intervals.'
        }
        @{
            Title   = 'Does the threshold hold on new people, and what does a score mean'
            Code    = @'
$eagle = Get-ChildItem ./out/demo/embeddings/eagle -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -FarTarget 1e-2, 1e-3 -FoldCount 0 -TransferCheck 20 -Calibrate -Seed 1
$eagle.At(1e-2) | Format-List TargetFar, Threshold, TransferFarRatio, TransferFarRatioMax, TransferTar
$eagle.Calibration | Format-List Cllr, MinCllr, CalibrationLoss
'P(genuine) at score 0.93: {0:P1} for a prior of 0.5, {1:P1} for a prior of 0.01' -f $eagle.Calibration.Probability(0.93, 0.5), $eagle.Calibration.Probability(0.93, 0.01)
'@
            Output  = @'
TargetFar           : 0.01
Threshold           : 0.919574499130249
TransferFarRatio    : 1.02368421052632
TransferFarRatioMax : 3.93684210526316
TransferTar         : 0.998888888888889

Cllr            : 0.0218708892306292
MinCllr         : 0.0175409091938546
CalibrationLoss : 0.00432998003677458

P(genuine) at score 0.93: 77.7 % for a prior of 0.5, 3.4 % for a prior of 0.01
'@
            Remarks = 'Over 20 seeded splits of the 40 people into halves, the threshold for FAR 1e-2 chosen on one half lets through about the intended share of impostors on the other (median ratio near 1), though on an unlucky split several times more: with 20 people per half the impostor pairs of a few look-alike people weigh heavily. Cllr and MinCllr are in bits (0 is perfect); the small CalibrationLoss says a linear map of the scores is nearly the best monotone one. The same score means a genuine pair far less often when genuine pairs are rare.'
        }
        @{
            Title   = 'Plots, a report and CSV files to share'
            Code    = @'
$results = Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -FarTarget 1e-2, 1e-3 -FoldCount 0 -PlotPath ./plots -ReportPath ./report.html -RocPath ./roc.csv
$results | Select-Object Model, Auc, Eer, EerThreshold | Export-Csv ./summary.csv
$results.OperatingPoints | Export-Csv ./operating-points.csv
Import-Csv ./operating-points.csv | Format-Table Model, TargetFar, Threshold, Tar
'@
            Output  = @'
Model TargetFar Threshold          Tar
----- --------- ---------          ---
dingo 0.01      0.7370343208312988 0.5366666666666666
dingo 0.001     0.7674165368080139 0.4
eagle 0.01      0.919574499130249  0.9983333333333333
eagle 0.001     0.9343994855880737 0.9827777777777778
'@
            Remarks = 'plots/ holds roc, det and scores as PNG and SVG; open report.html in a browser (it works offline and names no endpoint); roc.csv holds the ROC of each model. The operating points export with their model, one row each.'
        }
    )
    Links       = @('Compare-FaceEmbedding', 'Invoke-FaceEmbedding', 'about_FaceEval')
}
