@{
    Synopsis    = 'Draws a labelled set of face-like photos, with the box a detector would report for each face, to rehearse an evaluation.'
    Description = @(
        'New-FaceEvalSample writes -IdentityCount x -ImagesPerIdentity JPEG photos (320 x 320) under -OutputDirectory, one sub-folder per identity (person001, person002, ...), and returns one object per photo with Path, Identity and the face box X, Y, Width, Height. Those are the columns Get-FaceCrop reads, so the output pipes straight into it, or into Export-Csv as a detections file.'
        'Each identity is a fixed set of traits drawn from -Seed (face shape, skin and hair colour, hairline, eye spacing, size and colour, brows, nose, mouth, sometimes glasses or a beard); each photo of it varies the turn and tilt of the head, expression, scale and position, lighting direction, background, blur, sensor noise and JPEG compression. The box has a few per cent of jitter, as a real detector''s has. The same seed gives the same photos. These are drawings, not faces: scores on them show that the pipeline works end to end, not how a model performs on people.'
    )
    Parameters  = @{
        OutputDirectory   = 'The folder for the photos; created when missing. Photos of the same names are replaced.'
        IdentityCount     = @{ Description = 'How many identities (at least 2, for impostor pairs; alias: -Identities).'; Default = '20' }
        ImagesPerIdentity = @{ Description = 'Photos of each identity (at least 2, for genuine pairs).'; Default = '8' }
        Seed              = @{ Description = 'Seed of the traits and of every variation.'; Default = '0' }
        WhatIf            = 'Shows where the photos would be written, without writing them.'
        Confirm           = 'Asks before writing the photos.'
    }
    Inputs      = @(@{ Type = 'None'; Description = 'This cmdlet takes no pipeline input.' })
    Outputs     = @(@{ Type = 'System.Management.Automation.PSObject'; Description = 'One row per photo (type name FaceEval.SampleFace): Path, Identity, X, Y, Width, Height, as Import-Csv would give them.' })
    Examples    = @(
        @{
            Title   = 'A small sample set and its detections file'
            Code    = @'
New-FaceEvalSample ./samples -IdentityCount 3 -ImagesPerIdentity 2 -Seed 1 | Export-Csv ./detections.csv
Import-Csv ./detections.csv | Format-Table Identity, X, Y, Width, Height
'@
            Output  = @'
Identity  X   Y   Width Height
--------  -   -   ----- ------
person001 137 107 82    119
person001 108 82  85    123
person002 125 95  77    122
person002 107 103 94    145
person003 98  89  108   154
person003 113 94  93    124
'@
            Remarks = 'Six photos in samples/person001 ... person003, and their boxes in detections.csv (written beside the folder: Export-Csv opens its file before the first photo exists).'
        }
        @{
            Title   = 'Rehearse the whole evaluation on drawn faces'
            Code    = @'
$server = Start-FaceEvalServer -Model dingo=lbp, kiwi=hog -NoDetector
$crops = New-FaceEvalSample ./samples -IdentityCount 6 -ImagesPerIdentity 4 | Get-FaceCrop -OutputDirectory ./sample-crops -PreserveStructure -Root ./samples
'dingo', 'kiwi' | ForEach-Object { $crops | Invoke-FaceEmbedding -Model $_ -ServerUrl $server.Url } | Measure-FaceVerification -FarTarget 0.1, 0.01 -FoldCount 0
Stop-FaceEvalServer $server
'@
            Output  = @'
Model Genuine Impostor FTE    AUC     EER TAR@FAR1e-1 TAR@FAR1e-2 KFoldAcc
----- ------- -------- ---    ---     --- ----------- ----------- --------
dingo      36      240   0 0.6670 33.33 %     25.00 %      5.56 %
kiwi       36      240   0 0.8601 19.10 %     63.89 %     36.11 %
'@
            Remarks = 'Crops from the boxes, embeds with both built-in descriptors of the local reference server (no detection: these are drawings) and shows their results side by side. The numbers show that the pipeline works, not how a model recognises people.'
        }
    )
    Links       = @('Get-FaceCrop', 'Start-FaceEvalServer', 'about_FaceEval')
}
