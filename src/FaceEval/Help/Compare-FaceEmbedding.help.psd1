@{
    Synopsis    = 'Compares face embeddings by cosine similarity: every reference with every difference, or each difference''s K most similar references.'
    Description = @(
        'Compare-FaceEmbedding scores pairs of embeddings by cosine similarity of the vectors exactly as the server returned them: their dot product, never re-normalised (the vendor''s vectors are L2-normalised; a warning counts any whose norm is off 1 by more than 0.001). A pair is a match when its score is at or above the threshold you choose; Measure-FaceVerification finds thresholds for target false-accept rates.'
        'References come from -ReferenceEmbedding and differences (probes) from -DifferenceEmbedding or the pipeline; each may be FaceEmbedding objects (from Invoke-FaceEmbedding or Import-FaceEmbedding), arrays of numbers, or .npy file paths (wildcards are expanded, as by Import-FaceEmbedding -Path; the identity is then the file''s folder name). Every difference is compared with every reference, most similar first; -Top K keeps only the K most similar references of each difference, a gallery search. SameIdentity tells whether both sides carry the same Identity.'
        'A difference whose dimension or model differs from a reference''s gives a DimensionMismatch or ModelMismatch error for that difference, and the next one is compared. An embedding that cannot be compared is an error about it alone, for a reference as for a difference: NpyUnreadable for a .npy file that cannot be read (or holds a NaN or infinite value), InvalidEmbedding for a vector with a NaN or infinite value, NoFaceDetected for an empty vector (a failure to enrol). The command stops only when no reference at all can be used (NoReference).'
    )
    Parameters  = @{
        ReferenceEmbedding  = 'The references (gallery): FaceEmbedding objects, arrays of numbers, or .npy paths (wildcards allowed).'
        DifferenceEmbedding = 'The differences (probes), usually piped in: FaceEmbedding objects, arrays of numbers, or .npy paths (wildcards allowed).'
        Top                 = @{ Description = 'Keep only the K most similar references of each difference.'; Default = 'All references' }
    }
    Inputs      = @(@{ Type = 'FaceEval.FaceEmbedding, System.Single[], System.String'; Description = 'Differences to compare with the references.' })
    Outputs     = @(@{ Type = 'FaceEval.FaceComparison'; Description = 'Reference, Difference, Similarity, Model, ReferenceIdentity, DifferenceIdentity, SameIdentity, Rank.' })
    Examples    = @(
        @{
            Title   = 'Two vectors by hand'
            Code    = @'
Compare-FaceEmbedding -ReferenceEmbedding (,[float[]](0.6, 0.8)) -DifferenceEmbedding (,[float[]](1, 0)) | Format-List Similarity, Rank
'@
            Output  = @'
Similarity : 0.600000023841858
Rank       : 1
'@
            Remarks = 'The similarity is the dot product of the vectors as given: 0.6 (in single precision).'
        }
        @{
            Title   = 'Search a gallery: the two best matches of each probe'
            Code    = @'
$eagle = Get-ChildItem ./out/demo/embeddings/eagle -Recurse -Filter *.npy | Import-FaceEmbedding
$gallery = $eagle | Where-Object { (Split-Path $_.NpyPath -Leaf) -eq '1_0.npy' }
$probes = $eagle | Where-Object { (Split-Path $_.NpyPath -Leaf) -eq '10_0.npy' } | Select-Object -First 2
$probes | Compare-FaceEmbedding -ReferenceEmbedding $gallery -Top 2
'@
            Output  = @'
Reference   Difference   Similarity Same  Rank Model
---------   ----------   ---------- ----  ---- -----
s11/1_0.npy s11/10_0.npy     0.9863 True     1 eagle
s19/1_0.npy s11/10_0.npy     0.8940 False    2 eagle
s15/1_0.npy s15/10_0.npy     0.9413 True     1 eagle
s30/1_0.npy s15/10_0.npy     0.9180 False    2 eagle
'@
            Remarks = 'From the demo''s eagle embeddings: the first photo of each of the 40 people is the gallery, and each probe (a tenth photo) gets its two most similar gallery entries. Same says whether the identities agree.'
        }
    )
    Links       = @('Invoke-FaceEmbedding', 'Import-FaceEmbedding', 'about_FaceEval')
}
