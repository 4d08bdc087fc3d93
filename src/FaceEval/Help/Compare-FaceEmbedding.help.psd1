@{
    Synopsis    = 'Compares face embeddings by cosine similarity: every reference with every difference, or each difference''s K most similar references.'
    Description = @(
        'Compare-FaceEmbedding scores pairs of embeddings by cosine similarity of the vectors exactly as the server returned them: their dot product, never re-normalised (the vendor''s vectors are L2-normalised; a warning counts any whose norm is off 1 by more than 0.001). A pair is a match when its score is at or above the threshold you choose; Measure-FaceVerification finds thresholds for target false-accept rates.'
        'References come from -ReferenceEmbedding and differences (probes) from -DifferenceEmbedding or the pipeline; each may be FaceEmbedding objects (from Invoke-FaceEmbedding or Import-FaceEmbedding), arrays of numbers, or .npy file paths (the identity is then the file''s folder name). Every difference is compared with every reference, most similar first; -Top K keeps only the K most similar references of each difference, a gallery search. SameIdentity tells whether both sides carry the same Identity.'
        'A difference whose dimension or model differs from a reference''s gives a DimensionMismatch or ModelMismatch error for that difference, and the next one is compared; unreadable .npy files give NpyUnreadable.'
    )
    Parameters  = @{
        ReferenceEmbedding  = 'The references (gallery): FaceEmbedding objects, arrays of numbers, or .npy paths.'
        DifferenceEmbedding = 'The differences (probes), usually piped in: FaceEmbedding objects, arrays of numbers, or .npy paths.'
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
            Remarks = 'The similarity is the dot product: 0.6.'
        }
        @{
            Title   = 'Search a gallery: the best match of each probe'
            Code    = @'
$gallery = Get-ChildItem ./dataset -Recurse -File | Select-Object FullName, @{ n = 'Identity'; e = { $_.Directory.Name } } |
    Get-FaceCrop | Invoke-FaceEmbedding -Model dingo | Group-Object Identity | ForEach-Object { $_.Group[0] }
$probes = Get-ChildItem ./photos -File | Get-FaceCrop | Invoke-FaceEmbedding -Model dingo
$probes | Compare-FaceEmbedding -ReferenceEmbedding $gallery -Top 1 | Format-Table Difference, Reference, Similarity, ReferenceIdentity
'@
            Remarks = 'One enrolled image per identity of the dataset is the gallery; each photo gets its most similar identity.'
        }
    )
    Links       = @('Invoke-FaceEmbedding', 'Import-FaceEmbedding', 'about_FaceEval')
}
