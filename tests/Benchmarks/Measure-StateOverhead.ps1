<#
.SYNOPSIS
    State-writing overhead of a large scan (issue 14): the same Get-TopActivations over N
    generated images with and without -StatePath (default checkpoints), in one process,
    alternating which runs first. Called by Invoke-Benchmarks.ps1; runs alone too.
.EXAMPLE
    pwsh tests/Benchmarks/Measure-StateOverhead.ps1 -ModulePath out/ConvViz -Count 20000
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $KitPath = (Join-Path $PSScriptRoot '../../out/testkit/ConvViz.TestKit.dll'),
    [ValidateRange(16, 1000000)] [int] $Count = 20000,
    [ValidateRange(1, 4096)] [int] $BatchSize = 64,
    [ValidateRange(1, 10)] [int] $Repetitions = 2,
    [string] $WorkPath
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath).Path 'ConvViz.psd1')
$kit = [ConvViz.Commands.EngineHost]::LoadExtension((Resolve-Path $KitPath).Path)
$Corpus = $kit.GetType('ConvViz.TestKit.CorpusFactory', $true)
$own = -not $WorkPath
if ($own) { $WorkPath = Join-Path ([IO.Path]::GetTempPath()) ("convviz-state-bench-" + [IO.Path]::GetRandomFileName()) }
try {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $files = [string[]]$Corpus::Noise((Join-Path $WorkPath 'images'), $Count, 3, 16, 48)
    Write-Host ("State overhead: {0} generated images (16..48 px) in {1:F0} s; zfnet conv1 units 0..15, batch {2}, {3} repetitions" -f $Count, $clock.Elapsed.TotalSeconds, $BatchSize, $Repetitions)
    $model = Import-ConvModel -Architecture zfnet -Device cpu
    $scan = @{ Model = $model; Layer = 'conv1'; Unit = 0..15; Top = 9; BatchSize = $BatchSize; Device = 'cpu' }
    $null = Get-TopActivations -LiteralPath $files[0..($BatchSize - 1)] @scan   # warm-up
    $runs = foreach ($r in 1..$Repetitions) {
        $t = @{}
        $state = Join-Path $WorkPath "state-$r.json"
        foreach ($which in $(if ($r % 2) { 'plain', 'state' } else { 'state', 'plain' })) {
            $c = [Diagnostics.Stopwatch]::StartNew()
            if ($which -eq 'plain') { $null = Get-TopActivations -LiteralPath $files @scan }
            else { $null = Get-TopActivations -LiteralPath $files @scan -StatePath $state }
            $t[$which] = $c.Elapsed.TotalSeconds
        }
        $row = [pscustomobject]@{ Repetition = $r; PlainSeconds = $t.plain; StateSeconds = $t.state; Overhead = ($t.state - $t.plain) / $t.plain; StateMB = (Get-Item $state).Length / 1MB }
        Write-Host ("  rep {0}: without -StatePath {1:F1} s, with {2:F1} s, overhead {3:P1}, state {4:F1} MB" -f $r, $row.PlainSeconds, $row.StateSeconds, $row.Overhead, $row.StateMB)
        $row
    }
    $sorted = @($runs.Overhead | Sort-Object)
    [pscustomobject]@{
        images = $Count; batchSize = $BatchSize; model = 'zfnet'; layer = 'conv1'; units = 16; checkpointSeconds = 30
        overheadMedian = $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
        stateMB = $runs[-1].StateMB; target = 0.05; runs = @($runs)
    }
} finally {
    if ($own) { Remove-Item -LiteralPath $WorkPath -Recurse -Force -ErrorAction Ignore }
}
