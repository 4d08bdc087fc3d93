@{
    Synopsis    = 'Reads NumPy .npy embedding files back into FaceEmbedding objects.'
    Description = @(
        'Import-FaceEmbedding reads .npy files (format 1.0 to 3.0, little-endian float32 or float64, shape (D,) for one vector or (N, D) for N vectors) into FaceEmbedding objects, ready for comparison and measurement. Float64 data is converted to float32.'
        'Identity is the name of the file''s parent folder (dataset/alice/1.npy is alice), unless -IdentityMap gives it: a hashtable from file name (with or without extension) or full path to identity, or rows (for example from Import-Csv) with Path or Name and Identity columns. The model is -Model, or else the one recorded for the file in the manifest.jsonl that Invoke-FaceEmbedding wrote in its folder or a parent.'
        'A file that is not a readable .npy gives a non-terminating NpyUnreadable error that names it and says why (wrong magic or version, a header or shape that is malformed or larger than the file, an unsupported data type or shape, truncated data, a NaN or infinite value), and the next file is read.'
        'A file that holds no numbers (shape (0,) or (0, D)) reads as one FaceEmbedding with an empty Vector: a failure to enrol, the way the service answers an image without a face, which Measure-FaceVerification counts as such (-FailureToEnrol). Invoke-FaceEmbedding itself writes no .npy for an image without a face: its manifest.jsonl records it as no_face, and -IncludeFailureToEnrol emits it with an empty Vector.'
        'Labels come back too: the properties the input carried when Invoke-FaceEmbedding embedded it (columns of the detections CSV such as Sex, AgeBand or Region, as text) are recorded with the vector in the run manifest, and Import-FaceEmbedding adds them to each FaceEmbedding as note properties, so Measure-FaceVerification -GroupBy Sex works from the files alone. Files of manifests written before labels were recorded simply have none; a label named like a FaceEmbedding property is not added.'
    )
    Parameters  = @{
        Path        = '.npy files to read. Wildcards are expanded.'
        LiteralPath = '.npy files to read, taken exactly as written. Binds from PSPath and FullName, so Get-ChildItem output pipes in.'
        Model       = @{ Description = 'The model name to set on the embeddings.'; Default = 'From the manifest, else empty' }
        IdentityMap = @{ Description = 'Identity by file: a hashtable (file name or path to identity) or rows with Path/Name and Identity.'; Default = 'The parent folder name' }
        Matrix      = 'One .npy file holding an (N, D) matrix, one embedding per row (as numpy.save writes x of shape (N, D)). It is read as ONE FaceEmbeddingSet object, not N FaceEmbedding objects: Measure-FaceVerification and Compare-FaceModel take it as N embeddings, and nothing is made per vector in PowerShell, which is what makes 100,000 embeddings quick to pipe. Needs -LabelPath; -Model names the model (else the manifest above the file, else empty, with a warning).'
        LabelPath   = 'With -Matrix: a CSV whose header names an Identity column (and optionally Label or Path), then one line per row of the matrix, in the same order. A count that differs from the matrix''s rows, or a line without an Identity, stops the command with a FileUnreadable error naming the file.'
    }
    Inputs      = @(@{ Type = 'System.String, System.IO.FileInfo'; Description = 'Paths of .npy files.' })
    Outputs     = @(
        @{ Type = 'FaceEval.FaceEmbedding'; Description = 'One per vector, with Identity, Model, Vector and NpyPath.' }
        @{ Type = 'FaceEval.FaceEmbeddingSet'; Description = 'With -Matrix: one object, with Model, MatrixPath, Dimension, Count, Vectors, Identities and Labels.' }
    )
    Examples    = @(
        @{
            Title   = 'Read back the demo''s embeddings, identities from the folders'
            Code    = @'
Get-ChildItem ./out/demo/embeddings -Recurse -Filter *.npy | Import-FaceEmbedding | Group-Object Model | Select-Object Name, Count
Get-ChildItem ./out/demo/embeddings/eagle/s1 -Filter *.npy | Import-FaceEmbedding | Select-Object -First 2
'@
            Output  = @'
Name  Count
----  -----
dingo   400
eagle   400

Identity Source   Face Model Dim   Norm Ms Resumed NpyPath
-------- ------   ---- ----- ---   ---- -- ------- -------
s1       1_0.npy       eagle 128 1.0000    yes     /home/me/FaceEval/out/demo/embeddings/eagle/s1/1_0.npy
s1       10_0.npy      eagle 128 1.0000    yes     /home/me/FaceEval/out/demo/embeddings/eagle/s1/10_0.npy
'@
            Remarks = 'The model comes from the manifest.jsonl Invoke-FaceEmbedding wrote in each model''s folder, the identity from each file''s folder. Pipe them on to Measure-FaceVerification or Compare-FaceEmbedding.'
        }
        @{
            Title   = 'Identities from a CSV'
            Code    = @'
Set-Content ./ids.csv 'Name,Identity', '1_0.npy,A-17', '2_0.npy,A-17'
Import-FaceEmbedding ./out/demo/embeddings/eagle/s1/1_0.npy, ./out/demo/embeddings/eagle/s1/2_0.npy, ./out/demo/embeddings/eagle/s2/3_0.npy -IdentityMap (Import-Csv ./ids.csv)
'@
            Output  = @'
Identity Source  Face Model Dim   Norm Ms Resumed NpyPath
-------- ------  ---- ----- ---   ---- -- ------- -------
A-17     1_0.npy      eagle 128 1.0000    yes     /home/me/FaceEval/out/demo/embeddings/eagle/s1/1_0.npy
A-17     2_0.npy      eagle 128 1.0000    yes     /home/me/FaceEval/out/demo/embeddings/eagle/s1/2_0.npy
s2       3_0.npy      eagle 128 1.0000    yes     /home/me/FaceEval/out/demo/embeddings/eagle/s2/3_0.npy
'@
            Remarks = 'The map''s Name is a file name (or a full path, for files of the same name in different folders); files missing from it fall back to their folder name.'
        }
    )
    Links       = @('Invoke-FaceEmbedding')
}
