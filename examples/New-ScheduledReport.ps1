<#
.SYNOPSIS
    Scans a folder incrementally and writes the ConvViz HTML report for five layers.
.DESCRIPTION
    Meant to run on a schedule (examples/Register-NightlyScan.ps1). Each run:
      1. collects the images of -Path (recursively); with -Since, only those modified at or
         after that time;
      2. adds them to the scan state -StatePath with Get-TopActivations (images already in the
         state are hashed and passed over; a changed image stops the run: start a new state);
      3. writes the report of everything in the state with Export-ConvVizReport -StatePath,
         which projects each unit's top patches back to pixel space with the deconvnet.
    Layers 1 to 5 of the default pretrained resnet18 are conv1, layer1, layer2, layer3 and
    layer4. An interrupted run leaves a valid state (it is rewritten atomically after every
    batch) and the next run goes on from there.
.PARAMETER Path
    The folder of images.
.PARAMETER StatePath
    The scan state file; created on the first run. Layers, units and -Top must stay the same
    between runs (the scan refuses a state made for another scan).
.PARAMETER ReportPath
    The HTML report to write (a folder beside it holds the pages and images).
.PARAMETER Since
    Only images whose LastWriteTime is at or after this time are added to the state. The
    report still covers every image in the state.
.EXAMPLE
    ./examples/New-ScheduledReport.ps1 -Path ~/Pictures -StatePath ~/convviz/state.json -ReportPath ~/convviz/report.html
.EXAMPLE
    # Nightly: add only yesterday's photos, report on all of them.
    ./examples/New-ScheduledReport.ps1 -Path /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html -Since (Get-Date).Date.AddDays(-1)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $StatePath,
    [Parameter(Mandatory)] [string] $ReportPath,
    [datetime] $Since,
    [string[]] $Layer = @('conv1', 'layer1', 'layer2', 'layer3', 'layer4'),
    # Units as Get-TopActivations takes them: 0..15, "0-15". Keep it the same between runs.
    [object] $Unit = '0..15',
    [ValidateRange(1, 10000)] [int] $Top = 9,
    [string] $Model = 'resnet18',
    [string] $Title = 'ConvViz scheduled report',
    [int] $BatchSize = 16,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz')
)
$ErrorActionPreference = 'Stop'
$manifest = if (Test-Path (Join-Path $ModulePath 'ConvViz.psd1')) { Join-Path $ModulePath 'ConvViz.psd1' } else { 'ConvViz' }
Import-Module $manifest -Verbose:$false
$clock = [Diagnostics.Stopwatch]::StartNew()

$extensions = '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp', '.tga'
$images = @(Get-ChildItem -LiteralPath $Path -File -Recurse | Where-Object { $_.Extension -in $extensions })
if ($PSBoundParameters.ContainsKey('Since')) { $images = @($images | Where-Object LastWriteTime -ge $Since) }

foreach ($file in $StatePath, $ReportPath) {
    $dir = Split-Path -Parent $file
    if ($dir) { New-Item -ItemType Directory -Force $dir | Out-Null }
}

if ($images.Count -gt 0) {
    Write-Verbose "Adding $($images.Count) images to $StatePath"
    # The records are not needed: the state file holds the running top-k.
    Get-TopActivations -LiteralPath $images.FullName -Model $Model -Layer $Layer -Unit $Unit -Top $Top -BatchSize $BatchSize -StatePath $StatePath |
        Out-Null
}
elseif (-not (Test-Path -LiteralPath $StatePath)) {
    Write-Warning "No images to scan in $Path$(if ($PSBoundParameters.ContainsKey('Since')) { " modified since $Since" }) and no state at $StatePath; no report written."
    return
}
else {
    Write-Verbose "No new images; reporting the state as it is."
}

Export-ConvVizReport -StatePath $StatePath -Model $Model -Path $ReportPath -Title $Title -PassThru
Write-Verbose ("Report written in {0:F0} s." -f $clock.Elapsed.TotalSeconds)
