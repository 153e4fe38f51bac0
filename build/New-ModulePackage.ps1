<#
.SYNOPSIS
    Writes the built module as a PowerShell resource package (ConvViz.<version>.nupkg).
.DESCRIPTION
    Uses Compress-PSResource (Microsoft.PowerShell.PSResourceGet, shipped with pwsh 7.4+), so
    the package is exactly what Publish-PSResource would upload: users install it with
    Install-PSResource from any repository it is placed in (a folder is enough).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DestinationPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'ConvViz.psd1')
if ($manifest.PrivateData.PSData.RequireLicenseAcceptance -and -not (Test-Path (Join-Path $ModulePath 'License.txt'))) {
    throw "The manifest requires license acceptance but $ModulePath has no License.txt."
}
Compress-PSResource -Path $ModulePath -DestinationPath $DestinationPath
$package = Get-ChildItem $DestinationPath -Filter '*.nupkg' | Select-Object -First 1
if (-not $package) { throw "Compress-PSResource wrote no package into $DestinationPath." }
Write-Host ("Package: {0} ({1:N0} MB)" -f $package.FullName, ($package.Length / 1MB))
