<#
.SYNOPSIS
    Runs the Pester suites against the built module and ends with "N passed, N failed".
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $TestPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:CONVVIZ_MODULE = (Resolve-Path $ModulePath).Path
$paths = if ($TestPath) {
    $TestPath -split ',' | ForEach-Object { if (Test-Path $_) { $_ } else { Join-Path $PSScriptRoot $_ } }
} else { $PSScriptRoot }

$config = New-PesterConfiguration
$config.Run.Path = $paths
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $env:CONVVIZ_MODULE) 'test-results.xml'
$result = Invoke-Pester -Configuration $config

# CI reads this last line.
"{0} passed, {1} failed" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)
exit ([int]($result.Result -ne 'Passed'))
