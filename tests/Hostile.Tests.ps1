#Requires -Modules Pester
# Issue 14: unattended runs over folders, state files and model files nobody vetted.
# Every hostile input is generated here in TestDrive. The scans that could hang run in a child
# pwsh with their own timeout, and the child's peak resident set (VmHWM) is sampled from /proc.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $script:ModuleManifest = Join-Path $ModulePath 'ConvViz.psd1'

    # Runs a script in a child pwsh, samples its VmHWM every 50 ms, kills it (and says so) after
    # $TimeoutSeconds. The child's own last VmHWM line (PEAKKB=) counts too: it is the exact peak.
    function script:Invoke-Watched([string] $Script, [int] $TimeoutSeconds) {
        $file = Join-Path $TestDrive ("child-{0}.ps1" -f [Guid]::NewGuid().ToString('N').Substring(0, 8))
        Set-Content -LiteralPath $file -Value $Script
        $cmd = Get-PwshCommand
        $psi = [Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        $proc = [Diagnostics.Process]::Start($psi)
        $stdout = $proc.StandardOutput.ReadToEndAsync()
        $stderr = $proc.StandardError.ReadToEndAsync()
        $peak = 0L
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        $timedOut = $false
        while (-not $proc.WaitForExit(50)) {
            try {
                $line = [IO.File]::ReadAllLines("/proc/$($proc.Id)/status") | Where-Object { $_ -like 'VmHWM:*' }
                if ($line) { $peak = [Math]::Max($peak, [long]($line -replace '\D', '')) }
            } catch { }
            if ([DateTime]::UtcNow -gt $deadline) { $timedOut = $true; $proc.Kill($true); $proc.WaitForExit(); break }
        }
        $lines = @($stdout.Result -split "`r?`n" | Where-Object { $_ })
        foreach ($l in $lines) { if ($l -match '^PEAKKB=(\d+)$') { $peak = [Math]::Max($peak, [long]$Matches[1]) } }
        [pscustomobject]@{ Output = $lines; Errors = $stderr.Result; ExitCode = $proc.ExitCode; TimedOut = $timedOut; PeakBytes = $peak * 1KB }
    }

    # What a child prints about itself at the end.
    $script:PeakLine = '"PEAKKB=" + ((Get-Content /proc/$PID/status | Where-Object { $_ -like ''VmHWM:*'' }) -replace ''\D'', '''')'
}

Describe 'A hostile folder: special files, link loops, repeated links and the corrupt corpus' {
    BeforeAll {
        $script:Root = Join-Path $TestDrive 'hostile'
        $script:Sub = Join-Path $Root 'sub'
        $script:Good = [Collections.Generic.List[string]]::new()
        foreach ($p in $Corpus::Noise($Root, 5, 21, 16, 64)) { $Good.Add($p) }
        foreach ($p in $Corpus::Noise($Sub, 4, 22, 16, 64)) { $Good.Add($p) }
        $script:Bad = @{}
        foreach ($kv in $Corpus::Hostile((Join-Path $Root 'corrupt')).GetEnumerator()) {
            if ($kv.Value -eq 'NotFound') { continue }          # a path nobody lists
            if ($kv.Value -eq 'IsDirectory') { continue }       # a folder inside the tree is walked, not read
            $Bad[$kv.Key] = $kv.Value
        }
        $script:Posix = -not $IsWindows
        if ($Posix) {
            $fifo = Join-Path $Root 'y.jpg'
            & mkfifo -- $fifo
            $Bad[$fifo] = 'NotAFile'
            $socket = Join-Path $Root 'sock.png'
            & /usr/bin/python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" $socket
            if (Test-Path -LiteralPath $socket) { $Bad[$socket] = 'NotAFile' }
            # Devices reached through links: reading /dev/zero would never end.
            & ln -s /dev/zero (Join-Path $Root 'zero.png'); $Bad[(Join-Path $Root 'zero.png')] = 'NotAFile'
            & ln -s /dev/null (Join-Path $Sub 'null.jpg'); $Bad[(Join-Path $Sub 'null.jpg')] = 'NotAFile'
            # A loop, two links to one folder, a link to a file already in the tree.
            & ln -s .. (Join-Path $Sub 'loop')
            $null = New-Item -ItemType Directory (Join-Path $Root 'other')
            & ln -s ../sub (Join-Path $Root 'other/again')
            & ln -s ../sub (Join-Path $Root 'other/again2')
            & ln -s $Good[0] (Join-Path $Root 'zz-same.png')
        }
        $script:ScanArgs = "-Model zfnet -Layer conv1 -Unit 0..7 -Top 3 -BatchSize 4 -Device cpu"
        $goodList = Join-Path $TestDrive 'good-files.txt'
        Set-Content -LiteralPath $goodList -Value $Good
        $child = @"
Import-Module '$ModuleManifest'
`$key = { 'KEY=' + (`$_.Layer, `$_.Unit, `$_.Rank, `$_.Value.ToString('R'), `$_.ImagePath, `$_.Position.Y, `$_.Position.X -join '|') }
Get-TopActivations -Path '$Root' -Recurse $ScanArgs -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1 | ForEach-Object {
    if (`$_ -is [Management.Automation.VerboseRecord]) { 'VERBOSE=' + `$_.Message } else { & `$key }
}
foreach (`$e in `$errs) { 'ERR=' + `$e.Exception.Path + '|' + `$e.FullyQualifiedErrorId.Split(',')[0] }
Get-TopActivations -LiteralPath (Get-Content -LiteralPath '$goodList') $ScanArgs | ForEach-Object { 'GOOD' + (& `$key) }
$PeakLine
"@
        $script:Run = Invoke-Watched $child 600
        $script:Keys = @($Run.Output | Where-Object { $_ -like 'KEY=*' } | ForEach-Object { $_.Substring(4) })
        $script:GoodKeys = @($Run.Output | Where-Object { $_ -like 'GOODKEY=*' } | ForEach-Object { $_.Substring(8) })
        $script:Errs = @($Run.Output | Where-Object { $_ -like 'ERR=*' } | ForEach-Object { $_.Substring(4) })
        $script:Verbose = @($Run.Output | Where-Object { $_ -like 'VERBOSE=*' } | ForEach-Object { $_.Substring(8) })
    }

    AfterAll {
        # Pester's TestDrive cleanup would follow the loop; the links go first.
        if ($Posix) { foreach ($l in (Join-Path $Sub 'loop'), (Join-Path $Root 'other/again'), (Join-Path $Root 'other/again2')) { & rm -f -- $l } }
    }

    It 'finishes within its own timeout (a FIFO is never opened for reading)' {
        $Run.TimedOut | Should -BeFalse -Because "the scan must not hang; stderr: $($Run.Errors)"
        $Run.ExitCode | Should -Be 0 -Because $Run.Errors
    }

    It 'one error per bad file, with the ErrorId of its reason' {
        $byFile = @{}
        foreach ($e in $Errs) { $path, $id = $e -split '\|'; $byFile[$path] = @($byFile[$path]) + $id | Where-Object { $_ } }
        foreach ($f in $Bad.Keys) {
            $byFile.ContainsKey($f) | Should -BeTrue -Because "$f is bad ($($Bad[$f]))"
            @($byFile[$f]).Count | Should -Be 1 -Because "$f gets exactly one error"
            $byFile[$f] | Should -Be "Image$($Bad[$f])"
        }
        $Errs.Count | Should -Be $Bad.Count
    }

    It 'the top-k equals the scan of the good files alone (each image counted once, under its own path)' {
        $GoodKeys.Count | Should -Be (8 * 3)
        $Keys | Should -Be $GoodKeys
    }

    It 'loops and repeated links are reported once each, verbosely' {
        if (-not $Posix) { Set-ItResult -Skipped -Because 'symbolic links and FIFOs are POSIX here'; return }
        @($Verbose | Where-Object { $_ -like "*$(Join-Path $Sub 'loop')'*already listed*" }).Count | Should -Be 1
        @($Verbose | Where-Object { $_ -like "*other/again'*already listed*" }).Count | Should -Be 1
        @($Verbose | Where-Object { $_ -like "*other/again2'*already listed*" }).Count | Should -Be 1
        @($Verbose | Where-Object { $_ -like "*zz-same.png'*same file as*$(Split-Path $Good[0] -Leaf)'*" }).Count | Should -Be 1
    }

    It 'the scanning process peaks under 2 GB' {
        $Run.PeakBytes | Should -BeGreaterThan 0
        $Run.PeakBytes | Should -BeLessThan 2GB
    }

    It 'Get-FeatureMap and Get-ConvModelOutput refuse the FIFO without blocking' {
        if (-not $Posix) { Set-ItResult -Skipped -Because 'FIFOs are POSIX'; return }
        $fifo = Join-Path $Root 'y.jpg'
        $child = @"
Import-Module '$ModuleManifest'
`$null = Get-FeatureMap -LiteralPath '$fifo' -Model zfnet -Layer conv1 -ErrorVariable a -ErrorAction SilentlyContinue
`$null = Get-ConvModelOutput -LiteralPath '$fifo' -Model zfnet -ErrorVariable b -ErrorAction SilentlyContinue
foreach (`$e in @(`$a) + @(`$b)) { 'ERR=' + `$e.FullyQualifiedErrorId.Split(',')[0] }
"@
        $r = Invoke-Watched $child 300
        $r.TimedOut | Should -BeFalse
        @($r.Output | Where-Object { $_ -like 'ERR=*' }) | Should -Be @('ERR=ImageNotAFile', 'ERR=ImageNotAFile')
    }
}
