@{
    RootModule           = 'ConvViz.Commands.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c9d0e-6f0e-4f5e-9a57-3c1f0c7e2a41'
    Author               = 'The ConvViz team'
    CompanyName          = 'ConvViz'
    Copyright            = '(c) The ConvViz team. MIT License.'
    Description          = 'See what the units of a convolutional network have learned: top activations over a dataset, deconvnet projections (Zeiler & Fergus 2014), patch grids and reports, on TorchSharp.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ConvViz.Format.ps1xml')
    TypesToProcess       = @('ConvViz.Types.ps1xml')
    CmdletsToExport      = @(
        'Import-ConvModel'
        'Get-ConvLayer'
        'Get-TopActivations'
        'Merge-TopActivations'
        'Invoke-Deconvolution'
        'Export-PatchGrid'
        'Export-FilterGrid'
        'Get-FeatureMap'
        'Get-ConvModelOutput'
        'Export-ConvVizReport'
        'Measure-OcclusionSensitivity'
        'Export-HeatMap'
        'Measure-Invariance'
        'Measure-Correspondence'
        'New-FeatureVisualization'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Get-TopActivation')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags                     = @('deep-learning', 'cnn', 'visualization', 'deconvnet', 'torchsharp', 'zeiler-fergus', 'PSEdition_Core', 'Linux', 'Windows')
            LicenseUri               = 'https://opensource.org/licenses/MIT'
            # The bundled ResNet-18 comes from Microsoft.ML.DnnImageFeaturizer.ResNet18, whose
            # package requires license acceptance; License.txt and THIRD-PARTY-NOTICES.txt ship here.
            RequireLicenseAcceptance = $true
            ReleaseNotes             = @'
0.1.0: first release. Top-k activations over a dataset (resumable, shardable), deconvnet,
guided backprop and gradient projections, patch and filter grids, occlusion sensitivity,
invariance and correspondence measures, self-contained HTML reports. Built-in zfnet,
alexnet, vgg16 and resnet18 (embedded pretrained ResNet-18), ONNX and PyTorch state dicts.
Tested on Linux x64 (CPU); the Windows x64 build is untested (see README, Platforms).
'@
        }
    }
}
