@{
    Synopsis    = 'Combines the scan states of shards into the top activations of one scan over all their images.'
    Description = @'
Merge-TopActivations reads scan state files written by Get-TopActivations -StatePath (typically one per -Shard i/n) and returns the ConvViz.Activation records one scan over all the images would have given. The states must come from the same model (same weights), layers, stage, units and k; a state that is corrupt, truncated or from a newer ConvViz is an error, and it is never overwritten.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        StatePath       = 'The state files to merge.'
        OutputStatePath = 'Also write the merged state here (atomically); it can be resumed or merged again.'
        Model           = 'The model the states belong to, attached to the records so Invoke-Deconvolution can use it. Default: none (Invoke-Deconvolution then takes -Model).'
    }
    Defaults    = @{ Model = 'None (Invoke-Deconvolution then takes -Model)' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'State file paths.' })
    Outputs     = 'ConvViz.Activation records.'
    Examples    = @(
        @{
            Title   = 'Merge shard states'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
$dir = Join-Path ([IO.Path]::GetTempPath()) 'convviz-merge-example'
New-Item -ItemType Directory -Force $dir | Out-Null
1..3 | ForEach-Object { Get-TopActivations -Path $photos -Model resnet18 -Layer conv1 -Unit 0..1 -Top 2 -Shard "$_/3" -StatePath "$dir/s$_.json" | Out-Null }
Get-ChildItem $dir -Filter 's*.json' | Merge-TopActivations -Model resnet18 -OutputStatePath "$dir/all.json"
'@
            Remarks = 'Merges three shards and keeps the merged state.'
        }
    )
    Links       = @('Get-TopActivations')
}
