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

Describe 'State files: checksum, meaning, one owner, leftovers' {
    BeforeAll {
        $script:TinyNets = Get-TestKitType 'TinyNets'
        $script:Tiny = $TinyNets::Chain([string[]]@('conv', 'relu', 'pool', 'conv'), 32, 5)
        $script:StateDir = Join-Path $TestDrive 'states'
        $script:StateImages = [string[]]$Corpus::Noise((Join-Path $StateDir 'images'), 8, 31, 16, 48)
        $script:StateArgs = @{ Model = $Tiny; Layer = 'l0', 'l3'; Unit = 0..3; Top = 3; BatchSize = 4 }
        $script:Reference = Join-Path $StateDir 'reference.json'
        function script:KeyOf($a) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $a.Layer, $a.Unit, $a.Rank, $a.Value.ToString('R'), $a.ImagePath, $a.Position.Y, $a.Position.X }
        $script:ReferenceKeys = @(Get-TopActivations -LiteralPath $StateImages @StateArgs -StatePath $Reference | ForEach-Object { KeyOf $_ })
        $script:ReferenceBytes = [IO.File]::ReadAllBytes($Reference)

        # The rule of docs/state-format.md, written out independently: SHA-256 of the file with
        # the 64 checksum digits read as zeros.
        function script:Seal([string] $Json) {
            $m = [regex]::Match($Json, '"checksum":"([0-9a-f]{64})"')
            $zeroed = $Json.Substring(0, $m.Groups[1].Index) + ('0' * 64) + $Json.Substring($m.Groups[1].Index + 64)
            $hash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($zeroed))).ToLowerInvariant()
            $zeroed.Substring(0, $m.Groups[1].Index) + $hash + $zeroed.Substring($m.Groups[1].Index + 64)
        }
        # Resumes from $Path: 'refused' (InvalidStateFile, file unchanged) or the result's keys.
        function script:Resume([string] $Path) {
            $before = [IO.File]::ReadAllBytes($Path)
            try {
                $keys = @(Get-TopActivations -LiteralPath $StateImages @StateArgs -StatePath $Path -ErrorAction Stop | ForEach-Object { KeyOf $_ })
                return [pscustomobject]@{ Refused = $false; Keys = $keys; Error = $null }
            } catch {
                [Convert]::ToBase64String([IO.File]::ReadAllBytes($Path)) | Should -Be ([Convert]::ToBase64String($before)) -Because 'a refused state is never overwritten'
                return [pscustomobject]@{ Refused = $true; Keys = $null; Error = $_ }
            }
        }
    }

    It 'a finished state carries a checksum and resumes to the same result' {
        $json = [Text.Encoding]::UTF8.GetString($ReferenceBytes)
        $json | Should -Match '^\{"format":"ConvViz\.TopKScanState","version":2,"checksum":"[0-9a-f]{64}"'
        (Seal $json) | Should -Be $json -Because 'the checksum follows the documented rule'
        $copy = Join-Path $StateDir 'copy.json'
        [IO.File]::WriteAllBytes($copy, $ReferenceBytes)
        $r = Resume $copy
        $r.Refused | Should -BeFalse
        $r.Keys | Should -Be $ReferenceKeys
    }

    It '200 seeded single-bit flips: each refused as InvalidStateFile or leaving the result unchanged' {
        $random = [Random]::new(14)
        $flipped = Join-Path $StateDir 'flipped.json'
        $refused = 0; $unchanged = 0
        for ($n = 0; $n -lt 200; $n++) {
            $b = [byte[]]$ReferenceBytes.Clone()
            $at = $random.Next($b.Length); $bit = $random.Next(8)
            $b[$at] = $b[$at] -bxor (1 -shl $bit)
            [IO.File]::WriteAllBytes($flipped, $b)
            $r = Resume $flipped
            if ($r.Refused) {
                $r.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidStateFile,*' -Because "flip of bit $bit at byte $at"
                $r.Error.Exception.Message | Should -BeLike '*flipped.json*'
                $refused++
            } else {
                $r.Keys | Should -Be $ReferenceKeys -Because "flip of bit $bit at byte $at was accepted, so it must not change the result"
                $unchanged++
            }
        }
        ($refused + $unchanged) | Should -Be 200
    }

    It 'a re-sealed state that breaks the rules is refused: <Case>' -TestCases @(
        @{ Case = 'one image twice in a unit''s top-k'; Why = '*repeats image*'; Edit = { param($s) $l = $s.layers[0]; $u = $l.units.Count; $l.images[$u] = $l.images[0]; $l.values[$u] = $l.values[0] } }
        @{ Case = 'ranks out of order'; Why = '*is not below rank*'; Edit = { param($s) $l = $s.layers[0]; $u = $l.units.Count; $t = $l.values[0]; $l.values[0] = $l.values[$u]; $l.values[$u] = $t; $t = $l.images[0]; $l.images[0] = $l.images[$u]; $l.images[$u] = $t; $t = $l.positions[0]; $l.positions[0] = $l.positions[$u]; $l.positions[$u] = $t } }
        @{ Case = 'a NaN value'; Why = '*not a finite activation*'; Edit = { param($s) $s.layers[0].values[0] = [double]::NaN } }
        @{ Case = 'a 1e30 value'; Why = '*not a finite activation*'; Edit = { param($s) $s.layers[0].values[0] = 1e30 } }
        @{ Case = 'a hash that is not hex'; Why = '*content hash*hex*'; Edit = { param($s) $s.images[0].sha256 = 'z' * 64 } }
        @{ Case = 'an image sequence not in the list'; Why = '*not in the image list*'; Edit = { param($s) $s.layers[0].images[0] = 999 } }
        @{ Case = 'a position outside the map'; Why = '*position outside*'; Edit = { param($s) $s.layers[0].positions[0] = 1000000 } }
        @{ Case = 'a relative image path'; Why = "*'relative/a.png'*"; Edit = { param($s) $s.images[0].path = 'relative/a.png' } }
        @{ Case = 'an image dropped from the list'; Why = '*'; Edit = { param($s) $s.images = @($s.images | Select-Object -Skip 1) } }
    ) {
        param($Case, $Why, $Edit)
        $state = [Text.Encoding]::UTF8.GetString($ReferenceBytes) | ConvertFrom-Json
        & $Edit $state
        $path = Join-Path $StateDir 'semantic.json'
        $json = $state | ConvertTo-Json -Depth 10 -Compress
        [IO.File]::WriteAllText($path, (Seal $json))
        $r = Resume $path
        $r.Refused | Should -BeTrue -Because "$Case must be refused"
        $r.Error.FullyQualifiedErrorId | Should -BeLike 'InvalidStateFile,*'
        $r.Error.Exception.Message | Should -BeLike $Why
    }

    It 'the unedited state, re-serialised and re-sealed the same way, is accepted (the cases above fail for their reason)' {
        $state = [Text.Encoding]::UTF8.GetString($ReferenceBytes) | ConvertFrom-Json
        $path = Join-Path $StateDir 'resealed.json'
        [IO.File]::WriteAllText($path, (Seal ($state | ConvertTo-Json -Depth 10 -Compress)))
        $r = Resume $path
        $r.Refused | Should -BeFalse -Because "$($r.Error)"
        $r.Keys | Should -Be $ReferenceKeys
    }

    It 'temporary files of an interrupted write are removed by the next run; other files stay' {
        $path = Join-Path $StateDir 'leftover.json'
        [IO.File]::WriteAllBytes($path, $ReferenceBytes)
        $tmp = Join-Path $StateDir '.leftover.json.0badc0de.tmp'
        $other = Join-Path $StateDir '.leftover.json.notours.tmp'
        Set-Content -LiteralPath $tmp, $other -Value 'partial'
        $null = Resume $path
        Test-Path -LiteralPath $tmp | Should -BeFalse
        Test-Path -LiteralPath $other | Should -BeTrue
    }

    It 'two concurrent scans on one state file: the second stops with StateFileInUse naming the first' {
        $images = [string[]]$Corpus::Noise((Join-Path $StateDir 'many'), 24, 32, 64, 128)
        $list = Join-Path $StateDir 'many.txt'
        Set-Content -LiteralPath $list -Value $images
        $shared = Join-Path $StateDir 'shared.json'
        $scan = @"
Import-Module '$ModuleManifest'
try {
    `$null = Get-TopActivations -LiteralPath (Get-Content -LiteralPath '$list') -Model zfnet -Layer conv1 -Top 3 -BatchSize 1 -Device cpu -StatePath '$shared' -CheckpointSeconds 0 -ErrorAction Stop
    'FINISHED ' + `$PID
} catch { 'ERRORID=' + `$_.FullyQualifiedErrorId.Split(',')[0]; 'MESSAGE=' + `$_.Exception.Message; 'PID=' + `$PID }
"@
        $file = Join-Path $StateDir 'scan.ps1'
        Set-Content -LiteralPath $file -Value $scan
        $cmd = Get-PwshCommand
        $psi = [Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
        $first = [Diagnostics.Process]::Start($psi)
        try {
            $lock = "$shared.lock"
            $deadline = [DateTime]::UtcNow.AddSeconds(300)
            while (-not $first.HasExited -and [DateTime]::UtcNow -lt $deadline -and -not ((Test-Path -LiteralPath $shared) -and (Get-Item -LiteralPath $lock -ErrorAction Ignore).Length -gt 0)) { Start-Sleep -Milliseconds 50 }
            $first.HasExited | Should -BeFalse -Because 'the first scan must still run when the second starts'
            $second = Invoke-Watched $scan 300
        } finally {
            $firstOut = $first.StandardOutput.ReadToEnd()
            $first.WaitForExit()
        }
        $firstOut | Should -Match "FINISHED $($first.Id)"
        $second.Output | Should -Contain 'ERRORID=StateFileInUse'
        ($second.Output | Where-Object { $_ -like 'MESSAGE=*' }) | Should -BeLike "*shared.json*another scan*pid $($first.Id) on host*"
        # The first scan's state is whole: every image counted once.
        (Get-Content -Raw -LiteralPath $shared | ConvertFrom-Json).images.Count | Should -Be $images.Count
    }
}

