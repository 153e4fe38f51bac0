@{
    Synopsis    = 'Returns the activation maps of one layer for each image (the "6×6×256" on the slide).'
    Description = @'
Get-FeatureMap runs each image through the model and returns a ConvViz.FeatureMap: the layer's output (Channels x Height x Width floats, at the chosen stage), the unit with the largest total activation, and the maximum. Pipe one to Export-PatchGrid to draw it as a grid of heat maps, or use -HeatMapFolder to write one sheet per image.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        Path          = 'Images (wildcards allowed).'
        LiteralPath   = 'Images, taken literally.'
        Model         = 'The model. Default resnet18.'
        Layer         = 'The layer.'
        Stage         = 'Activation (default), PreActivation or Pooled.'
        HeatMapFolder = 'Also write each image''s maps as a grid of heat maps into this folder (<image>.<layer>.png).'
    }
    Defaults    = @{ Model = 'resnet18' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'Image paths.' })
    Outputs     = 'ConvViz.FeatureMap records.'
    Examples    = @(
        @{
            Title   = 'The maps of the last stage for a photo, drawn as heat maps'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-FeatureMap -Path (Join-Path $photos 'chelsea.jpg') -Layer layer4 |
    Export-PatchGrid -Path (Join-Path ([IO.Path]::GetTempPath()) 'chelsea-layer4.png') -Columns 32 -CellSize 16 -PassThru
'@
            Remarks = 'The 512 maps of 7×7 of the last stage.'
        }
    )
    Links       = @('Export-PatchGrid', 'Get-ConvLayer')
}
