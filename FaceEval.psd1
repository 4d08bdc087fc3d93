# The template of the module manifest. build.ps1 copies it into out/FaceEval and sets ModuleVersion from
# <Version> in Directory.Build.props, the one place the version is written.
@{
    RootModule           = 'FaceEval.dll'
    ModuleVersion        = '0.0.0'  # set by build.ps1
    GUID                 = '5b0f3a52-8a0e-4b7e-9d0c-3f6c2d1e9a41'
    Author               = 'FaceEval'
    CompanyName          = 'FaceEval'
    Copyright            = '(c) FaceEval contributors. Apache-2.0.'
    Description          = 'Benchmark hosted face-recognition models on your own labelled data: lossless face crops, embeddings from a feature-extraction API, and verification metrics.'
    PowerShellVersion    = '7.6'  # the version the tests run on (see README, Platforms)
    CompatiblePSEditions = @('Core')
    # The objects the cmdlets write; the engine and its packages load from Dependencies/ into the module's own context.
    RequiredAssemblies   = @('FaceEval.Objects.dll')
    FormatsToProcess     = @('FaceEval.format.ps1xml')
    CmdletsToExport      = @('Get-FaceCrop', 'Invoke-FaceEmbedding', 'Import-FaceEmbedding', 'Compare-FaceEmbedding', 'Measure-FaceVerification', 'Merge-FaceVerificationState', 'Compare-FaceModel', 'Measure-FaceIdentification', 'Measure-FaceEmbeddingRun', 'Get-FaceEvalPlan', 'Start-FaceEvalServer', 'Get-FaceEvalServer', 'Stop-FaceEvalServer', 'New-FaceEvalSample', 'Remove-FaceEvalData')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('FaceRecognition', 'Biometrics', 'Evaluation', 'OpenCV', 'ROC')
            LicenseUri = 'https://www.apache.org/licenses/LICENSE-2.0'
        }
    }
}
