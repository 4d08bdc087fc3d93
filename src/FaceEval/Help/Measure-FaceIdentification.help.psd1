@{
    Synopsis    = 'Measures 1:N identification per model: probes searched in a gallery of enrolled people, with rank-1 rate and CMC, FNIR at target FPIRs, selectivity, bootstrap intervals and the gallery-size curve.'
    Description = @(
        'Measure-FaceIdentification takes embeddings (FaceEmbedding objects with Identity and Model, as Import-FaceEmbedding or Invoke-FaceEmbedding give them) and measures search, not verification: each probe is compared with every gallery entry, and a watch-list alarm is raised on an entry scoring at or above a threshold. It writes one IdentificationResult per model (Model, GalleryTemplates, MatedSearches, NonMatedSearches, FailureToEnrol, RankOneRate, Cmc, OperatingPoints, Convention, GallerySizeCurve), shown as one row per model, side by side; the operating points show as a table of their own.'
        'Gallery and probes. With -Gallery, those embeddings are the gallery and the piped ones the probes. Otherwise inputs with a Role property (Gallery or Probe) are put where it says. With neither, a seeded split (-Seed), the same for every model: -NonMatedShare of the identities (default 0.5) are never enrolled, so their images are non-mated searches; each enrolled identity''s first -EnrolCount images by path (default 1) form its gallery template and its other images are mated searches. Templates: the gallery images of one identity are pooled the IJB way, averaged within a media item (MediaId property; otherwise each image is its own), summed over media and L2-normalised; -TemplatePooling None keeps every image as its own entry, and a search''s score for an identity is then its best image. Probes carrying a TemplateId are pooled the same way into one search per identity and template. A probe without an embedding is a failure to enrol: a missed mated search or a non-alarming non-mated search, counted in FailureToEnrol; a gallery identity none of whose images has an embedding is named in a warning and left out of the gallery (GalleryFailureToEnrol), so its probes search as non-mated.'
        'Definitions (NIST FRVT Part 2: Identification, NISTIR 8271; ISO/IEC 19795-1). Scores are dot products of the vectors as returned. Rank of the mate: r = 1 + the number of other gallery entries scoring at or above the mate (ties count against the mate). Cmc[r - 1] is the share of mated searches with rank at most r, up to -MaxRank; RankOneRate is Cmc[0]. FPIR(T) is the share of non-mated searches whose best score is at least T (each search counts once, by its maximum, never its scores flattened). FNIR(R, T) is the share of mated searches whose mate ranks beyond R (-Rank) or scores below T. Selectivity SEL(T) is the mean number of gallery entries at or above T per non-mated search. At each -FpirTarget the strict rule chooses the lowest threshold whose FPIR is at most the target; each operating point gives Threshold, Fnir, Tpir = 1 - Fnir, AchievedFpir, FalseAlarms, Selectivity, Rank and Estimable (false, shown n/e, when there are fewer than 1/target non-mated searches; with none at all the threshold is NaN).'
        '-Convention InsightFace reproduces recognition/_evaluation_/ijb/ijb_evals.py, evaluation_1N, of the InsightFace repository: the threshold is the non-mated maxima sorted from the highest at index max(int(n * far) - 1, 0), and a mated search is a hit only when its mate scores strictly above every other gallery entry and strictly above the threshold (FPIR and selectivity then count scores strictly above it). The script''s own top-1 count sorts the scores with NumPy''s argsort, whose order among tied scores is arbitrary; RankOneRate and Cmc here count ties against the mate under either convention. -Protocol SplitGallery reproduces the IJB-B/C G1/G2 protocol of that script: the enrolled identities are split (seeded) into two galleries, every probe is searched in both (mated in one, non-mated in the other), the CMC counts hits of both over all mated searches and TPIR, FNIR and FPIR are the means of the two galleries; Threshold is G1''s and ThresholdG2 is G2''s. With SplitGallery -NonMatedShare defaults to 0.'
        '-BootstrapCount gives percentile intervals (FnirLow, FnirHigh, ThresholdLow, ThresholdHigh, RankOneLow, RankOneHigh) from resampling the searching people with replacement, the gallery fixed, the threshold chosen again on each replicate. -GallerySizeCurve measures rank-1 and FNIR at each target for gallery sizes halving from the full gallery down to 2 (-GallerySizeDraws seeded draws each: median and 5th-95th percentile band), with the same non-mated searches at every size, and next to it the FPIR the full gallery''s threshold gives at that size, measured and as predicted by independence, 1 - (1 - FMR(T))^N with FMR the share of the non-mated 1:1 comparisons at or above T. Scores are streamed per block of probes: no probe x gallery matrix is held. -ReportPath writes an HTML report with an Identification section (tables, CMC, FNIR against FPIR and the gallery-size plot); with -VerificationResult (the output of Measure-FaceVerification on the same embeddings) the verification sections come first on the same page.'
    )
    Parameters  = @{
        InputObject       = 'FaceEmbedding objects with Identity and Model: the probes when -Gallery is given, else all inputs (split by Role, or by the seeded split).'
        Gallery           = 'FaceEmbedding objects forming the gallery; the piped embeddings are then the probes.'
        FpirTarget        = @{ Description = 'Target false positive identification rates, each in (0, 1] (alias: -FpirTargets).'; Default = '1e-1, 1e-2, 1e-3' }
        Rank              = @{ Description = 'R of FNIR(R, T): a mate ranked beyond R is a miss at every threshold. The InsightFace convention always uses rank 1.'; Default = '1' }
        MaxRank           = @{ Description = 'The last rank of the CMC.'; Default = '20' }
        Convention        = @{ Description = 'Strict (the lowest threshold with FPIR at most the target, NIST/ISO) or InsightFace (ijb_evals.py evaluation_1N, reproduced exactly).'; Default = 'Strict' }
        Protocol          = @{ Description = 'OneGallery, or SplitGallery (the IJB-B/C G1/G2 protocol: two seeded halves of the enrolled identities, every probe searched in both, rates averaged).'; Default = 'OneGallery' }
        TemplatePooling   = @{ Description = 'Media: mean within a media item (MediaId), sum over media, L2-normalise (IJB). None: each gallery image its own entry, an identity scoring its best image.'; Default = 'Media' }
        NonMatedShare     = @{ Description = 'Seeded split: the share of identities never enrolled, whose images are non-mated searches, in [0, 0.99].'; Default = '0.5 (0 with -Protocol SplitGallery)' }
        EnrolCount        = @{ Description = 'Seeded split: how many images (the first by path) of each enrolled identity form its gallery template.'; Default = '1' }
        Seed              = @{ Description = 'Seed of the split, the bootstrap and the gallery-size draws.'; Default = '0' }
        BootstrapCount    = @{ Description = 'Bootstrap replicates over the searching identities for intervals (alias: -Bootstrap); 0 for none, else at least 2.'; Default = '0' }
        ConfidenceLevel   = @{ Description = 'Two-sided level of the bootstrap intervals.'; Default = '0.95' }
        GallerySizeCurve  = 'Measure rank-1 and FNIR over gallery sizes halving from the full gallery, with the independence prediction of FPIR.'
        GallerySizeDraws  = @{ Description = 'Seeded draws per gallery size of the curve.'; Default = '20' }
        ReportPath        = 'An HTML report with the Identification section (and the verification sections first, with -VerificationResult).'
        VerificationResult = 'The output of Measure-FaceVerification on the same embeddings, to put verification and identification in one report.'
    }
    Inputs      = @(@{ Type = 'FaceEval.FaceEmbedding'; Description = 'Embeddings with Identity and Model (and optionally Role, MediaId, TemplateId).' })
    Outputs     = @(@{ Type = 'FaceEval.IdentificationResult'; Description = 'Model, GalleryTemplates, GalleryImages, MatedSearches, NonMatedSearches, FailureToEnrol, GalleryFailureToEnrol, RankOneRate, Cmc, OperatingPoints (IdentificationOperatingPoint: TargetFpir, Threshold, Rank, Fnir, Tpir, AchievedFpir, FalseAlarms, Selectivity, Estimable, intervals), Convention, Protocol, TemplatePooling, GallerySizeCurve, FnirCurve.' })
    Examples    = @(
        @{
            Title   = 'Search the demo''s photos: half the people enrolled with one photo each, the other half never'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Measure-FaceIdentification
'@
            Output  = @'
WARNING: Model 'dingo': 20 non-mated searches cannot measure FPIR 1e-2, 1e-3: FPIR 1e-2 needs at least 100. Those points show n/e. Give more identities that are not enrolled (-NonMatedShare) or more images of them.
WARNING: Model 'eagle': 20 non-mated searches cannot measure FPIR 1e-2, 1e-3: FPIR 1e-2 needs at least 100. Those points show n/e. Give more identities that are not enrolled (-NonMatedShare) or more images of them.

Model Gallery Mated NonMated FTE    Rank1 FNIR@FPIR1e-1 FNIR@FPIR1e-2 FNIR@FPIR1e-3 Convention
----- ------- ----- -------- ---    ----- ------------- ------------- ------------- ----------
dingo       2    18       20   0  77.78 %       33.33 %           n/e           n/e Strict
eagle       2    18       20   0 100.00 %        0.00 %           n/e           n/e Strict
'@
            Remarks = 'On the four ORL people of a small demo run: the seeded split enrols two of them (their first photo by path) and keeps two out, whose 20 photos are non-mated searches; the enrolled people''s 18 other photos are mated searches. FPIR 1e-2 would need at least 100 non-mated searches, so it shows n/e. On all 40 ORL people (the full demo) the same command gives rank-1 100 % for eagle and 67.78 % for dingo, and FNIR at FPIR 1e-1 of 0.56 % and 46.67 %.'
        }
        @{
            Title   = 'The operating points under the strict rule and the InsightFace rule'
            Code    = @'
$e = Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding
$e | Measure-FaceIdentification -FpirTarget 0.1, 0.05 | ForEach-Object OperatingPoints
$e | Measure-FaceIdentification -FpirTarget 0.1, 0.05 -Convention InsightFace | ForEach-Object OperatingPoints
'@
            Output  = @'
Model TargetFpir Threshold Rank    FNIR Interval AchievedFpir FalseAlarms Selectivity
----- ---------- --------- ----    ---- -------- ------------ ----------- -----------
dingo       1e-1    0.7153    1 33.33 %                  1e-1           2       0.100
dingo       5e-2    0.7359    1 33.33 %                  5e-2           1       0.050
eagle       1e-1    0.9012    1  0.00 %                  1e-1           2       0.100
eagle       5e-2    0.9016    1  0.00 %                  5e-2           1       0.050
dingo       1e-1    0.7153    1 33.33 %                  5e-2           1       0.050
dingo       5e-2    0.7500    1 44.44 %                   0e0           0       0.000
eagle       1e-1    0.9012    1  0.00 %                  1e-1           1       0.050
eagle       5e-2    0.9016    1  0.00 %                   0e0           0       0.000
'@
            Remarks = 'With 20 non-mated searches the strict rule lets 2 alarm at FPIR 1e-1 and 1 at 5e-2 (the lowest thresholds that do). The InsightFace rule takes the int(20 x far)-th largest non-mated maximum (the 2nd at 1e-1, the 1st at 5e-2) and counts only scores strictly above it: at 5e-2 its threshold is the highest non-mated maximum itself, so nothing alarms and dingo misses 44.44 % instead of 33.33 %.'
        }
        @{
            Title   = 'One report with verification and identification'
            Code    = @'
$e = Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding
$v = $e | Measure-FaceVerification -FarTarget 1e-2
$e | Measure-FaceIdentification -FpirTarget 0.1 -ReportPath ./out/demo/search.html -VerificationResult $v | ForEach-Object { '{0}: rank-1 {1:P2}' -f $_.Model, $_.RankOneRate }
'@
            Output  = @'
dingo: rank-1 77.78 %
eagle: rank-1 100.00 %
'@
            Remarks = 'out/demo/search.html holds the verification sections (settings, summary, TAR at FAR, ROC, DET, scores) and then the Identification section (searches, rank, operating points, CMC and FNIR against FPIR), on one page.'
        }
    )
    Links       = @('Measure-FaceVerification', 'Import-FaceEmbedding', 'about_FaceEval')
}
