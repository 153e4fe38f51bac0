<#
.SYNOPSIS
    Writes models/layers.json: the layer names of every built-in model, for tab completion.
.DESCRIPTION
    Completing -Layer must not build a model (seconds, and a frozen prompt), so the tables of
    the built-in models are computed here once, at build time, from the built module itself:
    the catalog names -Model accepts (resnet18 is the embedded pretrained network, the others
    the architectures with random weights) and every -Architecture of Import-ConvModel.
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

Import-Module (Join-Path (Resolve-Path $ModulePath) 'ConvViz.psd1') -Force
function Get-ValidValues([string] $parameter) {
    @((Get-Command Import-ConvModel).Parameters[$parameter].Attributes |
        Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues | ForEach-Object ToLowerInvariant)
}
$architectures = Get-ValidValues 'Architecture'
$pretrained = Get-ValidValues 'Name'
if (-not $architectures) { throw 'Import-ConvModel -Architecture has no ValidateSet to read the built-in names from.' }

function Get-Table($model) {
    [ordered]@{
        classifier = $model.ClassCount -gt 0
        # ConvViz's layers, then the torchvision module names -Layer also accepts (alexnet features.10).
        layers     = @(@(Get-ConvLayer -Model $model | ForEach-Object { [ordered]@{ name = $_.Name; kind = $_.Kind; aliases = @($_.Aliases) } }) +
            @($model.GetEngine().Layers.Modules | ForEach-Object { [ordered]@{ name = $_.Name; kind = $_.Kind.ToString(); aliases = @($_.Aliases) } }))
    }
}

$models = [ordered]@{}
foreach ($name in $architectures) {
    $models["architecture:$name"] = Get-Table (Import-ConvModel -Architecture $name)
    # A name given to -Model is the architecture with seed 0, unless a pretrained network has that name.
    if ($name -notin $pretrained) { $models["name:$name"] = $models["architecture:$name"] }
}
foreach ($name in $pretrained) { $models["name:$name"] = Get-Table (Import-ConvModel -Name $name) }

$file = Join-Path $ModulePath 'models/layers.json'
[ordered]@{ generatedBy = 'build/New-LayerTable.ps1'; models = $models } | ConvertTo-Json -Depth 6 -Compress | Set-Content -LiteralPath $file -Encoding utf8NoBOM
Write-Host "Layer tables: $file ($($models.Count) models)"
