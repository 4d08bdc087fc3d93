@{
    Synopsis    = 'Cuts each face out of an image as a lossless PNG, from your detector''s boxes or the built-in YuNet detector.'
    Description = @(
        'Get-FaceCrop turns images and face boxes into face crops the way the evaluation guide''s reference helper does, pixel for pixel: the box is widened by a symmetric margin (-ExpansionFactor 0.2 adds 10 % of the box width on the left and on the right, 10 % of its height above and below), clamped to the image, and when the longest side of the result is over -MaxSide (256) it is shrunk with OpenCV''s INTER_AREA to int(side * MaxSide / longest) on each side. Crops are always PNG: re-encoding faces as JPEG is the most common cause of bad verification scores.'
        'Boxes come from -BoundingBox (four numbers per face, several faces at once), or from the properties X, Y, Width, Height (or X1, Y1, X2, Y2) of piped objects, so Import-Csv detections.csv | Get-FaceCrop works for a CSV with the columns Path,X,Y,Width,Height. Several rows for one image give several crops, numbered in row order. -BoxFormat XYXY reads the four numbers as corners (x1, y1, x2, y2), as RetinaFace and SCRFD write them. Non-integer numbers are truncated toward zero, as Python''s int() does; for XYXY the corners are truncated first and the width is int(x2) - int(x1).'
        'When no box is given, faces are found with the YuNet detector (-DetectorModel, else $env:FACEEVAL_DETECTOR_MODEL, else the YuNet model that ships with the module), one crop per face with a score of at least -MinConfidence, the most confident face first (FaceIndex 0). With neither a box nor a detector (only when the bundled model has been removed) the command stops at the first such image with one DetectorModelMissing error that says what to give. Images are decoded like cv2.imread: greyscale images (e.g. PGM) become three equal BGR channels, 16-bit images are reduced to 8 bits by OpenCV, an alpha channel is dropped and EXIF orientation is applied.'
        'Every other property of a piped object (Identity, ConsentRef, ...) is copied onto its crops, so labels and consent records travel with the face. With -OutputDirectory the crops are written as <stem>_<faceIndex>.png (under the source''s sub-folders relative to -Root with -PreserveStructure); an existing file is not overwritten without -Force, and two images of one run that would write the same name give an error instead of overwriting each other. Without -OutputDirectory the PNG stays in memory on the object (PngData), ready for Invoke-FaceEmbedding.'
        'A bad input never stops the run: a missing, unreadable, empty, corrupt or non-image file, a box with no area or outside the image, or an image over -MaxPixels each write a non-terminating error (ErrorIds FileNotFound, FileUnreadable, EmptyFile, CorruptImage, NotAnImage, InvalidBoundingBox, BoxOutsideImage, ImageTooLarge, NoFaceDetected, OutputExists, OutputNameCollision, SourceOutsideRoot, WriteFailed) with the path as target, and the next image is processed; folders piped in by Get-ChildItem -Recurse are skipped quietly (-Verbose names them). Images are decoded and cut on -ThrottleLimit threads; crops are always written to the pipeline in input order.'
    )
    Parameters  = @{
        Path              = @{ Description = 'Image files to crop. Wildcards are expanded. Piped strings are taken as -Path, and so is a Path property of a piped object (for example a CSV column).'; PipelineInput = 'ByValue', 'ByPropertyName' }
        LiteralPath       = 'Image files to crop, taken exactly as written (no wildcards). Binds from the PSPath and FullName properties, so Get-ChildItem output pipes straight in.'
        BoundingBox       = 'Face boxes for the image: four numbers per face, read as -BoxFormat says. Give several faces as one flat list or as a list of lists: -BoundingBox (10,20,80,90),(120,25,70,85).'
        X                 = @{ Description = 'Left edge of the face box (pixels), usually bound from a piped object''s X or X1 property.'; Default = 'None' }
        Y                 = 'Top edge of the face box (pixels), usually bound from a piped object''s Y or Y1 property.'
        Width             = 'Width of the face box (or x2 with -BoxFormat XYXY), usually bound from a piped object''s Width property.'
        Height            = 'Height of the face box (or y2 with -BoxFormat XYXY), usually bound from a piped object''s Height property.'
        X2                = 'Right edge of the face box: with X1/Y1/X2/Y2 properties the box is read as corners whatever -BoxFormat says.'
        Y2                = 'Bottom edge of the face box, as for X2.'
        BoxFormat         = @{ Description = 'How four box numbers are read: XYWH (x, y, width, height) or XYXY (x1, y1, x2, y2).'; Default = 'XYWH' }
        ExpansionFactor   = @{ Description = 'Total margin as a share of the box size: 0.2 adds int(w*0.2/2) pixels left and right and int(h*0.2/2) above and below. 0 cuts the box itself.'; Default = '0.2' }
        MaxSide           = @{ Description = 'Bound on the longest side of a crop, in pixels; larger crops are shrunk with INTER_AREA. 0 or $null keeps the original size.'; Default = '256' }
        MaxPixels         = @{ Description = 'Largest image accepted, in pixels (width * height), read from the file header before decoding so that a decompression bomb is refused without allocating it. 0 removes the limit.'; Default = '100000000' }
        DetectorModel     = @{ Description = 'The YuNet ONNX model (face_detection_yunet_2023mar.onnx) used for images that come without a box.'; Default = '$env:FACEEVAL_DETECTOR_MODEL, else the bundled face_detection_yunet_2023mar.onnx' }
        MinConfidence     = @{ Description = 'Lowest detector score for a face to be cropped, 0 to 1.'; Default = '0.8' }
        OutputDirectory   = 'Folder to write the PNG crops to (created when missing). Without it the crops stay in memory.'
        PreserveStructure = 'Keep each source image''s sub-folder, relative to -Root, under -OutputDirectory, so s1/1.pgm and s2/1.pgm do not collide.'
        Root              = @{ Description = 'The folder that -PreserveStructure keeps sub-folders relative to.'; Default = 'The current location' }
        Force             = 'Overwrite crop files that already exist and hold something else. Without it, a file that already holds exactly the same crop is kept and the crop is passed on marked Resumed (a re-run resumes); one that differs gives OutputExists.'
        ThrottleLimit     = @{ Description = 'How many images are decoded and cut at once. Output order follows input order whatever the value.'; Default = 'The number of processors' }
        WhatIf            = 'Shows which crop files would be written, without writing them.'
        Confirm           = 'Asks before writing each crop file.'
    }
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Paths of image files.' }
        @{ Type = 'System.IO.FileInfo'; Description = 'Files from Get-ChildItem (bound through PSPath).' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Objects with a Path (or FullName) and box properties X, Y, Width, Height, such as rows of Import-Csv; their other properties are carried onto the crops.' }
    )
    Outputs     = @(
        @{ Type = 'FaceEval.FaceCrop'; Description = 'One per face: SourcePath, FaceIndex, Box, CropBox, Width, Height, Scale, DetectorScore, Landmarks, Path (the PNG, when written), PngData (the PNG bytes, when kept in memory), plus the carried properties.' }
    )
    Notes       = @(
        'Coordinates are pixels with (0,0) at the top-left corner. The crop is img[y1:y2, x1:x2] with x1 = max(0, x - dw), y1 = max(0, y - dh), x2 = min(W, x + w + dw), y2 = min(H, y + h + dh).'
        'Crops are PNG at OpenCV''s default compression; compare crops by their decoded pixels, not by file bytes.'
    )
    Examples    = @(
        @{
            Title   = 'Crop every face in a folder of photos'
            Code    = @'
Get-ChildItem ./examples/data/orl_faces/s1 -Filter *.pgm | Select-Object -First 3 | Get-FaceCrop -OutputDirectory ./crops
'@
            Output  = @'
Identity Source Face Box         CropBox      Size Score Path
-------- ------ ---- ---         -------      ---- ----- ----
s1       1.pgm     0 9,17,70,91  2,8,84,104 84x104 0.935 /home/me/FaceEval/crops/1_0.png
s1       10.pgm    0 11,16,75,97 4,7,88,105 88x105 0.918 /home/me/FaceEval/crops/10_0.png
s1       2.pgm     0 6,8,77,105  0,0,90,112 90x112 0.898 /home/me/FaceEval/crops/2_0.png
'@
            Remarks = 'Run from the repository folder, on the ORL faces the demo uses. With no box given, the YuNet detector that ships with the module finds the faces (Score is its confidence), most confident first; each becomes ./crops/<name>_<n>.png. Run it again and the crops already written are kept and passed on, marked "(kept)"; -Force rewrites them.'
        }
        @{
            Title   = 'Crop from your own detector''s boxes in a CSV, keeping the identity labels'
            Code    = @'
Set-Content ./boxes.csv 'Path,X,Y,Width,Height,Identity',
    './examples/data/orl_faces/s1/1.pgm,20,30,55,65,s1',
    './examples/data/orl_faces/s2/2.pgm,18,28,56,66,s2'
Import-Csv ./boxes.csv | Get-FaceCrop -OutputDirectory ./crops-csv
'@
            Output  = @'
Identity Source Face Box         CropBox      Size Score Path
-------- ------ ---- ---         -------      ---- ----- ----
s1       1.pgm     0 20,30,55,65 15,24,65,77 65x77       /home/me/FaceEval/crops-csv/1_0.png
s2       2.pgm     0 18,28,56,66 13,22,66,78 66x78       /home/me/FaceEval/crops-csv/2_0.png
'@
            Remarks = 'The CSV has the columns Path,X,Y,Width,Height and any labels (here Identity), which are copied onto each crop. Rows for the same image give crops 0, 1, ... of it. Relative paths are taken from the PowerShell location.'
        }
        @{
            Title   = 'Try a box by hand and look at the geometry, without writing a file'
            Code    = @'
Get-FaceCrop ./examples/data/orl_faces/s1/1.pgm -BoundingBox 20,30,50,60 | Format-List SourcePath, Box, CropBox, Width, Height, Scale
'@
            Output  = @'
SourcePath : /home/me/FaceEval/examples/data/orl_faces/s1/1.pgm
Box        : 20,30,50,60
CropBox    : 15,24,60,72
Width      : 60
Height     : 72
Scale      : 1
'@
            Remarks = 'Without -OutputDirectory the crop stays in memory (PngData). The margin of 0.2 adds 5 pixels left and right and 6 above and below; CropBox is the region after clamping to the image, and Scale is 1 as the crop is under 256 pixels.'
        }
        @{
            Title   = 'Several faces given as corners, as RetinaFace and SCRFD write them'
            Code    = @'
Get-FaceCrop -LiteralPath ./examples/data/orl_faces/s1/1.pgm -BoundingBox (20.7,30.2,70.9,90.5),(5,5,40,40) -BoxFormat XYXY
'@
            Output  = @'
Identity Source Face Box         CropBox      Size Score Path
-------- ------ ---- ---         -------      ---- ----- ----
s1       1.pgm     0 20,30,50,60 15,24,60,72 60x72       (in memory, 7,731 bytes)
s1       1.pgm     1 5,5,35,35   2,2,41,41   41x41       (in memory, 3,297 bytes)
'@
            Remarks = 'Each corner is truncated toward zero, so the first box is x=20, y=30, width 50, height 60.'
        }
        @{
            Title   = 'Crop a dataset with one folder per identity, keeping the folders apart'
            Code    = @'
Get-ChildItem ./examples/data/orl_faces -Recurse -Filter *.pgm |
    Get-FaceCrop -OutputDirectory ./crops-tree -PreserveStructure -Root ./examples/data/orl_faces |
    Group-Object { Split-Path (Split-Path $_.Path) -Leaf } | Select-Object -First 3 Name, Count
'@
            Output  = @'
Name Count
---- -----
s1      10
s10     10
s11     10
'@
            Remarks = 's1/1.pgm becomes crops-tree/s1/1_0.png. Without -PreserveStructure, s1/1.pgm and s2/1.pgm would both want 1_0.png, and the second would be refused with an OutputNameCollision error.'
        }
        @{
            Title   = 'See what would be written'
            Code    = @'
Get-ChildItem ./examples/data/orl_faces/s2 -Filter *.pgm | Select-Object -First 2 | Get-FaceCrop -OutputDirectory ./preview -WhatIf
Test-Path ./preview
'@
            Output  = @'
What if: Performing the operation "Write face crop 0 of '/home/me/FaceEval/examples/data/orl_faces/s2/1.pgm'" on target "/home/me/FaceEval/preview/1_0.png".
What if: Performing the operation "Write face crop 0 of '/home/me/FaceEval/examples/data/orl_faces/s2/10.pgm'" on target "/home/me/FaceEval/preview/10_0.png".
False
'@
            Remarks = 'One "What if" line per crop file, and nothing written: the folder is not even created.'
        }
    )
    Links       = @('Invoke-FaceEmbedding', 'about_FaceEval')
}
