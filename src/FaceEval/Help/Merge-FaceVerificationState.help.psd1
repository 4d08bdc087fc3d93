@{
    Synopsis    = 'Combines the counts of the blocks of a split verification run into the results of one run over all pairs.'
    Description = @(
        'Merge-FaceVerificationState reads the verification state files that Measure-FaceVerification -PairBlock i/n -SaveState wrote, one per block of the pair space, adds up their counts and writes one VerificationResult per model: the same threshold, TAR, achieved FAR and false accepts at every target, EER, AUC, histogram and statistics as one Measure-FaceVerification over all pairs on one machine. The blocks can come from any number of processes or machines: Start-ThreadJob on one machine, Invoke-Command -ComputerName on several (Invoke-Command -ComputerName $hosts -ScriptBlock { Import-FaceEmbedding -Path D:\emb\*\*.npy -Model m | Measure-FaceVerification -PairBlock "$using:i/4" -SaveState \\share\run\block$using:i.fvstate }), or any scheduler.'
        'The states must be one split: the same n, each block exactly once, the same target FARs, convention and failure-to-enrol handling, each model counted on the same embeddings in the same order (each file carries a fingerprint of them) and refined for the same plan. Anything else stops the command with a StateMismatch error that names the file and what differs; a file that is not a state file, is damaged or of another format version is a StateInvalid error.'
        'Exact answers need the values in a few score buckets (each target''s threshold, the EER crossing, the histogram''s bin edges), which only the merged counts tell. So the first merge of a split run usually writes a plan file (-PlanPath, default refine.fvplan next to the first state file) and a warning instead of results: run every block once more with -Plan and the same -PairBlock and -SaveState (it reads its first-pass counts back and scores its pairs once more), then merge again. Rarely the refined counts ask for one more round.'
    )
    Parameters  = @{
        Path        = 'The state files (wildcards allowed), e.g. ./block*.fvstate.'
        LiteralPath = 'The state files, taken literally (alias: -PSPath, -FullName; Get-ChildItem output binds to it).'
        PlanPath    = @{ Description = 'Where to write the refinement plan when the counts need one.'; Default = 'refine.fvplan next to the first state file' }
        WhatIf      = 'Shows the plan file that would be written, without writing it.'
        Confirm     = 'Asks before writing the plan file.'
    }
    Inputs      = @(@{ Type = 'System.IO.FileInfo'; Description = 'State files from Get-ChildItem.' })
    Outputs     = @(@{ Type = 'FaceEval.VerificationResult'; Description = 'One per model, as Measure-FaceVerification writes it (KFoldAccuracy is NaN: k-fold accuracy needs the scores stored).' })
    Examples    = @(
        @{
            Title   = 'Four blocks in thread jobs, merged'
            Code    = @'
$e = Import-FaceEmbedding ./out/demo/embeddings/eagle/*/*.npy
$module = (Get-Module FaceEval).Path
function Count-Blocks($plan) {
    1..4 | ForEach-Object {
        Start-ThreadJob -ArgumentList $_, $plan, $module, $e {
            param($i, $plan, $module, $e)
            Import-Module $module
            $refine = if ($plan) { @{ Plan = $plan } } else { @{} }
            $e | Measure-FaceVerification -PairBlock "$i/4" -SaveState "./block$i.fvstate" @refine
        }
    } | Receive-Job -Wait -AutoRemoveJob
}
Count-Blocks
while (-not ($r = Merge-FaceVerificationState ./block*.fvstate -PlanPath ./refine.fvplan -WarningAction SilentlyContinue)) { Count-Blocks ./refine.fvplan }
$r | Format-Table Model, Auc, Eer
'@
            Output  = @'
Model Auc Eer
----- --- ---
eagle ...
'@
            Remarks = 'Each thread job counts a quarter of the pairs; the first merge writes refine.fvplan, every block refines its counts for it, and the second merge gives the results of one run: the same numbers as $e | Measure-FaceVerification -FoldCount 0.'
        }
        @{
            Title   = 'A whole run saved, and merged alone'
            Code    = @'
Import-FaceEmbedding ./out/demo/embeddings/dingo/*/*.npy | Measure-FaceVerification -SaveState ./dingo.fvstate | Format-Table Model, Auc
Merge-FaceVerificationState ./dingo.fvstate | Format-Table Model, Auc
'@
            Output  = @'
Model Auc
----- ---
dingo ...
dingo ...
'@
            Remarks = 'A run without -PairBlock writes its results and a state refined to the end: merged alone, it gives the same results again (both tables show the same AUC).'
        }
    )
    Links       = @('Measure-FaceVerification', 'about_FaceEval')
}
