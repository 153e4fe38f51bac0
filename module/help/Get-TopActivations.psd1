@{
    Synopsis    = 'Finds, for every unit of the chosen layers, the image patches of a dataset where it fires most (the top-9 of Zeiler & Fergus).'
    Description = @'
Get-TopActivations runs every image once through the model, in batches, and keeps for each unit (a channel of a layer's feature map) its k strongest activations over the whole set, on the device. One forward pass per batch serves every layer and unit asked for, and memory does not grow with the number of images.

By default a unit keeps at most one patch per image, its strongest, as in the paper; -AllowSameImage keeps several at distinct positions. Ties break by value, then by the image's full path (ordinal), then by position, so results do not depend on batch size, shard or resume.

Each result is a ConvViz.Activation: layer, unit, rank, value, image path, position (y, x) in the feature map, and PatchBox, the unit's receptive field mapped back to the original image's pixels (through the model's resize and crop) and clipped at its borders. Pipe them to Invoke-Deconvolution to see what the unit responds to.

Images come from the pipeline (Get-ChildItem output, path strings, or objects with a Path property), -Path (wildcards) or -LiteralPath; folders stand for the images in them (-Recurse for subfolders). Every format ImageSharp 2.1 reads works; EXIF orientation is applied, the first frame of an animation is used, images smaller than the model input are scaled up, and images above -MaxPixels are refused without decoding them. An unreadable file is a non-terminating error (ErrorId Image<Reason>, for example ImageTruncated) and the scan goes on.

Long runs: -StatePath saves the running top-k atomically at checkpoints (every -CheckpointSeconds, default 30, and at the end), with a checksum, and holds an exclusive lock on it while the scan runs (a second scan on the same file stops with StateFileInUse naming the owner); running the same command again resumes and skips images already counted (by path and SHA-256 of the content). -Shard i/n takes a deterministic share of the images (by a hash of the full path) so a scheduler can spread the work; Merge-TopActivations combines the shards' states. Ctrl+C stops after the batch in flight; the state file keeps what was scanned. A kill loses at most the work since the last checkpoint. -Recurse walks every real folder once (link loops are reported with -Verbose); FIFOs, sockets and devices are refused as ImageNotAFile without being opened. The state format is described in docs/state-format.md.
'@
    Parameters  = @{
        Path           = 'Images or folders to scan; wildcards allowed. Also taken from the pipeline (strings or objects with a Path property).'
        LiteralPath    = 'Images or folders to scan, taken literally (for names with [ ] * ?). Get-ChildItem output binds here.'
        Recurse        = 'Include the images in subfolders of the folders given.'
        Model          = 'The model: a ConvViz.Model or a name (resnet18, the embedded pretrained network, is the default).'
        Layer          = 'Layer names, aliases or wildcards; * (the default) means every conv layer. Tab completion offers the model''s names.'
        Unit           = 'The units (channels) to keep, as integers or ranges such as 0..31. Default: all units of each layer.'
        Top            = 'How many patches to keep per unit. Default 9.'
        Stage          = 'Which value of the layer to rank: Activation (after its ReLU, the paper''s choice, default), PreActivation (before it), or Pooled (after the max-pool that follows the layer).'
        BatchSize      = 'Images per forward pass. Default 16. Memory grows with it; lower it if the device runs out.'
        Device         = 'cpu, cuda, cuda:N or auto (default: CUDA when available).'
        AllowSameImage = 'Keep several patches of one image (at distinct positions) instead of only its strongest.'
        StatePath      = 'A scan state file: resumed from when it exists, rewritten atomically at every checkpoint, locked while the scan runs. A literal path (wildcard characters are refused). With -WhatIf, nothing is scanned or written: the cmdlet says which images it would scan into which state.'
        CheckpointSeconds = 'Seconds between checkpoints of -StatePath (also spaced to at least 20 times the last write, so writing stays near 5% of the scan); 0 writes after every batch. Default 30.'
        Shard          = 'i/n: scan only the images of shard i of n (1-based), chosen by a hash of the full path.'
        MaxPixels      = 'Refuse images with more pixels than this (decompression bombs) before decoding them. Default 178956970.'
    }
    Defaults    = @{ Model = 'resnet18'; Unit = 'All units of each layer' }
    Inputs      = @(
        @{ Type = 'System.IO.FileInfo'; Description = 'Files from Get-ChildItem.' }
        @{ Type = 'System.String'; Description = 'Paths.' }
    )
    Outputs     = 'ConvViz.Activation records, by layer, unit and rank.'
    Notes       = 'Alias: Get-TopActivation. -Verbose reports each step (model, layers, the number of images, the time the scan took).'
    Examples    = @(
        @{
            Title   = 'The top-9 patches of the first 8 units of a layer'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-ChildItem $photos -File | Get-TopActivations -Model resnet18 -Layer layer1.0.conv1 -Unit 0..7 -Top 3
'@
            Remarks = 'Scans the photos once and lists, for units 0 to 7, the three strongest activations with image path, position and patch box.'
        }
        @{
            Title   = 'A resumable scan, split into shards'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
$state = Join-Path ([IO.Path]::GetTempPath()) 'convviz-example'
New-Item -ItemType Directory -Force $state | Out-Null
1..2 | ForEach-Object { Get-TopActivations -Path $photos -Model resnet18 -Layer conv1 -Unit 0..3 -Shard "$_/2" -StatePath "$state/shard$_.json" | Out-Null }
Merge-TopActivations -StatePath "$state/shard1.json", "$state/shard2.json"
'@
            Remarks = 'Each shard could run on another machine (a Slurm array task, a scheduled job); the merge gives exactly what one scan over all the photos gives. See examples/ for complete scripts.'
        }
    )
    Links       = @('Merge-TopActivations', 'Invoke-Deconvolution', 'Export-PatchGrid')
}
