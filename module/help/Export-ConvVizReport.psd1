@{
    Synopsis    = 'Writes one self-contained HTML report of what a network''s units respond to.'
    Description = @'
Export-ConvVizReport builds one HTML file with every image embedded (it opens offline in any browser): the model and the geometry of the layers shown (the full table of every layer collapsed below it), the first layer's filters with -FilterLayer, then per layer the grid of each unit's projections (one panel per method, each labelled with its method) and patches, and the run's metadata: when the scan ended, how many images it covered, how long it took and its k, taken from the records (Get-TopActivations puts them there) or the scan state, never the report command's own time. When fewer than 20 x k images were scanned the report warns that a top-k of so few images says little.

Every unit links to its detail view: each of the top-k at the model's input size (the projection under each method, the patch, and the whole photo with the patch outlined in red and the receptive field dashed), with its rank, activation value, position and image. The view has links to the previous and next unit and layer and back to the grid; in it the arrow keys move between units (left, right) and layers (up, down) and Esc goes back. The box at the top opens a unit by name ("layer3 #17"). Links in the table of contents open the collapsed section they point to. Thumbnails are 48 px for layers with small crops and 96 px for deep layers (-ThumbnailSize sets one size).

Pictures are JPEG (-Lossless: PNG) except the filters, heat maps and charts; -ExternalImages writes them as files in a folder beside the HTML (report_files for report.html) instead of embedding them, so a report of thousands of units stays small and the browser loads only what is shown. ConvViz.Correspondence records from Measure-Correspondence become a table; occlusion maps and invariance points become their sections. Layers are collapsible and paged (-UnitsPerPage) and images load lazily. Every string taken from file names is HTML-escaped.

Input: ConvViz.Projection records from the pipeline; or -StatePath, scan states of Get-TopActivations (several are merged), whose activations are projected first; or -Checkpoint with several models (checkpoints of one training run), -ImagePath, -Layer and -Unit, which shows for the same units the strongest patch and its projection per checkpoint side by side (feature evolution, Figure 4 of the paper).

The file is written atomically (temporary file, then rename).
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        InputObject  = 'ConvViz.Projection records.'
        StatePath    = 'Scan state files of Get-TopActivations; their activations are projected with -Method.'
        Path         = 'The HTML file to write.'
        Model        = 'The model, for the geometry table and for projecting a state: a ConvViz.Model, a built-in name or a model file path. Its weights must be those of the records or state (ModelMismatch otherwise). Default: the records'' model, or the model of this session with their weights.'
        Checkpoint   = 'Several models (for example checkpoints of one training run) for the feature-evolution view.'
        ImagePath    = 'The images to scan for the feature-evolution view (a folder or a file).'
        Layer        = 'Layers for the feature-evolution view; with -StatePath, only these layers of the scan. Default: all.'
        Unit         = 'Units for the feature-evolution view; with -StatePath, only these units. Default: all.'
        Title        = 'The report''s title.'
        Started      = 'When the whole run began: adds its run time to the metadata, beside the scan time the records carry.'
        Method       = 'Projection method(s) for -StatePath and -Checkpoint: Deconvnet, GuidedBackprop or Gradient, or several side by side. Default: per layer, from the graph (see Invoke-Deconvolution).'
        FilterLayer  = 'A first layer whose filters to draw (the paper''s Figure 6), e.g. conv1.'
        ExternalImages = 'Write the pictures as files in a folder beside the HTML (name_files) instead of embedding them as data: URIs.'
        ThumbnailSize = 'Thumbnail cell side in pixels (16 to 512). Default: 48 for layers with crops up to 48 px, 96 otherwise.'
        Lossless     = 'Write every picture as PNG instead of JPEG.'
        UnitsPerPage = 'Units per page within a layer. Default 100.'
        Normalization = 'How projections are scaled for display: Robust (default), Symmetric, MinMax or Absolute, as for Export-PatchGrid.'
        PassThru     = 'Return the written file as a FileInfo.'
    }
    Defaults    = @{ Model = 'The records'' model' }
    Inputs      = @(@{ Type = 'ConvViz.Projection'; Description = 'Projections from Invoke-Deconvolution.' })
    Outputs     = 'With -PassThru, the FileInfo of the report.'
    Examples    = @(
        @{
            Title   = 'A report for two layers'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-TopActivations -Path $photos -Layer conv1, layer2.0.conv1 -Unit 0..3 -Top 4 | Invoke-Deconvolution |
    Export-ConvVizReport -Path (Join-Path ([IO.Path]::GetTempPath()) 'report.html') -Title 'Two layers' -PassThru
'@
            Remarks = 'One HTML file with the geometry table and a grid per layer.'
        }
    )
    Links       = @('Export-PatchGrid', 'Get-TopActivations')
}
