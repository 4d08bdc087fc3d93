@{
    Synopsis    = 'Reads NumPy .npy embedding files back into FaceEmbedding objects.'
    Description = @(
        'Import-FaceEmbedding reads .npy files (format 1.0 to 3.0, little-endian float32 or float64, shape (D,) for one vector or (N, D) for N vectors) into FaceEmbedding objects, ready for comparison and measurement. Float64 data is converted to float32.'
        'Identity is the name of the file''s parent folder (dataset/alice/1.npy is alice), unless -IdentityMap gives it: a hashtable from file name (with or without extension) or full path to identity, or rows (for example from Import-Csv) with Path or Name and Identity columns. The model is -Model, or else the one recorded for the file in the manifest.jsonl that Invoke-FaceEmbedding wrote in its folder or a parent.'
        'A file that is not a readable .npy gives a non-terminating NpyUnreadable error that says why (wrong magic, unsupported data type or shape, truncated data), and the next file is read.'
    )
    Parameters  = @{
        Path        = '.npy files to read. Wildcards are expanded.'
        LiteralPath = '.npy files to read, taken exactly as written. Binds from PSPath and FullName, so Get-ChildItem output pipes in.'
        Model       = @{ Description = 'The model name to set on the embeddings.'; Default = 'From the manifest, else empty' }
        IdentityMap = @{ Description = 'Identity by file: a hashtable (file name or path to identity) or rows with Path/Name and Identity.'; Default = 'The parent folder name' }
    }
    Inputs      = @(@{ Type = 'System.String, System.IO.FileInfo'; Description = 'Paths of .npy files.' })
    Outputs     = @(@{ Type = 'FaceEval.FaceEmbedding'; Description = 'One per vector, with Identity, Model, Vector and NpyPath.' })
    Examples    = @(
        @{
            Title   = 'Read back a run''s embeddings, identities from the folders'
            Code    = @'
Get-ChildItem ./dataset -Recurse -File | Get-FaceCrop | Invoke-FaceEmbedding -Model dingo -OutputDirectory ./emb -PreserveStructure -Root ./dataset | Out-Null
Get-ChildItem ./emb -Recurse -Filter *.npy | Import-FaceEmbedding | Group-Object Identity, Model | Select-Object Name, Count
'@
            Remarks = 'The model comes from emb/manifest.jsonl; the identity from each file''s folder.'
        }
        @{
            Title   = 'Identities from a CSV'
            Code    = @'
@([pscustomobject]@{ Name = 'alice_1_0.npy'; Identity = 'A-17' }) | Export-Csv ./ids.csv
Invoke-FaceEmbedding -Model dingo -Path ./photos/alice_1.jpg -OutputDirectory ./emb-ids 3>$null | Out-Null
Import-FaceEmbedding ./emb-ids/*.npy -IdentityMap (Import-Csv ./ids.csv) | Select-Object Identity, Model, Dimension
'@
            Remarks = 'Files missing from the map fall back to their folder name.'
        }
    )
    Links       = @('Invoke-FaceEmbedding')
}
