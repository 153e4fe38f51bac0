<#
.SYNOPSIS
    Scans a folder of images on one machine with several runspaces, one shard each, and
    merges the shards into one top-k.
.DESCRIPTION
    Each runspace of ForEach-Object -Parallel runs Get-TopActivations -Shard i/n with its own
    state file (StateFolder/shard<i>.json), so an interrupted run resumes where each shard
    stopped. Merge-TopActivations then combines the shard states; because the top-k order is
    total, the merged records are exactly those of a single Get-TopActivations over all the
    images. Writes the merged activation records to the pipeline and, with -OutputStatePath,
    the merged state file (Export-ConvVizReport -StatePath reads it).

    Every runspace shares the process and the model; torch already uses every core inside one
    forward pass, so more shards than cores rarely help. Shards pay off most when decoding is
    the bottleneck (large JPEGs) or when the shard states are wanted anyway.
.PARAMETER Path
    A folder of images (searched recursively) or image files.
.PARAMETER ShardCount
    How many shards (and runspaces). Defaults to the number of cores.
.EXAMPLE
    ./examples/Invoke-ParallelScan.ps1 -Path ./photos -Layer layer1, layer2 -Unit 0..15 -OutputStatePath ./state/merged.json |
        Invoke-Deconvolution | Export-PatchGrid -Path ./layer1.png
.EXAMPLE
    ./examples/Invoke-ParallelScan.ps1 -Path ./photos -ShardCount 4 -StateFolder ./state
    Export-ConvVizReport -StatePath ./state/shard1.json, ./state/shard2.json, ./state/shard3.json, ./state/shard4.json -Path report.html
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $Path,
    [string[]] $Layer = @('*'),
    # Units as Get-TopActivations takes them: 0..15, "0-15", 3. All units when omitted.
    [object] $Unit,
    [ValidateRange(1, 10000)] [int] $Top = 9,
    # A model name (resnet18, zfnet, ...); the default is the pretrained resnet18.
    [string] $Model = 'resnet18',
    [ValidateRange(1, 256)] [int] $ShardCount = [Environment]::ProcessorCount,
    [string] $StateFolder = './state',
    [string] $OutputStatePath,
    [int] $BatchSize = 16,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz')
)
$ErrorActionPreference = 'Stop'
$manifest = if (Test-Path (Join-Path $ModulePath 'ConvViz.psd1')) { (Resolve-Path (Join-Path $ModulePath 'ConvViz.psd1')).Path } else { 'ConvViz' }
Import-Module $manifest -Verbose:$false
New-Item -ItemType Directory -Force $StateFolder | Out-Null
$StateFolder = (Resolve-Path $StateFolder).Path

# Every shard must see the same full paths: a shard is chosen by hashing the full path.
$extensions = '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp', '.tga'
$files = @(foreach ($p in $Path) {
        $item = Get-Item -LiteralPath $p
        if ($item.PSIsContainer) { Get-ChildItem -LiteralPath $item.FullName -File -Recurse | Where-Object { $_.Extension -in $extensions } } else { $item }
    }) | ForEach-Object FullName | Sort-Object -Unique
if ($files.Count -eq 0) { throw "No images in $($Path -join ', ')." }

$scan = @{ Layer = $Layer; Top = $Top; Model = $Model; BatchSize = $BatchSize }
if ($null -ne $Unit) { $scan.Unit = $Unit }
$statePaths = 1..$ShardCount | ForEach-Object { Join-Path $StateFolder "shard$_.json" }

$clock = [Diagnostics.Stopwatch]::StartNew()
$summary = 1..$ShardCount | ForEach-Object -ThrottleLimit $ShardCount -Parallel {
    $ErrorActionPreference = 'Stop'
    Import-Module $using:manifest -Verbose:$false
    $options = $using:scan
    $state = ($using:statePaths)[$_ - 1]
    $started = [Diagnostics.Stopwatch]::StartNew()
    # Records are not needed here: the state file holds the shard's top-k.
    Get-TopActivations -LiteralPath $using:files @options -Shard "$_/$($using:ShardCount)" -StatePath $state | Out-Null
    [pscustomobject]@{ Shard = "$_/$($using:ShardCount)"; StatePath = $state; Seconds = [math]::Round($started.Elapsed.TotalSeconds, 1) }
}
$summary | Sort-Object Shard | ForEach-Object { Write-Verbose "Shard $($_.Shard): $($_.Seconds) s -> $($_.StatePath)" }
Write-Verbose ("{0} images in {1} shards, {2:F1} s" -f $files.Count, $ShardCount, $clock.Elapsed.TotalSeconds)

$merge = @{ StatePath = $statePaths; Model = $Model }
if ($OutputStatePath) { $merge.OutputStatePath = $OutputStatePath }
Merge-TopActivations @merge
