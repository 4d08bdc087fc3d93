@{
    Synopsis    = 'Deletes what an evaluation wrote under a folder (crops, embeddings, manifests, reports), and nothing else, and records the deletion.'
    Description = @(
        'At the end of the evaluation window the data should go. Remove-FaceEvalData searches the folder (and its sub-folders) for FaceEval''s own records of what it wrote: the faceeval-outputs.jsonl ledger that Get-FaceCrop (crops) and Measure-FaceVerification (reports, shareable reports, plots, ROC files) keep in each folder they write to, and the manifest.jsonl of each Invoke-FaceEmbedding run (its .npy files). It deletes exactly the files those records name, and only those that lie inside the folder and still hold what FaceEval wrote (the SHA-256 in the record): a file you changed or replaced since is left in place with a warning, a file a record names outside the folder is never touched, and files FaceEval did not write (your photos, notes, other tools'' output) are never considered at all. Then it deletes the records themselves (a record that names a file you keep stays), the manifests'' lock files, and the folders the deletion left empty; the folder you gave stays.',
        'It writes a deletion record in the folder, faceeval-deletion-<time>.json: when, which FaceEval version, how many crops, embeddings, manifests, reports and figures were deleted, how many bytes, and what was left and why; it names no file and holds no face data, so it can be kept to show that the data was minimised. The same figures come back as a FaceEvalDeletion object.',
        'Use -WhatIf first to see every file it would delete, and -Keep Report to keep the reports (the private report for the record, the shareable one for others). Crops written in memory (Get-FaceCrop without -OutputDirectory) and photos are not FaceEval''s outputs; your source photos are never deleted.'
    )
    Parameters  = @{
        Path    = 'The folder an evaluation wrote into, for example the -OutputDirectory of the demo or of Compare-FaceModels.ps1. Its sub-folders are searched too; symbolic links to folders are not followed.'
        Keep    = 'Kinds of output to keep: Report (HTML reports, private and shareable), Figure (plots and ROC files), Crop, Embedding (and the manifests that list them).'
        WhatIf  = 'Shows every file that would be deleted, without deleting anything or writing a record.'
        Confirm = 'Asks before deleting each file.'
    }
    Inputs      = @(@{ Type = 'System.String'; Description = 'A folder path, or a folder object (its FullName) from Get-ChildItem or Get-Item.' })
    Outputs     = @(@{ Type = 'FaceEval.FaceEvalDeletion'; Description = 'Counts of what was deleted and left, and the path of the deletion record (nothing with -WhatIf).' })
    Examples    = @(
        @{
            Title   = 'End the evaluation window: delete everything but the reports'
            Code    = @'
Copy-Item ./out/demo ./out/window -Recurse      # a copy, so the demo's output stays
Set-Content ./out/window/notes.txt 'my notes: FaceEval did not write this file'
Remove-FaceEvalData ./out/window -Keep Report -Confirm:$false | Format-List Path, Crops, Embeddings, Manifests, Reports, Figures, Kept, RecordPath
Get-ChildItem ./out/window -Name
'@
            Output  = @'
Path       : /home/me/FaceEval/out/window
Crops      : 400
Embeddings : 800
Manifests  : 4
Reports    : 0
Figures    : 7
Kept       : 1
RecordPath : /home/me/FaceEval/out/window/faceeval-deletion-20261201T091502Z.json

faceeval-deletion-20261201T091502Z.json
faceeval-outputs.jsonl
notes.txt
operating-points.csv
report.html
results.csv
'@
            Remarks = 'The crops, both models'' .npy files with their manifests and lock files, the plots and roc.csv are gone; report.html is kept, and so is the ledger that names it. notes.txt, results.csv and operating-points.csv were not written by a FaceEval cmdlet (the example script wrote the CSV files with Export-Csv), so they are not touched: delete them yourself if they hold evaluation data. The deletion record holds the counts and no file name.'
        }
        @{
            Title   = 'See what would go before deleting anything'
            Code    = @'
Copy-Item ./out/demo ./out/window2 -Recurse
$before = (Get-ChildItem ./out/window2 -Recurse -File).Count
Remove-FaceEvalData ./out/window2 -WhatIf
'Every file still there: {0}' -f ((Get-ChildItem ./out/window2 -Recurse -File).Count -eq $before)
'@
            Output  = @'
What if: Performing the operation "Delete face crop" on target "/home/me/FaceEval/out/window2/crops/s1/1_0.png".
What if: Performing the operation "Delete face crop" on target "/home/me/FaceEval/out/window2/crops/s1/10_0.png".
What if: Performing the operation "Delete report" on target "/home/me/FaceEval/out/window2/report.html".
Every file still there: True
'@
            Remarks = 'With -WhatIf every deletion is listed (over a thousand lines for the demo: three are shown here) and none is made, and no deletion record is written.'
        }
    )
    Links       = @('Get-FaceCrop', 'Invoke-FaceEmbedding', 'Measure-FaceVerification', 'about_FaceEval')
}
