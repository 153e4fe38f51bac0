@{
    Synopsis    = 'Draws an occlusion map from Measure-OcclusionSensitivity as a heat map the size of the original image, alone or over the image.'
    Description = @'
Every pixel of the original image takes the value of the grid cell its centre falls in (nearest: the drawn cells are the true cells); pixels the model never saw (cropped away when the image was fitted to the model input) take the unoccluded value. Values are coloured with viridis, stretched from the map's minimum to its maximum. -Overlay blends the colours over the photo: (1 - Alpha) * photo + Alpha * colour.

The file is written atomically (a temporary file renamed over the target), as PNG or JPEG by its extension.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        InputObject = 'A ConvViz.OcclusionMap from Measure-OcclusionSensitivity.'
        Path        = 'Where to write the heat map (.png, .jpg or .jpeg). {0} in the path becomes the image''s file name without extension, so a pipeline of several maps writes one file each.'
        Map         = 'Which map: Probability (of the chosen class), Activation (of the chosen feature map), TopClass (the most probable class index) or Distance (feature extractors). Default Probability for classifiers, Distance for feature extractors.'
        Overlay     = 'Blend the heat map over the image instead of drawing it alone.'
        Alpha       = 'The weight of the heat map colours in the overlay, 0 to 1. Default 0.5.'
    }
    Defaults    = @{ Map = 'Probability (classifiers), Distance (feature extractors)' }
    Inputs      = @(@{ Type = 'ConvViz.OcclusionMap'; Description = 'Occlusion maps from Measure-OcclusionSensitivity.' })
    Outputs     = 'A System.IO.FileInfo for each file written.'
    Notes       = 'Honours -WhatIf and -Confirm. Writing the same file twice in one pipeline is an error (HeatMapPathReused); use {0} in -Path.'
    Examples    = @(
        @{
            Title   = 'One heat map per photo'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-ChildItem $photos -Filter 'c*.jpg' | Select-Object -First 2 |
  Measure-OcclusionSensitivity -Model zfnet -PatchSize 64 -Stride 56 |
  Export-HeatMap -Path (Join-Path ([IO.Path]::GetTempPath()) '{0}-occlusion.png') -Overlay
'@
            Remarks = 'Writes chelsea-occlusion.png and coffee-occlusion.png to the temporary folder: each photo with the probability of its top class drawn over it.'
        }
    )
    Links       = @('Measure-OcclusionSensitivity')
}
