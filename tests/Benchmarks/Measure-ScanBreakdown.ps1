<#
.SYNOPSIS
    Where a resnet18 scan's time goes (issue 15), ConvViz and the PyTorch peer side by side, under
    several (libtorch intra-op threads, decode workers) settings, alternating within each repetition.
.DESCRIPTION
    ConvViz (BenchTimings.ScanBreakdown): the prefetcher drained alone (read, hash, decode, fit, batch
    tensor), the forward passes alone on a built batch (with the scan's 20 taps streamed, and bare),
    and the engine scan (everything overlapped). Peer (peer_scan.py breakdown): PIL decode and
    torchvision transform per image, one batch's forward pass, at 1 and 2 threads.
    Uses the peer's data in out/bench-data (./build.ps1 bench -Section Peer makes it).
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-ScanBreakdown.ps1 -Count 64 -Repetitions 3
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $KitPath = (Join-Path $PSScriptRoot '../../out/testkit/ConvViz.TestKit.dll'),
    [string] $DataPath = (Join-Path $PSScriptRoot '../../out/bench-data'),
    [int] $Count = 64,
    [int] $CameraCount = 8,
    [int] $BatchSize = 16,
    [int] $Repetitions = 3,
    # "threads/workers" settings to compare.
    [string[]] $Settings = @('2/2', '1/2', '1/1', '2/1'),
    [switch] $NoPeer
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path (Join-Path $ModulePath 'ConvViz.psd1')).Path
$kit = [ConvViz.Commands.EngineHost]::LoadExtension((Resolve-Path $KitPath).Path)
$Timings = $kit.GetType('ConvViz.TestKit.BenchTimings', $true)
$data = (Resolve-Path $DataPath).Path
$model = Import-ConvModel -Path (Join-Path $data 'resnet18.pth') -Architecture resnet18 -Device cpu
$engine = $model.GetEngine()
$layers = [string[]](@('conv1') + @(foreach ($s in 1..4) { foreach ($b in 0, 1) { "layer$s.$b.conv1"; "layer$s.$b.conv2" } }) + @(foreach ($s in 2..4) { "layer$s.0.downsample" }))
$sets = @(
    @{ Name = 'photos500'; Files = [string[]]@(Get-ChildItem (Join-Path $data 'photos500') -Filter *.jpg | Sort-Object Name | Select-Object -First $Count | ForEach-Object FullName) }
    @{ Name = 'camera'; Files = [string[]]@(Get-ChildItem (Join-Path $data 'camera') -Filter *.jpg | Sort-Object Name | Select-Object -First $CameraCount | ForEach-Object FullName) }
)
$default = $Timings::SetThreads(0)
Write-Host "load $(Get-Content /proc/loadavg); libtorch default threads $default; cores $([Environment]::ProcessorCount)"
$null = $Timings::ScanBreakdown($engine, $sets[0].Files[0..($BatchSize - 1)], $BatchSize, $layers, 2)   # warm-up
$rows = foreach ($r in 1..$Repetitions) {
    $order = if ($r % 2) { $Settings } else { $Settings[($Settings.Count - 1)..0] }
    foreach ($set in $sets) {
        foreach ($s in $order) {
            $threads, $workers = [int[]]($s -split '/')
            $null = $Timings::SetThreads($threads)
            $b = $Timings::ScanBreakdown($engine, $set.Files, $BatchSize, $layers, $workers)
            $n = $set.Files.Count
            $row = [pscustomobject]@{ Rep = $r; Set = $set.Name; Setting = $s; Images = $n
                PrefetchMsPerImage = 1000 * $b['prefetch'] / $n; ForwardTapsMsPerImage = 1000 * $b['forwardTaps'] / $n
                ForwardBareMsPerImage = 1000 * $b['forwardBare'] / $n; ScanMsPerImage = 1000 * $b['scan'] / $n; ScanImagesPerSecond = $n / $b['scan'] }
            Write-Host ("rep {0} {1,-9} t/w {2}: prefetch {3,6:F1}  fwd+taps {4,6:F1}  fwd bare {5,6:F1}  scan {6,6:F1} ms/img  ({7:F1} img/s)" -f $r, $set.Name, $s,
                $row.PrefetchMsPerImage, $row.ForwardTapsMsPerImage, $row.ForwardBareMsPerImage, $row.ScanMsPerImage, $row.ScanImagesPerSecond)
            $row
        }
        if (-not $NoPeer) {
            foreach ($t in 1, 2) {
                $line = & /usr/bin/python3 (Join-Path $PSScriptRoot 'peer_scan.py') breakdown --weights (Join-Path $data 'resnet18.pth') --folder (Join-Path $data $set.Name) --count $set.Files.Count --batch $BatchSize --threads $t 2>&1 | Where-Object { "$_" -like 'RESULT *' }
                $p = "$line".Substring(7) | ConvertFrom-Json
                Write-Host ("rep {0} {1,-9} peer threads {2}: PIL decode {3,6:F1}  transform {4,6:F1}  forward {5,6:F1} ms/img" -f $r, $set.Name, $t, (1000 * $p.decode), (1000 * $p.transform), (1000 * $p.forwardBatch / $p.batch))
            }
        }
    }
}
$null = $Timings::SetThreads($default)
Write-Host "load $(Get-Content /proc/loadavg)"
$rows | Group-Object Set, Setting | ForEach-Object {
    $g = $_.Group
    $med = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
    [pscustomobject]@{ Set = $g[0].Set; Setting = $g[0].Setting; Prefetch = & $med $g.PrefetchMsPerImage; ForwardTaps = & $med $g.ForwardTapsMsPerImage
        ForwardBare = & $med $g.ForwardBareMsPerImage; Scan = & $med $g.ScanMsPerImage; ImagesPerSecond = & $med $g.ScanImagesPerSecond }
} | Format-Table -AutoSize | Out-String | Write-Host
