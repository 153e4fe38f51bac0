<#
.SYNOPSIS
    Schedules a nightly, resumable ConvViz scan and report (Windows Task Scheduler or cron).
.DESCRIPTION
    The job runs examples/New-ScheduledReport.ps1, which adds the folder's new images to a
    scan state file (-StatePath; an interrupted night resumes the next) and rewrites the HTML
    report of everything in the state.

    On Windows it registers a scheduled task with Register-ScheduledTask (module
    ScheduledTasks) that runs pwsh.exe daily at -At as the current user, whether or not the
    user is logged on is left to the task's defaults (pass -Principal to change it). On Linux
    and macOS it prints the crontab line, and with -Install appends it to the user's crontab:

        30 2 * * * pwsh -NoProfile -NonInteractive -File /opt/convviz/examples/New-ScheduledReport.ps1 -Path /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html >> /data/convviz/nightly.log 2>&1

    Supports -WhatIf.
.EXAMPLE
    ./examples/Register-NightlyScan.ps1 -ImagePath D:\Photos -StatePath D:\ConvViz\state.json -ReportPath D:\ConvViz\report.html -At 2:30am
.EXAMPLE
    ./examples/Register-NightlyScan.ps1 -ImagePath /data/photos -StatePath /data/convviz/state.json -ReportPath /srv/www/convviz/index.html -Install
.EXAMPLE
    # Remove the Windows task again.
    Unregister-ScheduledTask -TaskName 'ConvViz nightly scan' -Confirm:$false
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ImagePath,
    [Parameter(Mandatory)] [string] $StatePath,
    [Parameter(Mandatory)] [string] $ReportPath,
    [datetime] $At = '02:30',
    [string] $TaskName = 'ConvViz nightly scan',
    [string[]] $Layer = @('conv1', 'layer1', 'layer2', 'layer3', 'layer4'),
    [string] $Unit = '0..15',
    # Where ConvViz.psd1 is; the default is the module built in this repository.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ConvViz'),
    # Linux/macOS: append the line to the crontab instead of only printing it.
    [switch] $Install
)
$ErrorActionPreference = 'Stop'
$script = (Resolve-Path (Join-Path $PSScriptRoot 'New-ScheduledReport.ps1')).Path
$full = { param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p) }
$ImagePath = & $full $ImagePath; $StatePath = & $full $StatePath; $ReportPath = & $full $ReportPath
$module = & $full $ModulePath
$log = Join-Path (Split-Path -Parent $StatePath) 'nightly.log'
$quote = { param($s) if ($IsWindows) { '"' + $s + '"' } else { "'" + ($s -replace "'", "'\''") + "'" } }
$arguments = @('-NoProfile', '-NonInteractive', '-File', (& $quote $script),
    '-Path', (& $quote $ImagePath), '-StatePath', (& $quote $StatePath), '-ReportPath', (& $quote $ReportPath),
    '-Layer', ($Layer -join ','), '-Unit', (& $quote $Unit), '-ModulePath', (& $quote $module)) -join ' '

if ($IsWindows) {
    $pwsh = Join-Path $PSHOME 'pwsh.exe'
    $action = New-ScheduledTaskAction -Execute $pwsh -Argument $arguments -WorkingDirectory (Split-Path -Parent $StatePath)
    $trigger = New-ScheduledTaskTrigger -Daily -At $At
    # A scan can run for hours; let it, but never start a second copy over the same state file.
    $settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew -ExecutionTimeLimit (New-TimeSpan -Hours 12)
    if ($PSCmdlet.ShouldProcess($TaskName, "Register daily task at $($At.ToString('HH:mm')): $pwsh $arguments")) {
        Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $trigger -Settings $settings `
            -Description 'ConvViz: add new images to the scan state and rewrite the report.' -Force
    }
}
else {
    $pwsh = (Get-Command pwsh -ErrorAction Ignore).Source
    if (-not $pwsh) { $pwsh = 'pwsh' }
    # flock keeps a slow night from overlapping the next one on the same state file.
    $line = '{0} {1} * * * flock -n {2} {3} {4} >> {5} 2>&1' -f $At.Minute, $At.Hour, (& $quote "$StatePath.lock"), $pwsh, $arguments, (& $quote $log)
    if ($Install) {
        if ($PSCmdlet.ShouldProcess('crontab of ' + [Environment]::UserName, "Add: $line")) {
            $current = @(& crontab -l 2>$null)
            if ($current -contains $line) { Write-Host 'The crontab already has this line.'; return }
            ($current + $line) -join "`n" | & crontab -
            if ($LASTEXITCODE -ne 0) { throw 'crontab failed.' }
            Write-Host "Added to the crontab: $line"
        }
    }
    else {
        Write-Host 'Add this line with crontab -e (or run again with -Install):'
        $line
    }
}
