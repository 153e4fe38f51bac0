<#
.SYNOPSIS
    The resnet18 forward pass alone (issue 15): per op kind, and under variants (no_grad, inference_mode,
    channels-last input), at each libtorch thread count given; the peer's forward of the same batch alongside.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-ForwardVariants.ps1 -Threads 1,2
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $KitPath = (Join-Path $PSScriptRoot '../../out/testkit/ConvViz.TestKit.dll'),
    [string] $DataPath = (Join-Path $PSScriptRoot '../../out/bench-data'),
    [int] $BatchSize = 16,
    [int] $Repetitions = 5,
    [int[]] $Threads = @(1, 2)
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path (Join-Path $ModulePath 'ConvViz.psd1')).Path
$kit = [ConvViz.Commands.EngineHost]::LoadExtension((Resolve-Path $KitPath).Path)
$Timings = $kit.GetType('ConvViz.TestKit.BenchTimings', $true)
$data = (Resolve-Path $DataPath).Path
$model = Import-ConvModel -Path (Join-Path $data 'resnet18.pth') -Architecture resnet18 -Device cpu
$engine = $model.GetEngine()
$photo = @(Get-ChildItem (Join-Path $data 'photos500') -Filter *.jpg | Sort-Object Name)[0].FullName
$default = $Timings::SetThreads(0)
Write-Host "load $(Get-Content /proc/loadavg)"
foreach ($t in $Threads) {
    $null = $Timings::SetThreads($t)
    $v = $Timings::ForwardVariants($engine, $photo, $BatchSize, $Repetitions)
    $k = $Timings::ForwardByKind($engine, $photo, $BatchSize, [math]::Max(2, [int]($Repetitions / 2)), $false)
    $line = & /usr/bin/python3 (Join-Path $PSScriptRoot 'peer_scan.py') breakdown --weights (Join-Path $data 'resnet18.pth') --folder (Join-Path $data 'photos500') --count $BatchSize --batch $BatchSize --threads $t --repeat $Repetitions 2>&1 | Where-Object { "$_" -like 'RESULT *' }
    $p = "$line".Substring(7) | ConvertFrom-Json
    Write-Host ("threads {0}: ConvViz forward ms/batch of {1}: " -f $t, $BatchSize) -NoNewline
    Write-Host (($v.GetEnumerator() | ForEach-Object { '{0} {1:F0}' -f $_.Key, (1000 * $_.Value) }) -join ', ') -NoNewline
    Write-Host (" | PyTorch 1.13 peer {0:F0}" -f (1000 * $p.forwardBatch))
    Write-Host ("  by op kind (ms): " + (($k.GetEnumerator() | Sort-Object Value -Descending | ForEach-Object { '{0} {1:F0}' -f $_.Key, (1000 * $_.Value) }) -join ', '))
}
$null = $Timings::SetThreads($default)
Write-Host "load $(Get-Content /proc/loadavg)"
