<#
.SYNOPSIS
    An unattended, resumable ConvViz scan of a folder (and its HTML report), for cron, Task
    Scheduler, Slurm or any scheduler.
.DESCRIPTION
    Each run:
      1. collects the images of -Path (recursively); with -Since, only those modified at or
         after that time;
      2. adds them to the scan state -StatePath with Get-TopActivations (images already in the
         state are hashed and passed over);
      3. with -ReportPath, writes the report of everything in the state with
         Export-ConvVizReport -StatePath, which projects each unit's top patches back to pixel
         space with the deconvnet.

    An image that cannot be read never stops the job: it is logged with its ErrorId
    (ImageTruncated, ImageNotAnImage, ...) and the scan goes on. The log (standard output) is
    plain text, one line per event, with no colour codes. An interrupted run leaves a valid
    state and the next run goes on from there.

    Lists may be given as one comma-separated argument (-Layer conv1,layer1 under pwsh -File
    arrives as one string; the script splits it).

    Exit codes:
      0    finished
      3    finished, but some images could not be read (each logged with its ErrorId)
      1    failed (the error is logged with its ErrorId; the state file is never left half-written)
      130  stopped by SIGINT (Ctrl+C): the state holds every image scanned before the stop
      143  killed by SIGTERM (128 + 15, as the shell reports it): the state holds the last checkpoint
      75   (from the cron line of Register-NightlyScan.ps1) another run still holds the lock
.PARAMETER Path
    The folder of images.
.PARAMETER StatePath
    The scan state file; created on the first run. Layers, units, -Top and the model must stay
    the same between runs (the scan refuses a state made for another scan).
.PARAMETER ReportPath
    The HTML report to write (a folder beside it holds the pages and images). No report without it.
.PARAMETER Since
    Only images whose LastWriteTime is at or after this time are added to the state. The
    report still covers every image in the state.
.PARAMETER Model
    A built-in model name (resnet18 is the pretrained network) or a model file path.
.EXAMPLE
    ./examples/Invoke-ScanJob.ps1 -Path ~/Pictures -StatePath ~/convviz/state.json -ReportPath ~/convviz/report.html
.EXAMPLE
    # Nightly under cron: add only yesterday's photos, report on all of them.
    pwsh -NoProfile -NonInteractive -File examples/Invoke-ScanJob.ps1 -Path /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html -Layer conv1,layer1 -Since 2026-01-31
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $StatePath,
    [string] $ReportPath,
    [datetime] $Since,
    [string[]] $Layer = @('conv1', 'layer1', 'layer2', 'layer3', 'layer4'),
    # Units as Get-TopActivations takes them: 0..15, "0-15", "0,3,7". Keep it the same between runs.
    [string] $Unit = '0..15',
    [ValidateRange(1, 10000)] [int] $Top = 9,
    [string] $Model = 'resnet18',
    [string] $Title = 'ConvViz scheduled report',
    [ValidateRange(1, 4096)] [int] $BatchSize = 16,
    # One shard of a split scan ("i/n", as Get-TopActivations -Shard): Slurm array tasks pass theirs.
    [string] $Shard,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz')
)
# Logs are read in files and mail: plain text, no ANSI colour codes, no progress bars.
$env:NO_COLOR = '1'
$PSStyle.OutputRendering = 'PlainText'
$ProgressPreference = 'SilentlyContinue'
$ErrorActionPreference = 'Stop'

function Write-JobLog([string] $Message) {
    [Console]::Out.WriteLine((Get-Date).ToString('yyyy-MM-ddTHH:mm:ssK') + ' ' + $Message)
}
function Get-ErrorId($Record) { ($Record.FullyQualifiedErrorId -split ',')[0] }

# Under pwsh -File a comma list arrives as one string.
$Layer = @($Layer | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })

$completed = $false
$exitCode = 1
try {
    $manifest = if (Test-Path (Join-Path $ModulePath 'ConvViz.psd1')) { Join-Path $ModulePath 'ConvViz.psd1' } else { 'ConvViz' }
    Import-Module $manifest -Verbose:$false
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Write-JobLog "START pid $PID; images $Path; state $StatePath; layers $($Layer -join ','); units $Unit; top $Top; model $Model"

    $images = @(Get-ChildItem -LiteralPath $Path -File -Recurse | Where-Object { $_.Extension -in '.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp', '.tga' })
    if ($PSBoundParameters.ContainsKey('Since')) { $images = @($images | Where-Object LastWriteTime -ge $Since) }
    foreach ($file in @($StatePath, $ReportPath) | Where-Object { $_ }) {
        $dir = Split-Path -Parent $file
        if ($dir) { New-Item -ItemType Directory -Force $dir | Out-Null }
    }

    $unreadable = @()
    if ($images.Count -gt 0) {
        Write-JobLog "SCAN $($images.Count) images"
        $bad = $null
        # Per-image errors are non-terminating: they are collected and logged, the scan goes on.
        $scan = @{ Model = $Model; Layer = $Layer; Unit = $Unit; Top = $Top; BatchSize = $BatchSize; StatePath = $StatePath }
        if ($Shard) { $scan.Shard = $Shard }
        Get-TopActivations -LiteralPath $images.FullName @scan -ErrorAction SilentlyContinue -ErrorVariable bad | Out-Null
        foreach ($e in @($bad)) {
            Write-JobLog ("IMAGE-ERROR {0} {1}: {2}" -f (Get-ErrorId $e), $e.TargetObject, $e.Exception.Message)
        }
        $unreadable = @($bad | Where-Object { (Get-ErrorId $_) -like 'Image*' -or (Get-ErrorId $_) -eq 'PathNotFound' })
        $fatal = @($bad | Where-Object { $_ -notin $unreadable })
        if ($fatal) { throw $fatal[0] }
    }
    elseif (-not (Test-Path -LiteralPath $StatePath)) {
        Write-JobLog "NOTHING no images in $Path and no state at $StatePath"
    }

    if ($ReportPath -and (Test-Path -LiteralPath $StatePath)) {
        Export-ConvVizReport -StatePath $StatePath -Model $Model -Path $ReportPath -Title $Title -ErrorAction SilentlyContinue -ErrorVariable bad | Out-Null
        foreach ($e in @($bad)) { Write-JobLog ("IMAGE-ERROR {0} {1}: {2}" -f (Get-ErrorId $e), $e.TargetObject, $e.Exception.Message) }
        Write-JobLog "REPORT $ReportPath"
    }
    $exitCode = if ($unreadable.Count -gt 0) { 3 } else { 0 }
    Write-JobLog ("DONE exit {0}: {1} images, {2} unreadable, {3:F0} s" -f $exitCode, $images.Count, $unreadable.Count, $clock.Elapsed.TotalSeconds)
    $completed = $true
}
catch {
    $completed = $true
    Write-JobLog ("FAILED {0}: {1}" -f (Get-ErrorId $_), $_.Exception.Message)
    $exitCode = 1
}
finally {
    # Ctrl+C / SIGINT stops the pipeline without reaching catch; pwsh -File would then exit 0.
    if (-not $completed) {
        Write-JobLog 'STOPPED by SIGINT; the state holds every image scanned before the stop'
        [Environment]::Exit(130)
    }
}
exit $exitCode
