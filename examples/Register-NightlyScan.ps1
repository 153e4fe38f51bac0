<#
.SYNOPSIS
    Schedules a nightly, resumable ConvViz scan and report (cron, or Windows Task Scheduler).
.DESCRIPTION
    The job runs examples/Invoke-ScanJob.ps1, which adds the folder's new images to a scan
    state file (-StatePath; an interrupted night resumes the next), logs unreadable images with
    their ErrorIds without stopping, and rewrites the HTML report of everything in the state.
    Its exit codes: 0 finished, 3 finished with unreadable images, 1 failed, 130 SIGINT,
    143 SIGTERM, 75 the previous run still holds the lock (cron line only).

    The cron line and the Task Scheduler action are built from one argument list. The pwsh
    they start is a stable path: an installed pwsh if there is one; otherwise the copy
    ./build.ps1 makes in out/pwsh, run as "<dotnet> out/pwsh/pwsh.dll" (never the NuGet
    cache, which a cache clean or a tool update removes). The line execs pwsh, so the process
    a scheduler signals is pwsh itself; no child outlives it.

    On Linux and macOS the output is the crontab line; with -Install it is appended to the
    user's crontab. The line:
      - redirects everything to the log (plain text: NO_COLOR, and the job sets
        $PSStyle.OutputRendering = 'PlainText');
      - takes an exclusive lock with flock -n on <StatePath>.job.lock (ConvViz itself holds <StatePath>.lock while it scans): a run that finds the
        previous one still going logs it and exits 75 instead of overlapping;
      - uses no % (cron would turn it into a newline) and needs nothing from the environment.

    On Windows it registers a scheduled task (Register-ScheduledTask) that runs the same
    arguments daily at -At; -AsTaskAction returns the action's Execute and Argument instead
    (on any system). Supports -WhatIf.
.EXAMPLE
    ./examples/Register-NightlyScan.ps1 -ImagePath /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html
.EXAMPLE
    ./examples/Register-NightlyScan.ps1 -ImagePath /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html -Layer conv1, layer1 -Install
.EXAMPLE
    ./examples/Register-NightlyScan.ps1 -ImagePath D:\Photos -StatePath D:\ConvViz\state.json -ReportPath D:\ConvViz\report.html -At 2:30am
.EXAMPLE
    # Remove the Windows task again.
    Unregister-ScheduledTask -TaskName 'ConvViz nightly scan' -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ImagePath,
    [Parameter(Mandatory)] [string] $StatePath,
    [string] $ReportPath,
    [datetime] $At = '02:30',
    [string] $TaskName = 'ConvViz nightly scan',
    [string[]] $Layer = @('conv1', 'layer1', 'layer2', 'layer3', 'layer4'),
    [string] $Unit = '0..15',
    [ValidateRange(1, 10000)] [int] $Top = 9,
    [string] $Model = 'resnet18',
    # Where ConvViz.psd1 is; the default is the module built in this repository.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz'),
    # Where the job's output goes; default: nightly.log beside the state file.
    [string] $LogPath,
    # Linux/macOS: append the line to the crontab instead of only printing it.
    [switch] $Install,
    # Return the Task Scheduler action (Execute, Argument, WorkingDirectory) instead of registering it.
    [switch] $AsTaskAction
)
$ErrorActionPreference = 'Stop'
$full = { param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p) }
$script = (Resolve-Path (Join-Path $PSScriptRoot 'Invoke-ScanJob.ps1')).Path
$StatePath = & $full $StatePath
if (-not $LogPath) { $LogPath = Join-Path (Split-Path -Parent $StatePath) 'nightly.log' }
$LogPath = & $full $LogPath

# The one argument list both schedulers get. Lists travel as one comma-separated argument.
$jobArguments = @('-NoProfile', '-NonInteractive', '-File', $script,
    '-Path', (& $full $ImagePath), '-StatePath', $StatePath,
    '-Layer', ($Layer -join ','), '-Unit', $Unit, '-Top', "$Top", '-Model', $Model,
    '-ModulePath', (& $full $ModulePath))
if ($ReportPath) { $jobArguments += @('-ReportPath', (& $full $ReportPath)) }

# A pwsh that stays where it is: installed, or the repository's copy in out/pwsh (./build.ps1 makes it).
function Get-StablePwsh {
    $nugetCache = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    foreach ($candidate in @(Get-Command ($IsWindows ? 'pwsh.exe' : 'pwsh') -CommandType Application -All -ErrorAction Ignore)) {
        $real = (Get-Item -LiteralPath $candidate.Source).ResolvedTarget
        if (-not $real) { $real = $candidate.Source }
        if (-not $real.StartsWith($nugetCache, [StringComparison]::Ordinal) -and $real -notmatch '[\\/]\.nuget[\\/]packages[\\/]') { return , @($candidate.Source) }
    }
    $copy = Join-Path $PSScriptRoot '../out/pwsh/pwsh.dll'
    $dotnet = Get-Command ($IsWindows ? 'dotnet.exe' : 'dotnet') -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ((Test-Path $copy) -and $dotnet) { return , @($dotnet.Source, (Resolve-Path $copy).Path) }
    throw "No installed pwsh, and no copy in $(Split-Path -Parent $copy): run ./build.ps1 build (it copies pwsh there) or install PowerShell."
}
$pwsh = Get-StablePwsh
$argv = @($pwsh | Select-Object -Skip 1) + $jobArguments

if ($IsWindows -or $AsTaskAction) {
    # Task Scheduler takes one command-line string, split by the Windows (CommandLineToArgvW) rules.
    $quoteWindows = {
        param([string] $s)
        if ($s -and $s -notmatch '[\s"]') { return $s }
        $escaped = [regex]::Replace($s, '(\\*)"', { param($m) $m.Groups[1].Value * 2 + '\"' })
        '"' + [regex]::Replace($escaped, '(\\+)$', '$1$1') + '"'
    }
    $action = [pscustomobject]@{
        Execute          = $pwsh[0]
        Argument         = ($argv | ForEach-Object { & $quoteWindows $_ }) -join ' '
        WorkingDirectory = Split-Path -Parent $StatePath
    }
    if ($AsTaskAction) { return $action }
    $taskAction = New-ScheduledTaskAction -Execute $action.Execute -Argument $action.Argument -WorkingDirectory $action.WorkingDirectory
    $trigger = New-ScheduledTaskTrigger -Daily -At $At
    # A scan can run for hours; let it, but never start a second copy over the same state file.
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 12)
    if ($PSCmdlet.ShouldProcess($TaskName, "Register daily task at $($At.ToString('HH:mm')): $($action.Execute) $($action.Argument)")) {
        Register-ScheduledTask -TaskName $TaskName -Action $taskAction -Trigger $trigger -Settings $settings `
            -Description 'ConvViz: add new images to the scan state and rewrite the report.' -Force
    }
    return
}

$quote = { param([string] $s) "'" + ($s -replace "'", "'\''") + "'" }
if (($argv + $LogPath + $pwsh) -match '%') { throw 'A path contains %, which cron turns into a newline; choose paths without it.' }
$lock = & $quote "$StatePath.job.lock"
$log = & $quote $LogPath
# exec: the shell becomes pwsh, so a signal to the job reaches pwsh and nothing outlives it.
# flock on descriptor 9, which pwsh inherits: the lock lasts exactly as long as the job.
$folders = (@(Split-Path -Parent $LogPath; Split-Path -Parent $StatePath) | Sort-Object -Unique | ForEach-Object { & $quote $_ }) -join ' '
$command = "mkdir -p $folders && exec >>$log 2>&1 9>>$lock; flock -n -E 75 9 || { echo ConvViz: the previous run still holds the lock, exit 75; exit 75; }; NO_COLOR=1; export NO_COLOR; exec " +
    ((@($pwsh[0]) + $argv | ForEach-Object { & $quote $_ }) -join ' ')
$line = '{0} {1} * * * {2}' -f $At.Minute, $At.Hour, $command
if ($Install) {
    if ($PSCmdlet.ShouldProcess('crontab of ' + [Environment]::UserName, "Add: $line")) {
        $current = @(& crontab -l 2>$null)
        if ($current -contains $line) { Write-Verbose 'The crontab already has this line.'; return }
        ($current + $line) -join "`n" | & crontab -
        if ($LASTEXITCODE -ne 0) { throw 'crontab failed.' }
        Write-Verbose "Added to the crontab: $line"
    }
}
else {
    Write-Verbose 'Add this line with crontab -e (or run again with -Install):'
    $line
}
