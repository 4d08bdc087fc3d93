@{
    Synopsis    = 'Plans an evaluation before the endpoint arrives: requests and time at the rate limit, whether it fits the window, the pairs the test set gives and which FAR targets they can measure.'
    Description = @(
        'Get-FaceEvalPlan reads the test set (folders of images with one sub-folder per identity, like ORL''s s1 ... s40, or piped crops, files, or rows with a Path and an Identity such as Import-Csv of a crop list) and the models to test, and works out, without sending anything: the requests per model and in all, the time they take at the rate limit, whether that fits the evaluation window with a margin, and what to cut when it does not; the genuine and impostor pairs; which FAR targets the impostor pairs can measure; the identities with fewer than two images; and the 1:N counts of the default split. It writes one EvaluationPlan, shown as a table; its Summary property is the same as text for the evaluation protocol document.'
        'Arithmetic. Canary requests per model (Invoke-FaceEmbedding -Canary N -CanaryInterval I) = N x (2 + floor(images / I)), or N x 2 without an interval: a reference embedding at the start, a check every I items and one at the end. Requests per model = ceiling((images + canary requests) x (1 + RetryShare)). The rate kept is -RequestsPerSecond, or -ThrottleLimit requests per -ExpectedLatencyMs when that is lower. Time per model = requests per model / rate; all models = that x the number of models. The budget is the window (-WindowDays from -WindowStart) less the -Margin kept free (0.5 by default: room to run everything a second time). The plan fits when the total time is within the budget; when not, ModelsThatFit says how many of the models (in the order given) fit with all images and ImagesPerIdentityThatFit how many images per identity fit with every model. With -RunManifest, the retry share is the one an earlier run shows: (requests - items) / items over its manifests.'
        'Pairs. Genuine pairs = sum over identities of n(n - 1)/2; impostor pairs = (N^2 - sum of n^2)/2, with N images in all: every pair, as Measure-FaceVerification scores them. Two rules for a FAR target. Estimable: at least 1/FAR impostor pairs, so that one false accept is a FAR at or below the target (Measure-FaceVerification marks the others n/e). A useful interval: at least 30 false accepts expected at the target (FAR x impostor pairs >= 30), Doddington''s Rule of 30 (Mansfield and Wayman 2002, Best Practices in Testing and Reporting Performance of Biometric Devices): to be 90 % confident that the true rate is within 30 % of the measured one, the test must see at least 30 errors. Both are given per target in FarTargets.'
        '1:N. Measure-FaceIdentification''s default split leaves half the identities out of the gallery (their images are non-mated searches) and enrols the first image of every other identity (its other images are mated searches). The split is drawn with a seed, so the counts given are their expectation: GalleryTemplates, MatedSearches and NonMatedSearches.'
    )
    Parameters  = @{
        InputObject       = 'Crops from Get-FaceCrop, image files, or rows with a Path (or FullName) and an Identity. Without an Identity, the image''s folder name is its identity.'
        Path              = 'Folders of images with one sub-folder per identity (searched recursively for .png, .jpg, .pgm, .bmp, .tif and .webp files), or image files.'
        Model             = 'The models to test, in order of priority: when the plan does not fit, the last ones are the ones to drop.'
        RequestsPerSecond = 'The account''s rate limit, in requests per second.'
        ThrottleLimit     = @{ Description = 'Requests in flight at once, as Invoke-FaceEmbedding -ThrottleLimit.'; Default = '4' }
        ExpectedLatencyMs = @{ Description = 'Expected time per request in ms; with it, the rate kept is at most ThrottleLimit requests per latency. 0: the rate limit alone.'; Default = '0' }
        RetryShare        = @{ Description = 'Extra requests per item for retries (0.05: 5 % more requests than items).'; Default = '0.05' }
        RunManifest       = 'Run manifests (manifest.jsonl, or the folders that hold them) of an earlier run; the retry share they show replaces -RetryShare.'
        Canary            = @{ Description = 'Drift canaries per model run, as Invoke-FaceEmbedding -Canary: their requests count against the rate limit.'; Default = '0' }
        CanaryInterval    = @{ Description = 'Items between canary checks, as Invoke-FaceEmbedding -CanaryInterval; 0 checks at the start and the end only.'; Default = '0' }
        WindowStart       = @{ Description = 'The day the endpoint arrives.'; Default = 'today' }
        WindowDays        = @{ Description = 'Length of the evaluation window in days.'; Default = '14' }
        Margin            = @{ Description = 'Share of the window kept free for re-runs and analysis; the plan must fit in the rest.'; Default = '0.5' }
        FarTarget         = @{ Description = 'FAR targets to check for estimability and a useful interval (alias: -FarTargets).'; Default = '1e-2, 1e-3, 1e-4, 1e-5, 1e-6' }
    }
    Inputs      = @(@{ Type = 'FaceEval.FaceCrop, System.IO.FileInfo, System.String, or objects with Path and Identity'; Description = 'The images of the test set.' })
    Outputs     = @(@{ Type = 'FaceEval.EvaluationPlan'; Description = 'Models, Images, Identities, IdentitiesWithOneImage, GenuinePairs, ImpostorPairs, RequestsPerModel, CanaryRequestsPerModel, TotalRequests, TimePerModel, TotalTime, WindowStart, WindowEnd, Budget, Fits, ModelsThatFit, ImagesPerIdentityThatFit, Advice, FarTargets (TargetFar, PairsNeeded, Estimable, ExpectedFalseAccepts, PairsForUsefulInterval, UsefulInterval), GalleryTemplates, MatedSearches, NonMatedSearches and Summary.' })
    Examples    = @(
        @{
            Title   = 'Plan three models on the ORL faces at 2 requests per second'
            Code    = @'
Get-FaceEvalPlan ./examples/data/orl_faces -Model eagle, dingo, kiwi -RequestsPerSecond 2 -Canary 5 -CanaryInterval 100
'@
            Output  = @'
Models             Images Genuine Impostor Requests Per model      All  Budget Fits Estimable FAR    Useful FAR
------             ------ ------- -------- -------- ---------      ---  ------ ---- -------------    ----------
eagle, dingo, kiwi    400   1,800   78,000    1,356   3.8 min 11.3 min 168.0 h yes  1e-2, 1e-3, 1e-4 1e-2, 1e-3
'@
            Remarks = '400 photos of 40 people: 1,800 genuine and 78,000 impostor pairs. FAR 1e-4 is estimable (78,000 >= 10,000 pairs) but expects only 7.8 false accepts, short of the 30 a useful interval needs; 1e-5 is not estimable. Each model costs 400 images plus 5 x (2 + 4) = 30 canary requests, and 5 % retries: 452 requests.'
        }
        @{
            Title   = 'A window that does not fit, and what to cut'
            Code    = @'
Get-FaceEvalPlan ./examples/data/orl_faces -Model eagle, dingo, kiwi -RequestsPerSecond 0.001 -WindowDays 1 | Format-List Fits, ModelsThatFit, ImagesPerIdentityThatFit, Advice
'@
            Output  = @'
Fits                     : False
ModelsThatFit            : 0
ImagesPerIdentityThatFit : 0
Advice                   : Not even one model with one image per identity fits: ask for a higher rate limit or a longer window, or test on fewer identities.
'@
            Remarks = 'One request every 1,000 seconds for one day, half of it kept free, is 43 requests: not even 40 images for one model. A warning says the same.'
        }
        @{
            Title   = 'The plan as text for the evaluation protocol'
            Code    = @'
(Get-FaceEvalPlan ./examples/data/orl_faces -Model eagle, dingo -RequestsPerSecond 2 -WindowStart 2027-01-04).Summary
'@
            Output  = @'
Evaluation plan: models eagle, dingo; rate limit 2 requests/s; window of 14 days from 2027-01-04.
Test set: 400 images of 40 identities; 1,800 genuine and 78,000 impostor pairs.
Models: eagle, dingo. Each needs 420 requests (400 images, 5 % retries, assumed); 840 in all.
At 2 requests/s (the rate limit): 3.5 min per model, 7.0 min for all.
Window ends 2027-01-18; keeping 50 % free: 7.0 days to spend. The plan fits.
FAR targets estimable (impostor pairs >= 1/FAR): 1e-2, 1e-3, 1e-4; with a useful interval (>= 30 false accepts expected, Doddington's Rule of 30): 1e-2, 1e-3.
1:N (default split, half the identities never enrolled, one enrolment image each): about 20 gallery templates, 180 mated and 200 non-mated searches.
'@
            Remarks = 'Paste it into the protocol document before the endpoint arrives.'
        }
    )
    Links       = @('Invoke-FaceEmbedding', 'Measure-FaceEmbeddingRun', 'Measure-FaceVerification', 'about_FaceEval')
}
