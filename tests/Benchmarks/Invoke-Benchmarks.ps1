<#
.SYNOPSIS
    ConvViz benchmarks: scan throughput against the bare forward pass (issue 4), scan memory
    growth with the number of images (issue 4), and deconvnet projection cost in forward-pass
    equivalents (issue 5).
.DESCRIPTION
    Every figure comes from this one run: throughputs are medians over -Repetitions runs and
    each ratio is taken between runs of the same repetition (the median of those ratios is
    printed). Images are generated (seeded block noise, PNG/JPEG/BMP) in a temporary folder
    that is removed at the end. Peak memory is the peak resident set (VmHWM, or the peak
    working set on Windows) of a fresh child pwsh per image count.
    Writes results.json and results.md to -OutputPath and prints the same table.
.PARAMETER Quick
    Smaller sizes for a smoke run (not for quoting).
.EXAMPLE
    dotnet pwsh ./build.ps1 bench
.EXAMPLE
    pwsh tests/Benchmarks/Invoke-Benchmarks.ps1 -ModulePath out/ConvViz -OutputPath out/bench -Quick
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../../out/bench'),
    [string] $KitPath = (Join-Path $PSScriptRoot '../../out/testkit/ConvViz.TestKit.dll'),
    [ValidateRange(1, 100)] [int] $Repetitions = 3,
    [ValidateRange(16, 10000)] [int] $ImageCount = 64,
    [ValidateRange(1, 256)] [int] $BatchSize = 16,
    # Image counts of the small-model memory measurement (zfnet conv1).
    [int[]] $MemorySizes = @(500, 5000),
    # Image counts of the resnet18 (all conv layers) memory measurement; empty skips it.
    [int[]] $ResNetMemorySizes = @(200, 1000),
    [string] $ProjectionLayer = 'layer3',
    [ValidateRange(1, 512)] [int] $ProjectionUnits = 64,
    [ValidateRange(1, 20)] [int] $ProjectionRepetitions = 2,
    # Images of the state-writing overhead measurement (with against without -StatePath); 0 skips it.
    [ValidateRange(0, 1000000)] [int] $StateImageCount = 20000,
    # Streaming projection: units x top of layer1 records (64 x 36 = 2,304), projected in a fresh pwsh.
    [int] $StreamUnits = 64,
    [int] $StreamTop = 36,
    # Which parts run: Peer = ConvViz against the PyTorch script (issue 15); Engine = the
    # throughput, memory and projection-cost sections (issues 4 and 5) with the two below; All = both.
    # State = only the state-writing overhead; Stream = only the Invoke-Deconvolution stream (issue 14).
    # FeatureVisualization = New-FeatureVisualization units per minute and peak memory (issue 18).
    [ValidateSet('All', 'Peer', 'Engine', 'State', 'Stream', 'FeatureVisualization')] [string] $Section = 'All',
    # Feature visualisation: resnet18 layer, image side, steps, and the batch sizes measured
    # (one batch of that many units each, in a fresh pwsh for its peak resident set).
    [string] $VisualizationLayer = 'layer3',
    [ValidateRange(8, 1024)] [int] $VisualizationSize = 224,
    [ValidateRange(1, 100000)] [int] $VisualizationSteps = 512,
    [int[]] $VisualizationBatchSizes = @(1, 8, 32),
    # Real photographs the peer's JPEG sets are made from (build.ps1 passes the demo photos).
    [string] $PhotoPath = (Join-Path $PSScriptRoot '../../out/photos'),
    # Cached peer data (weights, JPEG sets): made once, reused by later runs.
    [string] $DataPath = (Join-Path $PSScriptRoot '../../out/bench-data'),
    [ValidateRange(16, 10000)] [int] $PeerImageCount = 320,
    [ValidateRange(1, 1000)] [int] $CameraImageCount = 64,
    # Units of layer3 whose top-9 the peer comparison projects (x 9 records).
    [ValidateRange(1, 256)] [int] $PeerProjectionUnits = 64,
    [switch] $Quick
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
if ($Quick) {
    $Repetitions = 2; $ImageCount = 32; $MemorySizes = @(50, 200); $ResNetMemorySizes = @(); $ProjectionUnits = 8; $ProjectionRepetitions = 1; $StateImageCount = 500; $StreamUnits = 8; $StreamTop = 4
    $PeerImageCount = 32; $CameraImageCount = 4
    $VisualizationSteps = 8; $VisualizationBatchSizes = @(1, 2)
}
$ModulePath = (Resolve-Path $ModulePath).Path
$KitPath = (Resolve-Path $KitPath).Path
Import-Module (Join-Path $ModulePath 'ConvViz.psd1')
$kit = [ConvViz.Commands.EngineHost]::LoadExtension($KitPath)
$Timings = $kit.GetType('ConvViz.TestKit.BenchTimings', $true)
$Corpus = $kit.GetType('ConvViz.TestKit.CorpusFactory', $true)
New-Item -ItemType Directory -Force $OutputPath | Out-Null
$OutputPath = (Resolve-Path $OutputPath).Path
$work = Join-Path ([IO.Path]::GetTempPath()) ("convviz-bench-" + [IO.Path]::GetRandomFileName())
New-Item -ItemType Directory -Force $work | Out-Null
$total = [Diagnostics.Stopwatch]::StartNew()

function Get-Median([double[]] $Values) { $Timings::Median([Collections.Generic.List[double]]$Values) }

# Runs a script in a fresh pwsh and returns the JSON of its last "RESULT {...}" line.
function Invoke-ChildResult([string] $Text, [string] $What) {
    $cmd = Get-PwshCommand
    $rest = @($cmd | Select-Object -Skip 1)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Text))
    $lines = & $cmd[0] @rest -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object ToString
    $line = $lines | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1
    if ($LASTEXITCODE -ne 0 -or -not $line) { throw "$What failed:`n$($lines -join "`n")" }
    $line.Substring(7) | ConvertFrom-Json
}

function Measure-Seconds([scriptblock] $Script) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Script | Out-Null
    $clock.Elapsed.TotalSeconds
}

function Get-PwshCommand {
    $exe = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $exe) { return , @($exe) }
    return , @('dotnet', (Join-Path $PSHOME 'pwsh.dll'))
}

# Runs a scan in a fresh pwsh and returns its peak resident set; the child prints one JSON line.
function Measure-ScanMemory([string] $Architecture, [string[]] $Layer, [string] $Folder, [int] $Count) {
    $script = @'
$ErrorActionPreference = 'Stop'
function Get-Peak {
    if (Test-Path /proc/self/status) { return [long](((Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -split '\s+')[1]) * 1024 }
    return [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}
Import-Module '@MODULE@'
$model = if ('@ARCH@' -eq 'resnet18') { Import-ConvModel -Device cpu } else { Import-ConvModel -Architecture '@ARCH@' -Device cpu }
$files = @(Get-ChildItem -LiteralPath '@FOLDER@' -File | Sort-Object Name | Select-Object -First @COUNT@ | ForEach-Object FullName)
$before = Get-Peak
$clock = [Diagnostics.Stopwatch]::StartNew()
$n = @(Get-TopActivations -LiteralPath $files -Model $model -Layer @LAYERS@ -BatchSize @BATCH@).Count
$seconds = $clock.Elapsed.TotalSeconds
'RESULT ' + (@{ images = $files.Count; records = $n; peakBeforeScan = $before; peak = (Get-Peak); seconds = $seconds } | ConvertTo-Json -Compress)
'@
    $layers = ($Layer | ForEach-Object { "'$_'" }) -join ','
    $text = $script.Replace('@MODULE@', (Join-Path $ModulePath 'ConvViz.psd1')).Replace('@ARCH@', $Architecture).Replace('@FOLDER@', $Folder).
        Replace('@COUNT@', "$Count").Replace('@LAYERS@', $layers).Replace('@BATCH@', "$BatchSize")
    $r = Invoke-ChildResult $text "Memory child ($Architecture, $Count images)"
    [pscustomobject]@{
        Model = $Architecture; Layers = ($Layer -join ','); Images = [int]$r.images; Records = [int]$r.records
        PeakBeforeScanMB = [math]::Round($r.peakBeforeScan / 1MB, 1); PeakMB = [math]::Round($r.peak / 1MB, 1)
        Seconds = [math]::Round($r.seconds, 1); ImagesPerSecond = [math]::Round($r.images / $r.seconds, 2)
    }
}

# Projects StreamUnits x StreamTop records in a fresh pwsh: time to the first record out of
# Invoke-Deconvolution, total time, and the peak resident set while projecting.
# One batch of feature visualisations (resnet18, BatchSize units of one layer) in a fresh pwsh:
# seconds, units per minute, and the peak resident set before and after.
function Measure-FeatureVisualization([int] $Units) {
    $script = @'
$ErrorActionPreference = 'Stop'
function Get-Peak {
    if (Test-Path /proc/self/status) { return [long](((Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -split '\s+')[1]) * 1024 }
    return [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}
Import-Module '@MODULE@'
$model = Import-ConvModel -Device cpu
$null = New-FeatureVisualization -Model $model -Layer '@LAYER@' -Unit 0 -Size @SIZE@ -Steps 1   # warm-up: native init, kernels
[GC]::Collect()
$before = Get-Peak
$clock = [Diagnostics.Stopwatch]::StartNew()
$n = @(New-FeatureVisualization -Model $model -Layer '@LAYER@' -Unit (0..(@UNITS@ - 1)) -Size @SIZE@ -Steps @STEPS@ -BatchSize @UNITS@).Count
$seconds = $clock.Elapsed.TotalSeconds
'RESULT ' + (@{ units = $n; seconds = $seconds; peakBefore = $before; peak = (Get-Peak) } | ConvertTo-Json -Compress)
'@
    $text = $script.Replace('@MODULE@', (Join-Path $ModulePath 'ConvViz.psd1')).Replace('@LAYER@', $VisualizationLayer).Replace('@SIZE@', "$VisualizationSize").
        Replace('@STEPS@', "$VisualizationSteps").Replace('@UNITS@', "$Units")
    $r = Invoke-ChildResult $text "Feature visualisation child (batch $Units)"
    [pscustomobject]@{
        BatchSize = $Units; Units = [int]$r.units; Seconds = [math]::Round($r.seconds, 1)
        UnitsPerMinute = [math]::Round(60 * $r.units / $r.seconds, 3)
        PeakBeforeMB = [math]::Round($r.peakBefore / 1MB, 1); PeakMB = [math]::Round($r.peak / 1MB, 1)
    }
}

function Measure-ProjectionStream([string] $Folder) {
    $script = @'
$ErrorActionPreference = 'Stop'
function Get-Peak {
    if (Test-Path /proc/self/status) { return [long](((Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -split '\s+')[1]) * 1024 }
    return [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
}
Import-Module '@MODULE@'
$model = Import-ConvModel -Device cpu
$files = @(Get-ChildItem -LiteralPath '@FOLDER@' -File | Sort-Object Name | ForEach-Object FullName)
$records = @(Get-TopActivations -LiteralPath $files -Model $model -Layer layer1 -Unit (0..(@UNITS@ - 1)) -Top @TOP@ -BatchSize 16)
[GC]::Collect()
$before = Get-Peak
$clock = [Diagnostics.Stopwatch]::StartNew()
$script:first = -1.0; $script:n = 0
$records | Invoke-Deconvolution -Model $model | ForEach-Object { if ($script:n -eq 0) { $script:first = $clock.Elapsed.TotalSeconds }; $script:n++ }
$seconds = $clock.Elapsed.TotalSeconds
'RESULT ' + (@{ records = $records.Count; projected = $script:n; images = @($records.ImagePath | Sort-Object -Unique).Count; first = $script:first; seconds = $seconds; peakBefore = $before; peak = (Get-Peak) } | ConvertTo-Json -Compress)
'@
    $text = $script.Replace('@MODULE@', (Join-Path $ModulePath 'ConvViz.psd1')).Replace('@FOLDER@', $Folder).Replace('@UNITS@', "$StreamUnits").Replace('@TOP@', "$StreamTop")
    $r = Invoke-ChildResult $text 'Projection stream child'
    [ordered]@{
        records = [int]$r.records; projected = [int]$r.projected; images = [int]$r.images
        secondsToFirstRecord = [math]::Round($r.first, 2); seconds = [math]::Round($r.seconds, 1)
        recordsPerSecond = [math]::Round($r.projected / $r.seconds, 2)
        peakBeforeMB = [math]::Round($r.peakBefore / 1MB, 1); peakMB = [math]::Round($r.peak / 1MB, 1)
    }
}

. (Join-Path $PSScriptRoot 'PeerBenchmark.ps1')
$loadBefore = Get-LoadAverage
$peer = $null
$rows = @()
try {
  if ($Section -in 'All', 'Peer') {
    $peer = Invoke-PeerBenchmark
    $rows += $peer.Rows
  }
  $throughput = $null; $memory = @(); $growth = @(); $projection = $null; $runs = @(); $stateOverhead = $null; $stream = $null
  $full = $Section -in 'All', 'Engine'
  if ($Section -in 'All', 'Engine', 'State', 'Stream') {
   if ($full) {
    $model = Import-ConvModel -Device cpu
    $engine = $model.GetEngine()
    Write-Host ("ConvViz benchmarks: model {0} ({1}), batch {2}, {3} repetitions, {4} cores" -f $model.Name, $model.Source, $BatchSize, $Repetitions, [Environment]::ProcessorCount) -ForegroundColor Cyan

    # ---- Issue 4: scan throughput against the bare forward pass -------------------------------
    $scanImages = [string[]]$Corpus::Noise((Join-Path $work 'scan'), $ImageCount, 1, 64, 160)
    Write-Host "Scan throughput: $ImageCount generated images (64..160 px, PNG/JPEG/BMP), -Layer * (all conv layers, all units), batch $BatchSize"
    # Warm-up: first-use costs (native init, allocator, kernels) must not land in one contender.
    $warm = $scanImages[0..([math]::Min($BatchSize, $ImageCount) - 1)]
    $null = $Timings::BareForward($engine, $warm, $BatchSize)
    $null = Get-TopActivations -LiteralPath $warm -Model $model -Layer * -BatchSize $BatchSize

    $runs = foreach ($r in 1..$Repetitions) {
        $t = @{}
        # Rotate the order so drift (thermal, page cache) does not favour one contender.
        $order = @('bare', 'engine', 'cmdlet')
        $order = $order[(($r - 1) % 3)..2] + $(if ($r % 3 -ne 1) { $order[0..((($r - 1) % 3) - 1)] } else { @() })
        foreach ($which in $order) {
            $t[$which] = switch ($which) {
                'bare' { $Timings::BareForward($engine, $scanImages, $BatchSize) }
                'engine' { $Timings::EngineScan($engine, $scanImages, $BatchSize, [string[]]@('*')) }
                'cmdlet' { Measure-Seconds { Get-TopActivations -LiteralPath $scanImages -Model $model -Layer * -BatchSize $BatchSize } }
            }
        }
        $row = [pscustomobject]@{
            Repetition = $r
            BareImagesPerSecond = $ImageCount / $t.bare
            EngineScanImagesPerSecond = $ImageCount / $t.engine
            CmdletScanImagesPerSecond = $ImageCount / $t.cmdlet
            EngineRatio = $t.bare / $t.engine
            CmdletRatio = $t.bare / $t.cmdlet
        }
        Write-Host ("  rep {0}: bare {1:F2} img/s, engine scan {2:F2} img/s ({3:F3}), Get-TopActivations {4:F2} img/s ({5:F3})" -f `
                $r, $row.BareImagesPerSecond, $row.EngineScanImagesPerSecond, $row.EngineRatio, $row.CmdletScanImagesPerSecond, $row.CmdletRatio)
        $row
    }
    $throughput = [ordered]@{
        model = $model.Name; batchSize = $BatchSize; images = $ImageCount; repetitions = $Repetitions; layers = '*'
        bareImagesPerSecond = Get-Median $runs.BareImagesPerSecond
        engineScanImagesPerSecond = Get-Median $runs.EngineScanImagesPerSecond
        cmdletScanImagesPerSecond = Get-Median $runs.CmdletScanImagesPerSecond
        engineRatio = Get-Median $runs.EngineRatio
        cmdletRatio = Get-Median $runs.CmdletRatio
        target = 0.9
        runs = @($runs)
    }

    # ---- Issue 4: memory against the number of images ----------------------------------------
    $sizes = @($MemorySizes + $ResNetMemorySizes | Sort-Object -Unique)
    $maxSize = ($sizes | Measure-Object -Maximum).Maximum
    $memory = @()
    if ($maxSize) {
        Write-Host "Scan memory: generating $maxSize small images (16..48 px)"
        $memFolder = Join-Path $work 'memory'
        $null = $Corpus::Noise($memFolder, $maxSize, 2, 16, 48)
        foreach ($n in $MemorySizes) {
            $m = Measure-ScanMemory 'zfnet' @('conv1') $memFolder $n
            Write-Host ("  zfnet conv1, {0,5} images: peak {1} MB ({2} MB before the scan), {3} img/s" -f $n, $m.PeakMB, $m.PeakBeforeScanMB, $m.ImagesPerSecond)
            $memory += $m
        }
        foreach ($n in $ResNetMemorySizes) {
            $m = Measure-ScanMemory 'resnet18' @('*') $memFolder $n
            Write-Host ("  resnet18 *,   {0,5} images: peak {1} MB ({2} MB before the scan), {3} img/s" -f $n, $m.PeakMB, $m.PeakBeforeScanMB, $m.ImagesPerSecond)
            $memory += $m
        }
    }
    $growth = foreach ($g in $memory | Group-Object Model) {
        $rows = @($g.Group | Sort-Object Images)
        if ($rows.Count -lt 2) { continue }
        [pscustomobject]@{
            Model = $g.Name; Layers = $rows[0].Layers; FromImages = $rows[0].Images; ToImages = $rows[-1].Images
            FromPeakMB = $rows[0].PeakMB; ToPeakMB = $rows[-1].PeakMB; GrowthMB = [math]::Round($rows[-1].PeakMB - $rows[0].PeakMB, 1); TargetMB = 50
        }
    }

    # ---- Issue 5: projection cost in forward-pass equivalents ---------------------------------
    Write-Host "Projection: top-9 of units 0..$($ProjectionUnits - 1) of $ProjectionLayer over the $ImageCount images, Invoke-Deconvolution (Deconvnet)"
    $records = @(Get-TopActivations -LiteralPath $scanImages -Model $model -Layer $ProjectionLayer -Unit (0..($ProjectionUnits - 1)) -Top 9 -BatchSize $BatchSize)
    $distinct = @($records.ImagePath | Sort-Object -Unique).Count
    $null = $records[0..([math]::Min(8, $records.Count) - 1)] | Invoke-Deconvolution -Model $model -Method Deconvnet  # warm-up
    $projectionSeconds = foreach ($r in 1..$ProjectionRepetitions) {
        $s = Measure-Seconds { $records | Invoke-Deconvolution -Model $model -Method Deconvnet }
        Write-Host ("  rep {0}: {1} projections in {2:F1} s ({3:F2}/s)" -f $r, $records.Count, $s, ($records.Count / $s))
        $s
    }
    $forward1 = $Timings::ForwardOnly($engine, $scanImages[0], 1, 5)
    $forwardBatch = $Timings::ForwardOnly($engine, $scanImages[0], $BatchSize, 3) / $BatchSize
    $perRecord = (Get-Median $projectionSeconds) / $records.Count
    $projection = [ordered]@{
        model = $model.Name; layer = $ProjectionLayer; records = $records.Count; distinctImages = $distinct; repetitions = $ProjectionRepetitions
        projectionsPerSecond = 1 / $perRecord
        secondsPerProjection = $perRecord
        forwardSecondsBatch1 = $forward1
        forwardSecondsPerImageAtBatch = $forwardBatch
        forwardBatchSize = $BatchSize
        equivalentsVsBatch1 = $perRecord / $forward1
        equivalentsVsBatchedForward = $perRecord / $forwardBatch
        target = 3
        runsSeconds = @($projectionSeconds)
    }
   }

    # ---- Issue 14: state-writing overhead of a large scan ------------------------------------
    $stateOverhead = if ($StateImageCount -and $Section -ne 'Stream') {
        & (Join-Path $PSScriptRoot 'Measure-StateOverhead.ps1') -ModulePath $ModulePath -KitPath $KitPath -Count $StateImageCount -WorkPath (Join-Path $work 'state')
    }

    # ---- Issue 14: Invoke-Deconvolution streams (time to first record, peak RSS) ---------------
   if ($Section -ne 'State') {
    $streamCount = [math]::Max($StreamTop + 4, [int]($StreamTop * 4 / 3))
    Write-Host "Projection stream: $($StreamUnits * $StreamTop) layer1 records over $streamCount images, fresh pwsh"
    $null = $Corpus::Noise((Join-Path $work 'stream'), $streamCount, 3, 64, 160)
    $stream = Measure-ProjectionStream (Join-Path $work 'stream')
   }

    # ---- Report --------------------------------------------------------------------------------
    if ($throughput) { $rows += @(
        [pscustomobject]@{ Measure = "Bare forward ($($model.Name), batch $BatchSize, $ImageCount img, median of $Repetitions)"; Value = '{0:F2} img/s' -f $throughput.bareImagesPerSecond; Target = '' }
        [pscustomobject]@{ Measure = 'Engine scan, -Layer * all units'; Value = '{0:F2} img/s' -f $throughput.engineScanImagesPerSecond; Target = '' }
        [pscustomobject]@{ Measure = 'Get-TopActivations -Layer * all units'; Value = '{0:F2} img/s' -f $throughput.cmdletScanImagesPerSecond; Target = '' }
        [pscustomobject]@{ Measure = 'Ratio engine scan / bare (median of per-rep ratios)'; Value = '{0:F3}' -f $throughput.engineRatio; Target = '>= 0.9' }
        [pscustomobject]@{ Measure = 'Ratio Get-TopActivations / bare (median of per-rep ratios)'; Value = '{0:F3}' -f $throughput.cmdletRatio; Target = '>= 0.9' }
    ) }
    foreach ($m in $memory) {
        $rows += [pscustomobject]@{ Measure = "Peak RSS, $($m.Model) -Layer $($m.Layers), $($m.Images) images (fresh pwsh)"; Value = "$($m.PeakMB) MB"; Target = '' }
    }
    foreach ($g in $growth) {
        $rows += [pscustomobject]@{ Measure = "Peak RSS growth, $($g.Model) $($g.FromImages) -> $($g.ToImages) images"; Value = "$($g.GrowthMB) MB"; Target = '< 50 MB' }
    }
    if ($projection) { $rows += @(
        [pscustomobject]@{ Measure = "Projections ($($projection.records) records of $ProjectionLayer, $distinct images, median of $ProjectionRepetitions)"; Value = '{0:F2} /s' -f $projection.projectionsPerSecond; Target = '' }
        [pscustomobject]@{ Measure = 'Forward pass, 1 image (batch 1, decoded, median of 5)'; Value = '{0:F3} s' -f $forward1; Target = '' }
        [pscustomobject]@{ Measure = "Forward pass per image at batch $BatchSize (median of 3)"; Value = '{0:F3} s' -f $forwardBatch; Target = '' }
        [pscustomobject]@{ Measure = 'Forward-pass equivalents per projection (vs batch 1)'; Value = '{0:F2}' -f $projection.equivalentsVsBatch1; Target = '<= 3' }
        [pscustomobject]@{ Measure = "Forward-pass equivalents per projection (vs batch $BatchSize per image)"; Value = '{0:F2}' -f $projection.equivalentsVsBatchedForward; Target = '<= 3' }
    ) }
    if ($stateOverhead) {
        $rows += [pscustomobject]@{ Measure = "State-writing overhead, $($stateOverhead.images) images, -StatePath vs none (zfnet conv1, median)"; Value = '{0:P1}' -f $stateOverhead.overheadMedian; Target = '< 5%' }
    }
    if ($stream) { $rows += @(
        [pscustomobject]@{ Measure = "Invoke-Deconvolution stream: time to first record ($($stream.records) records, $($stream.images) images)"; Value = '{0:F2} s' -f $stream.secondsToFirstRecord; Target = '' }
        [pscustomobject]@{ Measure = 'Invoke-Deconvolution stream: total'; Value = '{0:F1} s ({1:F2} records/s)' -f $stream.seconds, $stream.recordsPerSecond; Target = '' }
        [pscustomobject]@{ Measure = 'Invoke-Deconvolution stream: peak RSS (before projecting)'; Value = '{0} MB ({1} MB)' -f $stream.peakMB, $stream.peakBeforeMB; Target = '' }
    ) }
  }
  $visualization = @()
  if ($Section -in 'All', 'FeatureVisualization') {
    # ---- Issue 18: feature visualisation throughput and memory --------------------------------
    Write-Host "Feature visualisation: resnet18 $VisualizationLayer, $VisualizationSize px, $VisualizationSteps steps, batch sizes $($VisualizationBatchSizes -join ', ') (fresh pwsh each)"
    foreach ($b in $VisualizationBatchSizes) {
        $v = Measure-FeatureVisualization $b
        $visualization += $v
        Write-Host ("  batch {0,3}: {1} units in {2} s = {3} units/min; peak {4} MB ({5} MB before)" -f $b, $v.Units, $v.Seconds, $v.UnitsPerMinute, $v.PeakMB, $v.PeakBeforeMB)
        $rows += [pscustomobject]@{ Measure = "New-FeatureVisualization resnet18 $VisualizationLayer, $VisualizationSize px, $VisualizationSteps steps, batch $b"; Value = '{0} units/min; peak RSS {1} MB ({2} MB before)' -f $v.UnitsPerMinute, $v.PeakMB, $v.PeakBeforeMB; Target = '' }
    }
  }
    $loadAfter = Get-LoadAverage
    $table = $rows | Format-Table -AutoSize -Wrap | Out-String -Width 160
    Write-Host $table

    $result = [ordered]@{
        date = (Get-Date).ToString('o'); machine = [ordered]@{ os = [Environment]::OSVersion.VersionString; cores = [Environment]::ProcessorCount; pwsh = $PSVersionTable.PSVersion.ToString() }
        loadAverage = [ordered]@{ before = $loadBefore; after = $loadAfter }
        peer = $(if ($peer) { $peer.Result } else { $null })
        throughput = $throughput; memory = @($memory); memoryGrowth = @($growth); projection = $projection; stateOverhead = $stateOverhead; projectionStream = $stream; featureVisualization = @($visualization)
        seconds = [math]::Round($total.Elapsed.TotalSeconds, 1)
    }
    $result | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path $OutputPath 'results.json') -Encoding utf8NoBOM
    $md = @("# ConvViz benchmarks", '', "$($result.date), $($result.machine.cores) cores, $($result.machine.os), pwsh $($result.machine.pwsh); load average $loadBefore before, $loadAfter after.", '',
        '| Measure | Value | Target |', '|---|---|---|')
    $md += $rows | ForEach-Object { "| $($_.Measure) | $($_.Value) | $($_.Target) |" }
    if ($peer) { $md += @('') + $peer.Markdown }
    if ($runs) {
        $md += @('', 'Per-repetition throughput:', '', '| Rep | Bare img/s | Engine scan img/s | Get-TopActivations img/s | Engine ratio | Cmdlet ratio |', '|---|---|---|---|---|---|')
        $md += $runs | ForEach-Object { '| {0} | {1:F2} | {2:F2} | {3:F2} | {4:F3} | {5:F3} |' -f $_.Repetition, $_.BareImagesPerSecond, $_.EngineScanImagesPerSecond, $_.CmdletScanImagesPerSecond, $_.EngineRatio, $_.CmdletRatio }
    }
    $md | Set-Content -LiteralPath (Join-Path $OutputPath 'results.md') -Encoding utf8NoBOM
    Write-Host ("Wrote {0} and results.md in {1:F0} s." -f (Join-Path $OutputPath 'results.json'), $total.Elapsed.TotalSeconds) -ForegroundColor Cyan
    # Tab-completion latency (issue 17), in its own fresh pwsh; completion.json and completion.md beside these.
    if ($Section -in 'All', 'Engine') { & (Join-Path $PSScriptRoot 'Measure-Completion.ps1') -ModulePath $ModulePath -OutputPath $OutputPath }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
exit 0
