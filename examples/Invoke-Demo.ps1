<#
.SYNOPSIS
    The ConvViz demo: what the units of the pretrained ResNet-18 respond to, on a folder of photos.
.DESCRIPTION
    Uses the ImageNet-trained ResNet-18 that ships with the module, over the demo dataset
    (./build.ps1 demo: the skimage photographs and about 555 pictures of Debian's
    tuxpaint-stamps-default: animals, birds, food, plants, vehicles, buildings). It prints the layer
    geometry and, as a check that the weights are real, each photo's nearest neighbours by
    cosine similarity of the 512 features. Then it finds the top-9 patches of 16 units in
    five layers, projects them back to pixel space with the deconvnet of Zeiler and Fergus and
    with guided backpropagation side by side (one forward pass), cuts each patch to its effective
    receptive field, optimises a feature visualisation for each unit of layer3 and layer4, and writes a sheet per layer, the first-layer filters and one HTML report, with occlusion
    sensitivity, an invariance chart and a correspondence table for two views of a motorcycle.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz'),
    [Parameter(Mandatory)] [string] $ImagePath,
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/demo'),
    [string[]] $Layer = @('conv1', 'layer1', 'layer2', 'layer3', 'layer4'),
    [string] $Unit = '0..15'
)
$ErrorActionPreference = 'Stop'
# Progress lines go to the information stream (shown: the demo is run to be read).
$InformationPreference = 'Continue'
Import-Module (Join-Path (Resolve-Path $ModulePath) 'ConvViz.psd1')
New-Item -ItemType Directory -Force $OutputPath | Out-Null
$clock = [Diagnostics.Stopwatch]::StartNew()
$started = Get-Date

$model = Import-ConvModel
Write-Information "Model: $($model.Name), $($model.Source)"
$model | Get-ConvLayer -Layer conv1, layer1, layer2, layer3, layer4 | Format-Table | Out-String -Width 120 | ForEach-Object { Write-Information $_ }

$correspondence = @()
$photos = @(Get-ChildItem -LiteralPath $ImagePath -File -Recurse | Where-Object Extension -in '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp')
Write-Information "$($photos.Count) photos in $ImagePath"

# Nearest neighbours by cosine similarity of the pretrained features: the proof the weights are real.
$vectors = @($photos | Get-ConvModelOutput -Model $model)
Write-Information "`nNearest neighbours (cosine similarity of the 512 features):"
$probe = @($vectors | Where-Object { (Split-Path $_.ImagePath -Leaf) -match '^(motorcycle_left|chelsea|astronaut|coffee|rocket)\.' })
if ($probe.Count -eq 0) { $probe = $vectors | Select-Object -First 4 }
foreach ($v in $probe) {
    $near = $vectors | Where-Object { $_ -ne $v } | ForEach-Object { [pscustomobject]@{ Photo = Split-Path $_.ImagePath -Leaf; Similarity = $v.CosineSimilarity($_) } } |
        Sort-Object Similarity -Descending | Select-Object -First 3
    Write-Information ("  {0,-22} -> {1}" -f (Split-Path $v.ImagePath -Leaf), (($near | ForEach-Object { '{0} ({1:F2})' -f $_.Photo, $_.Similarity }) -join ', '))
}

Write-Information "`nTop-9 patches of units $Unit in $($Layer -join ', ')"
$activations = $photos | Get-TopActivations -Model $model -Layer $Layer -Unit $Unit -Top 9
# Both methods side by side from one forward pass (ResNet-18's default is GuidedBackprop: a deep
# unit's deconvnet projection is mostly checkerboard on a network with one max-pool), each patch
# cut to the box holding 95% of the projection: deep fields cover the whole photo.
$projections = @($activations | Invoke-Deconvolution -Model $model -Method Deconvnet, GuidedBackprop -Crop Effective)
# What each deep unit wants to see (Olah, Mordvintsev & Schubert, Distill 2017): an image optimised from
# noise to drive the unit, shown first in its row, beside its top-9. 128 px (Lucid's size) and 64 steps
# (an eighth of its; 128 look much the same on ResNet-18 layer4) keep the demo within minutes.
$deep = @($Layer | Where-Object { $_ -in 'layer3', 'layer4' })
$visualizations = @(foreach ($name in $deep) {
    Write-Information "  feature visualisations of $name units $Unit"
    New-FeatureVisualization -Model $model -Layer $name -Unit $Unit -Size 128 -Steps 64 -Seed 1 -BatchSize 16
})
foreach ($name in $Layer) {
    $sheet = Join-Path $OutputPath "$name.png"
    @($visualizations) + $projections | Where-Object Layer -eq $name | Export-PatchGrid -Path $sheet -Columns 4 -CellSize 56
    Write-Information "  wrote $sheet"
}
Export-FilterGrid -Model $model -Path (Join-Path $OutputPath 'filters.png')
Write-Information "  wrote $(Join-Path $OutputPath 'filters.png')"

# Occlusion sensitivity (section 4.2): where does hiding part of the photo change the features most?
Write-Information "`nOcclusion sensitivity and invariance"
$occluded = @($photos | Where-Object Name -in 'chelsea.png', 'motorcycle_left.png' | Select-Object -First 2)
if ($occluded.Count -eq 0) { $occluded = @($photos | Select-Object -First 2) }
$occlusion = @($occluded | ForEach-Object { Measure-OcclusionSensitivity -LiteralPath $_.FullName -Model $model -PatchSize 48 -Stride 16 })
foreach ($o in $occlusion) {
    $heat = Join-Path $OutputPath ("occlusion-{0}.png" -f [IO.Path]::GetFileNameWithoutExtension($o.ImagePath))
    $o | Export-HeatMap -Path $heat -Map Distance -Overlay | Out-Null
    Write-Information "  wrote $heat"
}
# Invariance (Figure 5): how far the features move as the photo is shifted.
$invariance = @(Measure-Invariance -LiteralPath $occluded[0].FullName -Model $model -Transform Translate -Range (-48, -32, -16, 0, 16, 32, 48) -ChartPath (Join-Path $OutputPath 'invariance.png'))
Write-Information "  wrote $(Join-Path $OutputPath 'invariance.png')"

# Correspondence (section 4.3): do the same parts, hidden in the two views of the motorcycle, move the features alike?
$left = $photos | Where-Object Name -eq 'motorcycle_left.png' | Select-Object -First 1
$right = $photos | Where-Object Name -eq 'motorcycle_right.png' | Select-Object -First 1
if ($left -and $right) {
    Write-Information "`nCorrespondence of parts in the two motorcycle views (lower = more consistent; Ratio < 1 beats random squares):"
    # Regions (x, y, width, height) annotated by eye; the right view is shifted about 55 px left.
    @(
        [pscustomobject]@{ LiteralPath = $left.FullName; Part = 'headlight'; Region = '505,122,65,65' }
        [pscustomobject]@{ LiteralPath = $right.FullName; Part = 'headlight'; Region = '450,122,65,65' }
        [pscustomobject]@{ LiteralPath = $left.FullName; Part = 'front hub'; Region = '560,340,70,70' }
        [pscustomobject]@{ LiteralPath = $right.FullName; Part = 'front hub'; Region = '505,345,70,70' }
    ) | Measure-Correspondence -Model $model -Layer layer2, layer3, layer4 -RandomTrials 10 | Tee-Object -Variable correspondence | Format-Table | Out-String -Width 120 | ForEach-Object { Write-Information $_ }
}

$report = Join-Path $OutputPath 'report.html'
@($projections) + $visualizations + $occlusion + $invariance + @($correspondence | Where-Object { $_ }) |
    Export-ConvVizReport -Model $model -Path $report -Started $started -FilterLayer conv1 -Title "ConvViz demo: pretrained ResNet-18 on $($photos.Count) images"
Write-Information "  wrote $report"
Write-Information ("Done in {0:F0} s." -f $clock.Elapsed.TotalSeconds)
