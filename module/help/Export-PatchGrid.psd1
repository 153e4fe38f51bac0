@{
    Synopsis    = 'Draws projections beside their image patches, unit by unit, as in Figure 2 of Zeiler & Fergus.'
    Description = @'
Export-PatchGrid collects ConvViz.Projection records and writes one sheet (PNG or JPEG, by the extension of -Path). Each unit gets a block: a grid of its top-k projections (ceil(sqrt(k)) columns, 3x3 for k = 9) beside the grid of the matching image patches; units follow in -Columns columns, labelled with layer and unit. Patches of different sizes are scaled to one -CellSize, keeping their aspect ratio (centred, letterboxed).

Projections are normalised for display one by one, over their three channels together, as a contrast stretch around zero like the paper's figures: zero is mid-grey. Robust (the default) scales by p, the 99th percentile of the non-zero |v| of that projection, and clips beyond it: byte = 255 * clamp(0.5 + v / (2p)); a few extreme pixels then cannot wash out the faint, spread-out projections of deep layers. Symmetric scales by the largest |v| instead, so the extreme becomes exactly 0 or 255: byte = 255 * (0.5 + v / (2 * max|v|)). MinMax stretches the smallest value to 0 and the largest to 255. Absolute maps |v| / max|v| to 0..255.

A ConvViz.FeatureMap record (from Get-FeatureMap) is drawn as a grid of heat maps instead.

The file is written to a temporary file beside the target and renamed over it, so a failure never leaves a half-written sheet and an earlier file stays intact.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        InputObject   = 'ConvViz.Projection records (or one ConvViz.FeatureMap).'
        Path          = 'The sheet to write: .png, .jpg or .jpeg.'
        Columns       = 'Units per row. Default 4.'
        CellSize      = 'Pixels per cell (each projection and patch). Default 64.'
        Layout        = 'Projections, Patches or Both (default).'
        Normalization = 'How projections are scaled for display: Robust (default), Symmetric, MinMax or Absolute (see the description).'
        PassThru      = 'Return the written file as a FileInfo.'
    }
    Inputs      = @(@{ Type = 'ConvViz.Projection'; Description = 'Projections from Invoke-Deconvolution.' })
    Outputs     = 'With -PassThru, the FileInfo of the sheet.'
    Examples    = @(
        @{
            Title   = 'The top-9 of 8 units of a layer, as one sheet'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
$sheet = Join-Path ([IO.Path]::GetTempPath()) 'layer1.png'
Get-ChildItem $photos -File | Get-TopActivations -Layer layer1.0.conv2 -Unit 0..7 |
    Invoke-Deconvolution | Export-PatchGrid -Path $sheet -Columns 4 -PassThru
'@
            Remarks = 'Writes a sheet of 8 units, each with its 9 projections and 9 patches.'
        }
    )
    Links       = @('Invoke-Deconvolution', 'Export-ConvVizReport', 'Get-FeatureMap')
}
