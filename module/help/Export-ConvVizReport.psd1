@{
    Synopsis    = 'Writes one self-contained HTML report of what a network''s units respond to.'
    Description = @'
Export-ConvVizReport builds one HTML file with every image embedded (it opens offline in any browser): the model and its layer geometry (as Get-ConvLayer shows it), then per layer the grid of each unit's projections and patches, with the image path, value and position on hover, and the run's metadata (date, image count, time taken). Layers are collapsible and paged (-UnitsPerPage) and images load lazily, so reports of thousands of units stay readable. Every string taken from file names is HTML-escaped.

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
        Started      = 'When the run began, for the time taken shown in the report. Default: when Export-ConvVizReport started, which covers a pipeline that streams into it.'
        Method       = 'Projection method for -StatePath and -Checkpoint: Deconvnet (default), GuidedBackprop or Gradient.'
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
