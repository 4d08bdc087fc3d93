@{
    Synopsis    = 'Measures face verification accuracy per model: AUC, EER, TAR at target FARs, k-fold accuracy, d'' and score statistics.'
    Description = @(
        'Measure-FaceVerification turns embeddings (with Identity and Model) or scored pairs (Score and IsMatch) into one VerificationResult per model, computed exactly on every score (no binning). From embeddings it scores every genuine and impostor pair by cosine similarity of the vectors as returned (their dot product, never re-normalised; a warning counts norms off 1 by more than 0.001), or only the pairs of -PairList (LFW pairs.txt, or a CSV with Reference,Difference,IsMatch[,Fold]). Several models in the input give one result each, meant to be read side by side on the same pairs: when their inputs differ (one model has items another lacks, as when some images failed for one model only, or items were left out for errors), a warning says once which models differ and how (counts, and the items each lacks, matched by identity and file name without folder or extension; failures to enrol count as present), and the report''s settings say so too.'
        'Conventions: FAR (= FMR) is the share of impostor pairs accepted, TAR the share of genuine pairs accepted, FRR = 1 - TAR, and a pair is accepted when its score is at least the threshold. TAR at a target FAR uses the lowest threshold whose FAR is at most the target (never above it) and reports the Threshold, Tar, AchievedFar, FalseAccepts and Estimable (at least 1/target impostor pairs; a target the data cannot measure draws a warning with the pairs it needs, and shows n/e); result.At(1e-3) returns the point of one target; -Convention InsightFace instead reproduces the InsightFace IJB 1:1 script (scikit-learn roc_curve points, the nearest FPR), to compare with published tables. EER is taken at the midpoint between distinct scores that minimises |FAR - FRR|. AUC is the Mann-Whitney statistic, ties counting one half. k-fold accuracy follows the cross-validation of the LFW protocol (Huang et al. 2007, Labeled Faces in the Wild, UMass TR 07-49) as InsightFace''s verification script applies it (each fold''s threshold is the one with the best accuracy on the other folds), with the threshold found exactly among the scores instead of on InsightFace''s 0.01 grid: for each fold, the lowest threshold with the best training accuracy, moved down to the middle of the gap below it, and accuracy is measured on the fold; KFoldAccuracy and KFoldStd are the mean and population standard deviation over the folds. Without folds from a pair list, pairs are numbered in scoring order (genuine failures to enrol, impostor failures, then the genuine pairs and the impostor pairs as scored: row i with every later row j) and each pair''s fold is a seeded hash of its number (-Seed), independent of its score; a failure to enrol takes part as a score below every threshold.'
        'Failures to enrol (a FaceEmbedding with an empty Vector) are counted; by default their pairs score as rejections at every threshold (NIST), and -FailureToEnrol Exclude leaves them out. An input that cannot take part is an error about that input alone, which names it, and the rest of its model is measured: one without an Identity (MissingIdentity), a vector with a NaN or infinite value (InvalidEmbedding), or a vector whose dimension differs from the one most of the model''s embeddings have (DimensionMismatch; when no dimension has a majority, the model cannot be measured). A model that cannot be measured at all (a single embedding, one identity, no usable embedding) is one CannotMeasure error about that model, and the other models are still measured; the command stops only when no model can be measured. -ImpostorSample scores every genuine pair and a seeded sample of impostor pairs; -BootstrapCount adds confidence intervals by resampling identities; -TransferCheck checks that a threshold chosen on some identities holds its FAR on others; -Calibrate turns scores into log-likelihood ratios and probabilities, with Cllr and MinCllr in bits.'
        'Scale: all pairs are measured without storing their scores whenever nothing needs them stored: every genuine score is kept, impostor scores are counted per bucket of their float key (2^20 buckets, 2,048 per octave), and a second scoring pass counts the exact values in the few buckets an answer depends on (each target FAR''s threshold, the EER crossing, the histogram''s bin edges, the nearest ROC point of -Convention InsightFace). Threshold, TAR, achieved FAR, false accepts, EER, AUC and the histogram are exactly those of sorting every score; the ROC (-RocPath, plots) is sampled at the counted buckets. Memory grows with the embeddings and the genuine pairs, not with the square of the set: 100,000 embeddings (5 x 10^9 pairs) fit in well under 2 GB. k-fold accuracy reads the impostor scores themselves: up to 100,000,000 pairs (about 14,000 embeddings) the counting pass keeps them (4 bytes a pair) and k-fold scans them three times without sorting (per-fold bucket counts, the exact scores of the few buckets that can hold a fold''s best threshold, then each fold''s accuracy), so a run with k-fold counts too from 1,000,000 pairs (about 1,400 embeddings; smaller runs sort, with the same numbers); above 100,000,000 pairs k-fold is skipped with a warning (-FoldCount 0 leaves it out quietly). -BootstrapCount, -IntervalMethod, -TransferCheck, -Calibrate, -GroupBy and -ImpostorSample store the scores as before: above 100,000,000 pairs with a warning of the memory it takes, and above 2,147,483,591 pairs (65,537 embeddings), more than one array holds, the model stops with a CannotMeasure error that says to give -ImpostorSample (every genuine pair and a uniform sample of the impostors) or to leave those options out.'
        'Beyond one machine: -PairBlock i/n counts only block i of n of the pair space (whole blocks of 64 rows, about the same number of pairs each, so a pair scores bit for bit as in one run) and -SaveState writes the counts to a versioned state file; Merge-FaceVerificationState combines the n files into the results of one run. Every block must read the same embeddings in the same order (a fingerprint of them is in each file and a mismatch is refused) with the same -FarTarget, -Convention and -FailureToEnrol. When the merged counts need the second pass, Merge-FaceVerificationState writes a plan file and each block runs once more with -Plan (its first-pass counts are read back from its state file). Run the blocks with Start-ThreadJob, Invoke-Command -ComputerName, or any scheduler.'
        'Outputs besides the results: -RocPath (CSV of the ROC), -PlotPath (a folder with roc, det and scores figures, each as PNG and SVG, one colour per model: the ROC on a log FAR axis, the DET with FRR and FAR both logarithmic, the genuine and impostor score densities) and -ReportPath (one self-contained HTML page with the settings, data counts, failures to enrol, summary and TAR-at-FAR tables side by side, and the plots embedded, for a reviewer to open offline; it names no endpoint). A file that cannot be written (a folder or a file in the way, no permission, a drive that does not exist, a path on another provider such as Variable:) is one non-terminating error (RocFailed, PlotFailed, ReportFailed) whose target is the path as you gave it, each plot file on its own, and the results are still returned. Missing folders are created. A -PlotPath that looks like a file name (roc.png) and a -ReportPath that does not end in .html draw a warning. Piped .npy files stop the command with one EmbeddingFileInput error: read them with Import-FaceEmbedding first.'
        'Who does it fail: -GroupBy Sex, AgeBand breaks each model''s errors down by demographic group, as NIST''s FRVT demographic-differential reports do (NISTIR 8280; summarised in FRVT Part 8, NISTIR 8429) and ISO/IEC 19795-10 asks evaluations to report, on your own people. One global threshold T* for everyone, as a deployment configures it: the strict threshold at -GroupFar over all impostor pairs (the lowest threshold whose FMR is at most the target; a score equal to the threshold is a match; failures to enrol are rejections unless -FailureToEnrol Exclude). Per group d of each attribute (VerificationResult.Groups, one GroupRate per group): FMR_d over the impostor pairs with both images in d and FNMR_d over the genuine pairs with both images in d, at T*; the counts of identities, images, failures to enrol, genuine and impostor pairs, false matches and non-matches; GroupThreshold, the strict threshold the group alone would need for the target, and ThresholdShift = GroupThreshold - T* (above 0: the group needs a stricter threshold). CrossGroupFmr (CrossGroupRate rows) holds FMR_{d,e} over the impostor pairs with one image in d and one in e (and d = e, the group''s own). A rate is n/e (NaN, with FmrEstimable or FnmrEstimable false) when its group has fewer than 1/GroupFar impostor pairs (FMR) or no genuine pair (FNMR), never a bare 0; a zero rate that is estimable comes with its rule-of-three 95 % upper bound 3/n (FmrRuleOfThree, FnmrRuleOfThree). Genuine pairs whose two images fall in different groups belong to neither group''s FNMR.'
        'The summary indices per attribute (VerificationResult.GroupIndices; FmrInequity, FnmrInequity and Fdr on the result are the one attribute''s, or the worst over several): FmrInequity = max_d FMR_d / geometric mean_d FMR_d over the groups with an estimable FMR, NIST''s max/geomean ratio (1 is parity; FnmrInequity likewise), not estimable (NaN) with fewer than two such groups or when a rate is 0, which the Note says with the rule-of-three bound 3/n; and the fairness discrepancy rate Fdr = 1 - (a x max|FMR_i - FMR_j| + (1 - a) x max|FNMR_i - FNMR_j|) with a = 0.5 (Pereira and Marcel, Fairness in biometrics: a figure of merit to assess biometric verification systems, IEEE T-BIOM 2022), 1 is parity. With -BootstrapCount each group''s FMR and FNMR and the indices get percentile intervals (FmrLow/FmrHigh, FnmrLow/FnmrHigh, FmrInequityLow/High, FnmrInequityLow/High, FdrLow/FdrHigh): in each replicate every group draws its own identities with replacement, at the same T*. Values come from the embeddings'' own properties (columns of the detections CSV travel through Get-FaceCrop, Invoke-FaceEmbedding, and the run manifest to Import-FaceEmbedding), or from -AttributePath, a CSV with an Identity column and attribute columns joined on identity; an image''s own value wins. Images without a value for an attribute are left out of its breakdown with a warning; an attribute no image has stops the command (GroupAttributeMissing); a malformed attribute file stops it (AttributeFileInvalid). The report gets a Subgroups section per attribute: the table, a heat map of log10 cross-group FMR (at or below the target in blue, above it yellow to dark red), the groups'' DET curves on one plot, and the indices with their definitions. The breakdown reuses the pairs'' scores (nothing is scored twice) and keeps one copy of them while it runs.'
    )
    Parameters  = @{
        InputObject   = 'FaceEmbedding objects (Identity, Model, Vector), or scored pairs with Score (or Similarity) and IsMatch (true/false or 1/0, or SameIdentity), optionally Model and Fold: Import-Csv scores.csv works.'
        FarTarget     = @{ Description = 'The target FARs for TAR (alias: -FarTarget).'; Default = '1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6' }
        Convention    = @{ Description = 'Strict (never above the target) or InsightFace (the IJB 1:1 script''s nearest point).'; Default = 'Strict' }
        FailureToEnrol = @{ Description = 'Reject: pairs with a failure to enrol count as rejections. Exclude: they are left out.'; Default = 'Reject' }
        PairList      = 'Measure only these pairs: LFW pairs.txt (keys name_000n, matched to file stems) or a CSV with Reference,Difference,IsMatch[,Fold] (matched to full paths, file names or stems). Folds in the list are used for the k-fold accuracy (a list of one fold falls back to -FoldCount shuffled folds, with a warning). The LFW header is checked against the lines that follow (''10 300'' is 10 folds of 300 matched and 300 mismatched pairs, 6,000 lines; a single count N is N matched and N mismatched pairs); CSV fields may be quoted (RFC 4180). A malformed list stops the command with one PairListInvalid error naming the file, the line (as an editor numbers it) and what is wrong.'
        BootstrapCount = @{ Description = 'Bootstrap replicates (alias: -BootstrapCount) for confidence intervals on TAR at each target FAR (strict rule, whatever -Convention) and on EER: the identities are drawn with replacement (seeded by -Seed): an identity drawn c times counts its genuine pairs c times and an impostor pair of identities drawn c and d times counts c x d times; TarLow/TarHigh on each operating point and EerLow/EerHigh on the result are then the intervals of -IntervalMethod (Wilson by default, whose EER uses the replicates'' variance next to the jackknife''s; -IntervalMethod Percentile gives the percentiles of the replicates as before). The strict threshold at each target is chosen again on each replicate, and its percentile interval is ThresholdLower/ThresholdUpper on each operating point (NaN without a bootstrap): how far the operating threshold moves when the people are drawn again. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs); every pair is held with its identities, about 12 bytes a pair. 0 for none.'; Default = '0' }
        TransferCheck = @{ Description = 'Seeded splits (K) of the identities for the threshold transfer check, the a-priori threshold check of biometric practice (development/evaluation split by identity, ISO/IEC 19795-1 / bob.measure''s dev/eval): for each split the identities are shuffled (seeded by -Seed) into two halves, the strict threshold at each target FAR is chosen on one half (genuine pairs of its identities and impostor pairs within it) and applied to the other half, in both directions. Each operating point gets TransferFarRatio (median over the transfers of FAR on the unseen half / target: 1 when the threshold holds its FAR on new people, above 1 when it lets more impostors through), TransferFarRatioMax (the largest such ratio) and TransferTar (median TAR on the unseen half at the transferred threshold); they are NaN when not computed; TransferSplits on the result is K. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs). 20 is a sensible K; 0 for none.'; Default = '0' }
        Calibrate     = @{ Description = 'Calibrate the scores into log-likelihood ratios, llr = Slope x score + Intercept (natural log, a linear logistic fit on every scored pair), as VerificationResult.Calibration (null without it): Cllr, the cost of log-likelihood ratios in bits (Brummer and du Preez 2006, Application-independent evaluation of speaker detection, Computer Speech and Language 20): 0 is perfect, 1 is a system that always says llr = 0; it is measured on a two-fold cross-fit over identities (the map of one half judges the other, halves seeded by -Seed). MinCllr (bits) is the least Cllr any monotone map of the scores reaches on the same pairs (pool-adjacent-violators), and CalibrationLoss = Cllr - MinCllr is what a better calibration could still gain. $r.Calibration.Probability(score, prior) is the probability that a pair with that score is genuine when a prior fraction of pairs is (0.5: as likely as not); $r.Calibration.Llr(score) is the log-likelihood ratio. Pairs with a failure to enrol have no score and are left out. Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs).' }
        GroupBy       = 'Attributes to break the results down by, such as Sex, AgeBand or Region: per group FMR and FNMR at one global threshold, cross-group FMR, and the NIST max/geomean and FDR indices (see the description). Needs embeddings and all pairs (not -ImpostorSample, -PairList or scored pairs).'
        GroupFar      = @{ Description = 'The target FMR of the global threshold T* of -GroupBy (the strict threshold over all impostor pairs), of each group''s GroupThreshold, and of the estimability rule (a group''s FMR needs 1/GroupFar impostor pairs). NIST''s report cards use 1e-4.'; Default = '1e-3' }
        AttributePath = 'A CSV with an Identity column and attribute columns (Identity,Sex,AgeBand), one row per identity, joined to the embeddings on their Identity for -GroupBy. A value the embedding carries itself wins over its identity''s.'
        ConfidenceLevel = @{ Description = 'Level of the two-sided intervals and, separately, of the one-sided upper bounds FnmrUpper and EerUpper.'; Default = '0.95' }
        IntervalMethod = @{ Description = 'Asks for confidence intervals of TAR (FNMR = 1 - TAR) at each target FAR (strict rule) and of the EER, and names how they are computed; -BootstrapCount alone also asks for them, by the default. Every method treats the identity as the unit, since pairs that share a person are not independent. Wilson (default): the Wilson score interval (Wilson 1927) on the effective number of pairs n_eff = p(1 - p) / V, i.e. the design effect of the identity clustering (Schuckers 2010, Computational Methods in Biometric Authentication) together with the threshold''s own variability; V is the leave-one-identity-out jackknife variance of the rate (the threshold chosen again each time) and, with fewer than 300 identities, the larger of that and the variance of the rate over identity-bootstrap replicates (-BootstrapCount, or 200 when not given), because the jackknife underestimates the variance of a threshold read at a target FAR and of a crossing point (Efron and Tibshirani 1993, section 11.6) and the coverage study (bench/coverage, bench/README.md) found the jackknife alone optimistic for FNMR and the EER with 5 or more images per identity and up to 100 identities (most misses on the side of too low an error rate), and at the level from 300; n_eff is then shrunk by Korn and Graubard''s degrees-of-freedom factor (z / t with identities - 1 degrees of freedom) squared. ClopperPearson: the exact binomial interval (Clopper and Pearson 1934) on the same n_eff, wider. Bca: bias-corrected and accelerated bootstrap over identities (Efron 1987), acceleration from the identity jackknife. Percentile: the percentile identity bootstrap, the only method before, optimistic near 0 and 1. Bca and Percentile draw -BootstrapCount replicates (1,000 when not given). When no error is observed (TAR 100 %, EER 0) every method reports [0, U] with U = 1 - (1 - level)^(1/n0), the clustered rule of three (about 3/n0 at 95 %), n0 = N / m0 with m0 = sum of m_i^2 / N over the genuine pairs m_i of each identity (about one pair per identity): never an interval of width zero. OperatingPoint.FnmrUpper and VerificationResult.EerUpper are the one-sided upper bounds at -ConfidenceLevel, the form error-rate claims are written in ("FNMR at most x with 95 % confidence"). IntervalApproximate / EerIntervalApproximate is true, with a warning, where the coverage study (bench/coverage, results in bench/README.md) found the level not held within 93 to 97 %: fewer than 30 identities, or fewer than 10 expected errors (rate x n_eff), and for the EER also where the identities have about one genuine pair each (m0 below 2: two images per person), where its interval is conservative (97 to 99 % in the study). Needs embeddings and all pairs.'; Default = 'Wilson (when intervals are asked for)' }
        ImpostorSample = 'From embeddings, score every genuine pair but only this many impostor pairs, drawn uniformly without replacement (seeded by -Seed; the same seed gives the same pairs). With fewer impostor pairs than that, all are used. FAR targets below 1 / N are then not estimable.'
        FoldCount     = @{ Description = 'Folds for the k-fold accuracy (alias: -FoldCount) when the input defines none; 0 skips it (KFoldAccuracy is then NaN). On all pairs of a large set the pairs are mostly impostors, so k-fold accuracy says little there; it costs about half a second per 50 million pairs on 2 cores and is skipped (with a warning) above 100,000,000 pairs.'; Default = '10' }
        Seed          = @{ Description = 'Seed of the fold assignment, of -ImpostorSample, of -BootstrapCount, of the -TransferCheck splits and of the -Calibrate halves.'; Default = '0' }
        RocPath       = 'Write the ROC (model, threshold, far, tar at every distinct score) to this CSV file. Model names are quoted (RFC 4180), and one a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a line break) gets a leading apostrophe.'
        PlotPath      = 'Write roc.png/.svg, det.png/.svg and scores.png/.svg into this folder (created when missing; files of the same names are replaced); with -GroupBy also subgroups-<attribute>-<model>-heatmap and -det for each attribute and model.'
        ReportPath    = 'Write a self-contained HTML report (tables, plots embedded as PNG, settings, counts) to this file. With embeddings of two or more models on all their pairs it opens with a Decision section: the models compared pair for pair as Compare-FaceModel compares them (paired identity bootstrap with -BootstrapCount replicates, or 1000 when fewer than 100 are given; Holm-adjusted p; one sentence per pair of models and target), the comparison table, each model''s thresholds with their interval and -TransferCheck figures, and the -Calibrate figures with a reliability diagram.'
        ShareablePath = 'Write a second report for people outside the evaluation agreement: every model under a stable alias (Model A, Model B, ... in the order of the results; the key is a section of the -ReportPath report only), and no identities, file names, thresholds, calibration slopes or score distributions (the vendor''s scores stay within the agreement); rates, intervals, the Decision sentences, ROC and DET plots stay. Before it is written, the page is searched for every model name, identity and file name of the input (whole words, any case; names without a letter are not searched): if one is found the report is not written and a ShareableReportLeak error names it. Every -ReportPath report says on its first line that it is confidential under the agreement.'
        RunManifest   = 'Run manifests (manifest.jsonl, or the output folders of Invoke-FaceEmbedding that hold them) of the runs that made the embeddings: the report gets a Service section with the account Measure-FaceEmbeddingRun gives (outcomes, retries, 429s, nearest-rank latency percentiles, throughput, rate-limit waits, canary findings) and a latency histogram. Needs -ReportPath.'
        FailureGallery = @{ Description = 'Puts faces in the report (needs -ReportPath): per model, the K lowest-scoring genuine pairs and the K highest-scoring impostor pairs over every pair of its usable embeddings (scored as Compare-FaceEmbedding scores them, ties in input order), each with thumbnails of both images, identities, file names (without folders), score and whether the strict threshold of the first estimable FAR target accepts it; the other models'' scores on the same two images side by side (do they fail on the same pairs?); and the images the service found no face in. A saved embedding''s image is the one its run manifest records. The report then opens with a banner that it holds biometric data. Off by default.'; Default = '0 (no gallery)' }
        PairBlock     = 'Count only block i of n of the pair space, written i/n (2/4 is the second of four): for a run split over processes or machines. Needs -SaveState; merge the blocks with Merge-FaceVerificationState. Writes no result.'
        SaveState     = 'Write the counts of this run (or of its -PairBlock) to this verification state file (format version 1), for Merge-FaceVerificationState. A whole run (no -PairBlock) still writes its results, and its state merges alone into the same results.'
        Plan          = 'A plan file written by Merge-FaceVerificationState: count the exact values of its buckets for this block, reading the block''s first-pass counts back from its -SaveState file when it holds them.'
        WhatIf        = 'Shows the files -RocPath, -PlotPath, -ReportPath, -ShareablePath and -SaveState would write, without writing them.'
        Confirm       = 'Asks before writing each of those files.'
    }
    Inputs      = @(
        @{ Type = 'FaceEval.FaceEmbedding'; Description = 'Embeddings with Identity and Model.' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Scored pairs with Score and IsMatch.' }
    )
    Outputs     = @(@{ Type = 'FaceEval.VerificationResult'; Description = 'Model, GenuinePairs, ImpostorPairs, FailureToEnrol, Auc, Eer, EerThreshold, OperatingPoints (Model, TargetFar, Threshold, Tar, Frr, AchievedFar, FalseAccepts, Estimable, TarLow/TarHigh, FnmrUpper and IntervalApproximate with intervals, ThresholdLower/ThresholdUpper when bootstrapped, TransferFarRatio/TransferFarRatioMax/TransferTar with -TransferCheck, else NaN), EerLow/EerHigh, EerUpper, EerIntervalApproximate, IntervalMethod, TransferSplits, Calibration (with -Calibrate: Slope, Intercept, Cllr, MinCllr, CalibrationLoss, Llr(score), Probability(score, prior)), with -GroupBy Groups (GroupRate: Attribute, Group, Identities, Images, GenuinePairs, ImpostorPairs, FailureToEnrol, FalseMatches, FalseNonMatches, Fmr, Fnmr, FmrEstimable, FnmrEstimable, Estimable, FmrRuleOfThree, FnmrRuleOfThree, FmrLow/FmrHigh, FnmrLow/FnmrHigh, Threshold, GroupFar, GroupThreshold, ThresholdShift), CrossGroupFmr (CrossGroupRate: Attribute, GroupA, GroupB, ImpostorPairs, FalseMatches, Fmr, Estimable), GroupIndices (GroupInequity per attribute), FmrInequity, FnmrInequity, Fdr, GroupFar and GroupFarThreshold, BootstrapReplicates, ConfidenceLevel, KFoldAccuracy, KFoldStd, DPrime, genuine and impostor mean and std, Roc.' })
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
        @{
            Title   = 'Who does it fail: error rates per group at one threshold'
            Code    = @'
# A made-up attribute for the demo's people (ORL records none): odd and even subject numbers.
Get-ChildItem ./out/demo/embeddings/eagle -Directory | ForEach-Object {
    [pscustomobject]@{ Identity = $_.Name; Cohort = if ([int]$_.Name.Substring(1) % 2) { 'odd' } else { 'even' } }
} | Export-Csv ./cohorts.csv
$eagle = Get-ChildItem ./out/demo/embeddings/eagle -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -GroupBy Cohort -AttributePath ./cohorts.csv -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0 -ReportPath ./groups.html
$eagle.GroupIndices | Format-Table
$eagle.Groups | Format-Table
'@
            Output  = @'
Model Attribute Groups FmrInequity FnmrInequity    FDR Note
----- --------- ------ ----------- ------------    --- ----
eagle Cohort         2        1.03         1.41 0.9991

   Subgroups: eagle by Cohort, threshold 0.9196 at FMR 1e-2

Group Identities Genuine Impostor FTE     FMR    FNMR GroupThreshold   Shift
----- ---------- ------- -------- ---     ---    ---- --------------   -----
even          20     900   19,000   0 1.13e-2 1.11e-3         0.9206 +0.0010
odd           20     900   19,000   0 1.06e-2 2.22e-3         0.9202 +0.0006
'@
            Remarks = 'Cohort is made up (ORL records no demographics), so the two groups fare alike: at the one threshold chosen for FMR 1e-2 over all 78,000 impostor pairs, each group''s FMR (over the impostor pairs within it) and FNMR (over its genuine pairs) are close, the FMR inequity (max over geometric mean) is near 1 and the FDR near 1. GroupThreshold is the threshold each group alone would need for FMR 1e-2. groups.html has the Subgroups section: this table, the heat map of cross-group FMR and the groups'' DET curves.'
        }
        @{
            Title   = 'Intervals, and the rate between two groups'
            Code    = @'
$eagle = Get-ChildItem ./out/demo/embeddings/eagle -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -GroupBy Cohort -AttributePath ./cohorts.csv -GroupFar 1e-2 -FarTarget 1e-2 -FoldCount 0 -BootstrapCount 200 -Seed 1
$eagle.CrossGroupFmr | Format-Table
$eagle.Groups | Format-Table
'@
            Output  = @'
Model Attribute GroupA GroupB ImpostorPairs FalseMatches     FMR
----- --------- ------ ------ ------------- ------------     ---
eagle Cohort    even   even          19,000          214 1.13e-2
eagle Cohort    even   odd           40,000          365 9.13e-3
eagle Cohort    odd    odd           19,000          201 1.06e-2

   Subgroups: eagle by Cohort, threshold 0.9196 at FMR 1e-2

Group Identities Genuine Impostor FTE                        FMR                 FNMR GroupThreshold   Shift
----- ---------- ------- -------- ---                        ---                 ---- --------------   -----
even          20     900   19,000   0 1.13e-2 [3.28e-4, 2.38e-2] 1.11e-3 [0, 4.44e-3]         0.9206 +0.0010
odd           20     900   19,000   0 1.06e-2 [1.57e-3, 2.67e-2] 2.22e-3 [0, 8.89e-3]         0.9202 +0.0006
'@
            Remarks = 'CrossGroupFmr has the FMR between the groups (even-odd) beside each group''s own. With -BootstrapCount the identities are drawn again within each group (the threshold held), giving FmrLow/FmrHigh and FnmrLow/FnmrHigh: with 20 people per group the intervals are wide, and the two groups'' intervals overlap. The inequity ratios are at least 1 and the FDR at most 1 by construction, so their intervals (on GroupIndices) lie on one side of parity: read parity from the groups'' overlapping intervals.'
        }
        @{
            Title   = 'A report to share outside the evaluation agreement'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -FarTarget 1e-2, 1e-3 -FoldCount 0 -ReportPath ./report.html -ShareablePath ./shareable.html | Out-Null
$shared = Get-Content ./shareable.html -Raw
'Names a model: {0}; shows: {1}' -f ($shared -match 'eagle|dingo'), (([regex]::Matches($shared, 'Model [A-Z]\b').Value | Sort-Object -Unique) -join ', ')
'@
            Output  = @'
Names a model: False; shows: Model A, Model B
'@
            Remarks = 'report.html says on its first line that it is confidential under the agreement, and its last section is the key (Model A = dingo, Model B = eagle). shareable.html has the same rates, intervals, Decision sentences and ROC/DET plots under the aliases, without thresholds, score distributions, identities or file names; had any name of the input shown in it, it would not have been written (ShareableReportLeak).'
        }
        @{
            Title   = 'A report for management: the service and the failure gallery'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding |
    Measure-FaceVerification -FarTarget 1e-2, 1e-3 -FoldCount 0 -ReportPath ./report.html -RunManifest ./out/demo/embeddings/* -FailureGallery 5 |
    Format-Table Model, GenuinePairs, ImpostorPairs, Eer
'@
            Output  = @'
Model GenuinePairs ImpostorPairs  Eer
----- ------------ -------------  ---
dingo         1800         78000 0.23
eagle         1800         78000 0.00
'@
            Remarks = 'report.html opens with a banner that it holds biometric data. Its Service section gives each model''s run (items, failures by ErrorId, requests, 429s, latency percentiles, throughput, rate-limit waits, canary findings) with a latency histogram; its Failure gallery shows, per model, the 5 genuine pairs it scored lowest and the 5 impostor pairs it scored highest with both faces, and the other model''s scores on the same pairs.'
        }
    )
    Links       = @('Compare-FaceEmbedding', 'Invoke-FaceEmbedding', 'Measure-FaceEmbeddingRun', 'about_FaceEval')
}
