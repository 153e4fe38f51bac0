# Deconvolution projections (72 records: top-9 of layer3 units 0..7 over 96 bench JPEGs) through Invoke-Deconvolution
# against peer_scan.py project, alternating, 2 repetitions (issue 15). Needs out/bench-data (./build.ps1 bench -Section Peer).
$ErrorActionPreference = 'Stop'
Import-Module $PSScriptRoot/../../out/ConvViz/ConvViz.psd1
$d = "$PSScriptRoot/../../out/bench-data"
$m = Import-ConvModel -Path "$d/resnet18.pth" -Architecture resnet18 -Device cpu
$files = [string[]]@(Get-ChildItem "$d/photos500" -Filter *.jpg | Sort-Object Name | Select-Object -First 96 | % FullName)
$rec = @(Get-TopActivations -LiteralPath $files -Model $m -Layer layer3 -Unit (0..7) -Top 9 -BatchSize 16)
$null = $rec[0..7] | Invoke-Deconvolution -Model $m -Method Deconvnet
"load $(Get-Content /proc/loadavg); records $($rec.Count)"
foreach ($r in 1..2) {
  $order = if ($r % 2) { 'c', 'p' } else { 'p', 'c' }
  $res = @{}
  foreach ($who in $order) {
    if ($who -eq 'c') { $w = [Diagnostics.Stopwatch]::StartNew(); $null = $rec | Invoke-Deconvolution -Model $m -Method Deconvnet; $res.c = $rec.Count / $w.Elapsed.TotalSeconds }
    else { $line = & /usr/bin/python3 $PSScriptRoot/../../tests/Benchmarks/peer_scan.py project --weights "$d/resnet18.pth" --folder "$d/photos500" --count 96 --batch 16 --layer layer3 --units 8 2>&1 | ? { "$_" -like 'RESULT *' }; $res.p = ("$line".Substring(7) | ConvertFrom-Json).projectionsPerSecond }
  }
  "rep $r project: ConvViz {0:F2} /s, PyTorch {1:F2} /s, ratio {2:F2}" -f $res.c, $res.p, ($res.c / $res.p)
}
"load $(Get-Content /proc/loadavg)"
