<#
.SYNOPSIS
    What Get-TopActivations adds above the engine's scan (issue 15): the same resnet18 scan of the peer's JPEGs
    through the cmdlet (43,200 Activation records for 20 taps x all units x top-9) and through
    ActivationScanner alone, alternating, and the bare forward pass.
.EXAMPLE
    dotnet pwsh tests/Benchmarks/Measure-RecordCost.ps1 -Count 96 -Repetitions 2
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $KitPath = (Join-Path $PSScriptRoot '../../out/testkit/ConvViz.TestKit.dll'),
    [string] $DataPath = (Join-Path $PSScriptRoot '../../out/bench-data'),
    [int] $Count = 96, [int] $BatchSize = 16, [int] $Repetitions = 2
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path (Join-Path $ModulePath 'ConvViz.psd1')).Path
$kit = [ConvViz.Commands.EngineHost]::LoadExtension((Resolve-Path $KitPath).Path)
$Timings = $kit.GetType('ConvViz.TestKit.BenchTimings', $true)
$data = (Resolve-Path $DataPath).Path
$model = Import-ConvModel -Path (Join-Path $data 'resnet18.pth') -Architecture resnet18 -Device cpu
$engine = $model.GetEngine()
$layers = [string[]](@('conv1') + @(foreach ($s in 1..4) { foreach ($b in 0, 1) { "layer$s.$b.conv1"; "layer$s.$b.conv2" } }) + @(foreach ($s in 2..4) { "layer$s.0.downsample" }))
$files = [string[]]@(Get-ChildItem (Join-Path $data 'photos500') -Filter *.jpg | Sort-Object Name | Select-Object -First $Count | ForEach-Object FullName)
$null = Get-TopActivations -LiteralPath $files[0..($BatchSize - 1)] -Model $model -Layer $layers -Top 9 -BatchSize $BatchSize
Write-Host "load $(Get-Content /proc/loadavg)"
foreach ($r in 1..$Repetitions) {
    $w = [Diagnostics.Stopwatch]::StartNew()
    $records = @(Get-TopActivations -LiteralPath $files -Model $model -Layer $layers -Top 9 -BatchSize $BatchSize)
    $cmdlet = $w.Elapsed.TotalSeconds
    $engineScan = $Timings::EngineScan($engine, $files, $BatchSize, $layers)
    $bare = $Timings::BareForward($engine, $files, $BatchSize)
    Write-Host ("rep {0}: cmdlet {1:F1} s ({2} records), engine scan {3:F1} s, bare forward {4:F1} s; cmdlet/engine {5:F2}, engine/bare {6:F2}" -f $r, $cmdlet, $records.Count, $engineScan, $bare, ($cmdlet / $engineScan), ($engineScan / $bare))
}
Write-Host "load $(Get-Content /proc/loadavg)"
