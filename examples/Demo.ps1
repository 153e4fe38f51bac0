<#
.SYNOPSIS
    The ConvViz demo: what the units of a network respond to, on a folder of photos.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz'),
    [Parameter(Mandatory)] [string] $ImagePath,
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/demo')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $ModulePath) 'ConvViz.psd1')
New-Item -ItemType Directory -Force $OutputPath | Out-Null

Write-Host 'NOTE: this demo still uses the built-in ZFNet with RANDOM weights (the pretrained model lands with issue 3).'
$model = Import-ConvModel -Architecture zfnet -Seed 0
$layers = $model | Get-ConvLayer
$layers | Format-Table | Out-String -Width 120 | Write-Host
$layers | Export-Csv (Join-Path $OutputPath 'layers.csv') -NoTypeInformation
Write-Host "Wrote $(Join-Path $OutputPath 'layers.csv')"
