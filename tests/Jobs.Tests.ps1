#Requires -Modules Pester
# Scheduled jobs run as their users run them (issue 14 item 5): the printed cron line is run
# verbatim by /bin/sh with an empty environment, as cron runs it; signals end the job with the
# documented code, leave no process behind and a state the next run resumes; the Task
# Scheduler action is the same argument list.
BeforeDiscovery {
    $script:NoShell = $IsWindows -or -not (Test-Path /bin/sh) -or -not (Get-Command flock -ErrorAction Ignore)
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Examples = (Resolve-Path (Join-Path $PSScriptRoot '../examples')).Path
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $script:Register = Join-Path $Examples 'Register-NightlyScan.ps1'
    $script:Scan = @{ Layer = 'conv1', 'layer1'; Unit = 0..2; Top = 2 }
    function script:Key($a) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $a.Layer, $a.Unit, $a.Rank, $a.Value.ToString('R'), $a.ImagePath, $a.Position.Y, $a.Position.X }

    # A folder of good images and one truncated PNG.
    function script:New-JobFolder([string] $Name, [int] $Count) {
        $dir = Join-Path $TestDrive $Name
        $good = $Corpus::Noise((Join-Path $dir 'img'), $Count, 5, 40, 90)
        $bytes = [IO.File]::ReadAllBytes($good[0])
        $bad = Join-Path $dir 'img/zz-truncated.png'
        [IO.File]::WriteAllBytes($bad, $bytes[0..([int]($bytes.Length / 2))])
        [pscustomobject]@{ Dir = $dir; Images = Join-Path $dir 'img'; Good = $good; Bad = $bad; State = Join-Path $dir 'state/state.json'; Log = Join-Path $dir 'state/nightly.log' }
    }

    # The command part of a crontab line (after the five time fields).
    function script:Get-CronCommand([string] $Line) { ($Line -split ' ', 6)[5] }

    # Runs a shell command line as cron does: /bin/sh -c, nothing in the environment; SIGINT at its default.
    function script:Start-Cron([string] $Command) {
        $psi = [Diagnostics.ProcessStartInfo]::new('/usr/bin/env')
        foreach ($a in '-i', '--default-signal=INT', '/bin/sh', '-c', $Command) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        [Diagnostics.Process]::Start($psi)
    }

    # Processes whose command line mentions $Text (the test's own paths are unique).
    function script:Get-ProcessesMentioning([string] $Text) {
        @(Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | ForEach-Object {
                $cmd = try { [IO.File]::ReadAllText("$($_.FullName)/cmdline") } catch { '' }
                if ($cmd.Contains($Text) -and [int]$_.Name -ne $PID) { [int]$_.Name }
            })
    }
}

Describe 'The cron line of Register-NightlyScan.ps1' -Skip:$NoShell {
    BeforeAll {
        $script:Job = New-JobFolder 'cron' 6
        $script:Line = & $Register -ImagePath $Job.Images -StatePath $Job.State -Layer conv1, layer1 -Unit '0..2' -Top 2 -ModulePath $ModulePath -At '03:15'
    }

    It 'is one crontab line with a stable pwsh, no % and no package-cache path' {
        @($Line).Count | Should -Be 1
        $Line | Should -Match '^15 3 \* \* \* '
        $Line | Should -Not -Match '%'
        $Line | Should -Not -Match '\.nuget/packages'
        $Line | Should -Match 'flock -n -E 75'
        $Line | Should -Match 'Invoke-ScanJob\.ps1'
    }

    It 'runs verbatim under an empty environment: comma lists reach the scan, unreadable images exit 3, the log is plain text' {
        $p = Start-Cron (Get-CronCommand $Line)
        $p.WaitForExit(600000) | Should -BeTrue
        $log = Get-Content -Raw $Job.Log
        $p.ExitCode | Should -Be 3 -Because $log
        $log | Should -Match "IMAGE-ERROR ImageTruncated $([regex]::Escape($Job.Bad))"
        $log | Should -Match 'DONE exit 3'
        $log | Should -Not -Match "`e"
        # The state is the scan of the good images alone, with both layers of the comma list.
        $fromState = @(Merge-TopActivations -StatePath $Job.State)
        $direct = @(Get-TopActivations -LiteralPath $Job.Good -Model resnet18 @Scan)
        @($fromState.Layer | Sort-Object -Unique) | Should -Be @('conv1', 'layer1')
        @($fromState | ForEach-Object { Key $_ }) | Should -Be @($direct | ForEach-Object { Key $_ })
    }

    It 'exits 75 and logs it while another run holds the lock' {
        $holder = Start-Process -FilePath flock -ArgumentList "$($Job.State).job.lock", 'sleep', '120' -PassThru
        try {
            Start-Sleep -Milliseconds 500
            $p = Start-Cron (Get-CronCommand $Line)
            $p.WaitForExit(60000) | Should -BeTrue
            $p.ExitCode | Should -Be 75
            (Get-Content -Raw $Job.Log) | Should -Match 'previous run still holds the lock'
        }
        finally {
            # flock's child first (it would outlive flock), then flock.
            & pkill -P $holder.Id 2>$null
            $holder.WaitForExit(10000) | Out-Null
            Stop-Process -Id $holder.Id -ErrorAction Ignore
        }
    }
}

Describe 'Signals end the job cleanly' -Skip:$NoShell {
    It '<Signal> mid-scan exits <Code>, leaves no process, and the next run resumes to the full result' -ForEach @(
        @{ Signal = 'TERM'; Code = 143 }
        @{ Signal = 'INT'; Code = 130 }
    ) {
        # 600 images in batches of 2: the scan runs for many seconds after its SCAN line on any machine (48
        # images and a fixed 3 s wait raced: with every core computing, the scan could end before the signal).
        $job = New-JobFolder "sig$Signal" 600
        Remove-Item $job.Bad
        $line = & $Register -ImagePath $job.Images -StatePath $job.State -Layer conv1, layer1 -Unit '0..2' -Top 2 -ModulePath $ModulePath
        $command = Get-CronCommand $line
        $command = $command -replace "'-Top' '2'", "'-Top' '2' '-BatchSize' '2'"
        $p = Start-Cron $command
        $deadline = (Get-Date).AddMinutes(5)
        while (-not ((Test-Path $job.Log) -and (Get-Content -Raw $job.Log) -match "SCAN $($job.Good.Count) images") -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
        Start-Sleep -Milliseconds 500
        $p.HasExited | Should -BeFalse -Because 'the scan must still be running when the signal is sent'
        & kill "-$Signal" $p.Id
        $p.WaitForExit(120000) | Should -BeTrue
        $p.ExitCode | Should -Be $Code -Because (Get-Content -Raw $job.Log)
        Start-Sleep -Milliseconds 500
        Get-ProcessesMentioning $job.State | Should -BeNullOrEmpty
        if ($Signal -eq 'INT') { (Get-Content -Raw $job.Log) | Should -Match 'STOPPED by SIGINT' }

        # The next run resumes: exit 0, and the state is exactly one uninterrupted scan.
        $again = Start-Cron $command
        $again.WaitForExit(600000) | Should -BeTrue
        $again.ExitCode | Should -Be 0 -Because (Get-Content -Raw $job.Log)
        $fromState = @(Merge-TopActivations -StatePath $job.State)
        $direct = @(Get-TopActivations -LiteralPath $job.Good -Model resnet18 @Scan -BatchSize 2)
        @($fromState | ForEach-Object { Key $_ }) | Should -Be @($direct | ForEach-Object { Key $_ })
    }
}

Describe 'The Task Scheduler action' {
    It 'splits back (Windows command-line rules) into the same argument list as the cron line' {
        $model = 'odd "model" name\'
        $state = Join-Path $TestDrive 'task dir/state.json'
        $action = & $Register -ImagePath (Join-Path $TestDrive 'my photos') -StatePath $state -Layer conv1, layer1 -Unit '0..2' -Model $model -ModulePath $ModulePath -AsTaskAction
        # .NET splits ProcessStartInfo.Arguments by the Windows rules on every system; python prints what it got.
        $python = (Get-Command python3 -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
        $psi = [Diagnostics.ProcessStartInfo]::new($python, '-c "import sys, json; print(json.dumps(sys.argv[1:]))" ' + $action.Argument)
        $psi.RedirectStandardOutput = $true
        $p = [Diagnostics.Process]::Start($psi)
        $argv = $p.StandardOutput.ReadToEnd() | ConvertFrom-Json
        $p.WaitForExit()
        $expected = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Examples 'Invoke-ScanJob.ps1'),
            '-Path', (Join-Path $TestDrive 'my photos'), '-StatePath', $state, '-Layer', 'conv1,layer1', '-Unit', '0..2', '-Top', '9',
            '-Model', $model, '-ModulePath', (Resolve-Path $ModulePath).Path)
        $argv = @($argv)
        if ($action.Execute -notmatch 'pwsh(\.exe)?$') { $argv[0] | Should -Match 'pwsh\.dll$'; $argv = $argv[1..($argv.Count - 1)] }
        $argv | Should -Be $expected
        # The cron line carries the same list, each argument single-quoted for /bin/sh.
        $line = & $Register -ImagePath (Join-Path $TestDrive 'my photos') -StatePath $state -Layer conv1, layer1 -Unit '0..2' -Model $model -ModulePath $ModulePath
        $quoted = ($expected | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
        $line | Should -Match ([regex]::Escape($quoted))
    }
}
