#Requires -Modules Pester
# The Slurm example on a real single-node Slurm (issue 14 item 6): this test writes a
# slurm.conf for this host and its cores, starts munged, slurmctld and slurmd (as root), submits
# examples/Submit-SlurmScan.sh as users do (bash ... -> sbatch --array + a merge job), waits,
# and checks that the merged shards are exactly the records of one scan. The daemons are
# stopped in AfterAll.
BeforeDiscovery {
    $script:SkipReason = $null
    if ($IsWindows) { $script:SkipReason = 'Slurm runs on Linux only' }
    elseif ((& id -u) -ne '0') { $script:SkipReason = 'starting slurmd and munged needs root' }
    else {
        $missing = @('/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch') | Where-Object { -not (Test-Path $_) }
        if ($missing) { $script:SkipReason = "Debian packages slurm-wlm and munge are not installed ($($missing -join ', ') missing; ./build.ps1 test installs them as root)" }
    }
    if ($SkipReason) { Write-Warning "Slurm tests skipped: $SkipReason." }
}

Describe 'Submit-SlurmScan.sh on a single-node Slurm' -Skip:($null -ne $SkipReason) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-ConvVizModule
        $script:Corpus = Get-TestKitType 'CorpusFactory'
        function script:Key($a) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}|{7}' -f $a.Layer, $a.Unit, $a.Rank, $a.Value.ToString('R'), $a.ImagePath, $a.Position.Y, $a.Position.X, $a.ContentHash }
        function script:Get-FreePort {
            $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start()
            try { $l.LocalEndpoint.Port } finally { $l.Stop() }
        }

        # Short paths: the munge socket path must fit in sockaddr_un.
        $script:Cluster = Join-Path ([IO.Path]::GetTempPath()) ("cvslurm-" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
        foreach ($d in 'munge', 'ctld', 'spool', 'log') { New-Item -ItemType Directory -Force (Join-Path $Cluster $d) | Out-Null }
        & chmod 700 (Join-Path $Cluster 'munge')
        $key = Join-Path $Cluster 'munge/munge.key'
        [IO.File]::WriteAllBytes($key, [Security.Cryptography.RandomNumberGenerator]::GetBytes(1024))
        & chmod 400 $key
        $script:MungeSocket = Join-Path $Cluster 'munge/sock'
        $script:MungePid = Join-Path $Cluster 'munge/munged.pid'
        & /usr/sbin/munged --force "--socket=$MungeSocket" "--key-file=$key" "--pid-file=$MungePid" "--log-file=$(Join-Path $Cluster 'log/munged.log')" "--seed-file=$(Join-Path $Cluster 'munge/seed')"
        $LASTEXITCODE | Should -Be 0

        $hostName = (& hostname).Trim()
        $cores = [Environment]::ProcessorCount
        $memoryMb = [int]((Get-Content /proc/meminfo | Where-Object { $_ -match '^MemTotal:\s+(\d+)' } | ForEach-Object { [long]$Matches[1] }) / 1024 / 2)
        $script:SlurmConf = Join-Path $Cluster 'slurm.conf'
        @"
ClusterName=convviz
SlurmctldHost=$hostName
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MungeSocket
CredType=cred/munge
StateSaveLocation=$(Join-Path $Cluster 'ctld')
SlurmdSpoolDir=$(Join-Path $Cluster 'spool')
SlurmctldPidFile=$(Join-Path $Cluster 'slurmctld.pid')
SlurmdPidFile=$(Join-Path $Cluster 'slurmd.pid')
SlurmctldPort=$(Get-FreePort)
SlurmdPort=$(Get-FreePort)
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SlurmctldLogFile=$(Join-Path $Cluster 'log/slurmctld.log')
SlurmdLogFile=$(Join-Path $Cluster 'log/slurmd.log')
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$hostName CPUs=$cores RealMemory=$memoryMb State=UNKNOWN
PartitionName=convviz Nodes=$hostName Default=YES MaxTime=INFINITE State=UP
"@ | Set-Content -LiteralPath $SlurmConf
        $env:SLURM_CONF = $SlurmConf
        & /usr/sbin/slurmctld -f $SlurmConf
        $LASTEXITCODE | Should -Be 0
        & /usr/sbin/slurmd -f $SlurmConf
        $LASTEXITCODE | Should -Be 0
        $deadline = (Get-Date).AddSeconds(90)
        do { Start-Sleep -Seconds 1; $state = (& sinfo -h -o '%T' 2>$null) -join '' } until ($state -match 'idle' -or (Get-Date) -gt $deadline)
        $state | Should -Match 'idle' -Because (Get-Content -Raw (Join-Path $Cluster 'log/slurmctld.log'))
    }

    AfterAll {
        foreach ($pidFile in (Join-Path $Cluster 'slurmd.pid'), (Join-Path $Cluster 'slurmctld.pid'), $MungePid) {
            if (Test-Path $pidFile) {
                $id = [int](Get-Content -Raw $pidFile).Trim()
                Stop-Process -Id $id -ErrorAction Ignore
                try { (Get-Process -Id $id -ErrorAction Stop).WaitForExit(30000) | Out-Null } catch { }
            }
        }
        Remove-Item Env:SLURM_CONF -ErrorAction Ignore
        Remove-Item $Cluster -Recurse -Force -ErrorAction Ignore
    }

    It 'runs the array and the merge; the merged shards equal one scan exactly' {
        $images = $Corpus::Noise((Join-Path $TestDrive 'img'), 9, 21, 40, 90)
        $work = Join-Path $TestDrive 'work'
        $pwsh = Get-PwshCommand
        $stable = Join-Path $PSScriptRoot '../out/pwsh/pwsh.dll'
        if (Test-Path $stable) { $pwsh = @((Get-Command dotnet -CommandType Application | Select-Object -First 1).Source, (Resolve-Path $stable).Path) }
        $env:CONVVIZ_MODULE = (Resolve-Path $ModulePath).Path
        $env:CONVVIZ_LAYERS = 'conv1,layer1'; $env:CONVVIZ_UNITS = '0..2'; $env:CONVVIZ_TOP = '2'
        $env:CONVVIZ_TASKS = '3'; $env:CONVVIZ_CPUS = '1'; $env:CONVVIZ_MEM = '3G'
        $env:PWSH = $pwsh -join ' '
        try {
            $submitted = & bash (Join-Path $PSScriptRoot '../examples/Submit-SlurmScan.sh') (Join-Path $TestDrive 'img') $work 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($submitted -join "`n")
        }
        finally { foreach ($v in 'CONVVIZ_MODULE', 'CONVVIZ_LAYERS', 'CONVVIZ_UNITS', 'CONVVIZ_TOP', 'CONVVIZ_TASKS', 'CONVVIZ_CPUS', 'CONVVIZ_MEM', 'PWSH') { Remove-Item "Env:$v" -ErrorAction Ignore } }
        "$submitted" | Should -Match 'Submitted scan array (\d+) \(3 tasks\) and merge job (\d+)'
        $array = $Matches[1]; $merge = $Matches[2]

        $deadline = (Get-Date).AddMinutes(20)
        do { Start-Sleep -Seconds 3; $queued = @(& squeue -h -o '%i %T' 2>$null) } until ($queued.Count -eq 0 -or (Get-Date) -gt $deadline)
        $logs = (Get-ChildItem (Join-Path $work 'logs') -File | ForEach-Object { "== $($_.Name)`n" + (Get-Content -Raw $_.FullName) }) -join "`n"
        $queued | Should -BeNullOrEmpty -Because $logs
        foreach ($i in 1..3) { Join-Path $work "state/shard$i.json" | Should -Exist -Because $logs }
        Join-Path $work 'state/merged.json' | Should -Exist -Because $logs
        Join-Path $work 'report/index.html' | Should -Exist -Because $logs
        $logs | Should -Not -Match "`e"

        # Every image in exactly one shard, and the merge equals one scan, record for record.
        $shards = 1..3 | ForEach-Object { Join-Path $work "state/shard$_.json" }
        $counted = @($shards | ForEach-Object { (Get-Content -Raw $_ | ConvertFrom-Json).images.path })
        @($counted | Sort-Object) | Should -Be @($images | Sort-Object)
        $merged = @(Merge-TopActivations -StatePath $shards)
        $fromJob = @(Merge-TopActivations -StatePath (Join-Path $work 'state/merged.json'))
        $single = @(Get-TopActivations -LiteralPath $images -Layer conv1, layer1 -Unit 0..2 -Top 2)
        $single.Count | Should -Be (2 * 3 * 2)
        @($merged | ForEach-Object { Key $_ }) | Should -Be @($single | ForEach-Object { Key $_ })
        @($fromJob | ForEach-Object { Key $_ }) | Should -Be @($single | ForEach-Object { Key $_ })
    }
}
