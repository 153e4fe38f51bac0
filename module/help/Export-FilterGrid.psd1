@{
    Synopsis    = 'Draws the first layer''s filters as colour tiles (Figure 6 of Zeiler & Fergus).'
    Description = @'
Export-FilterGrid draws each filter of a model's first conv layer as an RGB tile, normalised per filter (Symmetric by default: 0 is mid-grey), scaled up with nearest-neighbour sampling. The filters are taken as the model input sees them: any channel reordering, mean and scaling the model applies before its first conv (a BGR network, ImageNet normalisation) is folded in, so colours are true RGB. It works for any model whose first layer sees 3 channels.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        Model         = 'The model. Default resnet18 (the embedded pretrained network).'
        Path          = 'The sheet to write: .png, .jpg or .jpeg.'
        Layer         = 'The layer to draw; it must be a first layer (no ReLU or pool before it). Default: the first conv layer.'
        Columns       = 'Tiles per row. Default 16.'
        CellSize      = 'Pixels per tile (rounded down to a whole multiple of the kernel size). Default 56.'
        Normalization = 'Symmetric (default), MinMax or Absolute; applied per filter.'
        PassThru      = 'Return the written file as a FileInfo.'
    }
    Defaults    = @{ Model = 'resnet18'; Layer = 'The first conv layer' }
    Inputs      = @(@{ Type = 'ConvViz.Model'; Description = 'A model.' })
    Outputs     = 'With -PassThru, the FileInfo of the sheet.'
    Examples    = @(
        @{
            Title   = 'The 64 first-layer filters of the pretrained ResNet-18'
            Code    = @'
Export-FilterGrid -Model resnet18 -Path (Join-Path ([IO.Path]::GetTempPath()) 'filters.png') -PassThru
'@
            Remarks = 'Oriented edges and colour blobs, as in the paper.'
        }
    )
    Links       = @('Export-PatchGrid')
}
