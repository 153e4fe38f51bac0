<#
.SYNOPSIS
    Tab-completion latency (issue 17): TabExpansion2 for -Layer, -Model, -Class and -Device in
    a fresh pwsh, the first call (cold: tables read from disk) and the median of the next ones.
.DESCRIPTION
    Target: under 200 ms for built-in names and models already in the session, without
    building a model. Writes completion.json and completion.md to -OutputPath.
.EXAMPLE
    pwsh tests/Benchmarks/Measure-Completion.ps1 -ModulePath out/ConvViz -OutputPath out/bench
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/ConvViz'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../../out/bench'),
    [ValidateRange(1, 100)] [int] $Repetitions = 7
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Force $OutputPath | Out-Null

# The measuring script, run in a fresh pwsh so that "cold" means what a user gets first.
$script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
function Time([string] `$line) {
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    `$n = @((TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches).Count
    [pscustomobject]@{ Ms = `$clock.Elapsed.TotalMilliseconds; Count = `$n }
}
function Case([string] `$name, [string] `$line) {
    `$cold = Time `$line
    `$warm = @(1..$Repetitions | ForEach-Object { (Time `$line).Ms } | Sort-Object)
    [pscustomobject]@{ Case = `$name; Line = `$line; Results = `$cold.Count; ColdMs = [math]::Round(`$cold.Ms, 1); WarmMedianMs = [math]::Round(`$warm[[int][math]::Floor(`$warm.Count / 2)], 1) }
}
`$cases = @(
    Case 'Layer, default model (resnet18)' 'Get-TopActivations -Layer layer'
    Case 'Layer, built-in name' 'Get-TopActivations -Model vgg16 -Layer feat'
    Case 'Layer, Import-ConvModel upstream' 'Import-ConvModel -Architecture zfnet | Get-ConvLayer -Layer conv'
    Case 'Model names' 'Get-ConvLayer -Model '
    Case 'Class names (classifier)' 'Measure-OcclusionSensitivity -Model alexnet -Class t'
    Case 'Device' 'Import-ConvModel -Device '
)
`$torch = @([System.Runtime.Loader.AssemblyLoadContext]::All.Assemblies | Where-Object { `$_.GetName().Name -eq 'TorchSharp' }).Count -gt 0
`$m = Import-ConvModel -Architecture alexnet
`$cases += Case 'Layer, piped model variable' '`$m | Get-ConvLayer -Layer feat'
`$cases += Case 'Layer, bound model variable' 'Get-FeatureMap -Model `$m -Layer feat'
[pscustomobject]@{ Cases = `$cases; TorchLoadedByNameCompletion = `$torch } | ConvertTo-Json -Depth 4 -Compress
"@
$cmd = if (Test-Path (Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh'))) { , @(Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')) } else { , @('dotnet', (Join-Path $PSHOME 'pwsh.dll')) }
$rest = @($cmd | Select-Object -Skip 1)
$encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
$output = & $cmd[0] @rest -NoProfile -NonInteractive -EncodedCommand $encoded
if ($LASTEXITCODE -ne 0) { throw "Completion benchmark failed: $output" }
$result = ($output | Select-Object -Last 1) | ConvertFrom-Json
$rows = $result.Cases | ForEach-Object { $_ | Add-Member -PassThru Target '< 200 ms' }
($rows | Format-Table Case, Results, ColdMs, WarmMedianMs, Target -AutoSize | Out-String -Width 160) | Write-Information -InformationAction Continue
"TorchSharp loaded by completing names (must be False): $($result.TorchLoadedByNameCompletion)" | Write-Information -InformationAction Continue

$record = [ordered]@{ date = (Get-Date).ToString('o'); cores = [Environment]::ProcessorCount; repetitions = $Repetitions; torchLoadedByNameCompletion = $result.TorchLoadedByNameCompletion; cases = @($rows) }
$record | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath (Join-Path $OutputPath 'completion.json') -Encoding utf8NoBOM
$md = @('# Tab completion latency', '', "$($record.date), $($record.cores) cores; fresh pwsh, first call (cold) and median of $Repetitions.", '',
    '| Case | Results | Cold ms | Warm median ms | Target |', '|---|---|---|---|---|')
$md += $rows | ForEach-Object { "| $($_.Case) | $($_.Results) | $($_.ColdMs) | $($_.WarmMedianMs) | $($_.Target) |" }
$md | Set-Content -LiteralPath (Join-Path $OutputPath 'completion.md') -Encoding utf8NoBOM
