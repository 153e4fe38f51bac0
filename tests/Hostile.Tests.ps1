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

    It 'two concurrent scans on one state file: the second stops with StateFileInUse naming the first; a killed owner leaves no claim' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the owner is killed with SIGKILL'; return }
        # Enough images that the first scan is still running when the second has started (a
        # fresh pwsh takes seconds); the first is killed once the second has answered.
        $images = [string[]]$Corpus::Noise((Join-Path $StateDir 'many'), 600, 32, 16, 40)
        $list = Join-Path $StateDir 'many.txt'
        Set-Content -LiteralPath $list -Value $images
        $shared = Join-Path $StateDir 'shared.json'
        $scan = @"
Import-Module '$ModuleManifest'
try {
    `$null = Get-TopActivations -LiteralPath (Get-Content -LiteralPath '$list') -Model zfnet -Layer conv1 -Unit 0..3 -Top 3 -BatchSize 1 -Device cpu -StatePath '$shared' -CheckpointSeconds 0 -ErrorAction Stop
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
            $stillRunning = -not $first.HasExited
            if ($stillRunning) { & kill -9 $first.Id }
        } finally {
            if (-not $first.HasExited) { $first.Kill() }
            $first.WaitForExit()
        }
        $stillRunning | Should -BeTrue -Because 'the first scan held the file the whole time the second tried'
        $second.Output | Should -Contain 'ERRORID=StateFileInUse'
        ($second.Output | Where-Object { $_ -like 'MESSAGE=*' }) | Should -BeLike "*shared.json*another scan*pid $($first.Id) on host*"
        # The killed owner's claim died with it: the next scan takes the file and resumes from its last checkpoint.
        $before = @((Get-Content -Raw -LiteralPath $shared | ConvertFrom-Json).images).Count
        $before | Should -BeGreaterThan 0
        $null = Get-TopActivations -LiteralPath $images[0] -Model zfnet -Layer conv1 -Unit 0..3 -Top 3 -BatchSize 1 -Device cpu -StatePath $shared -ErrorAction Stop
        $after = @((Get-Content -Raw -LiteralPath $shared | ConvertFrom-Json).images).Count
        $after | Should -BeIn @($before, ($before + 1))
    }
}

Describe 'Model files: bombs, pickle tricks, tensors nobody frees' {
    BeforeAll {
        $script:ModelDir = Join-Path $TestDrive 'models'
        $null = New-Item -ItemType Directory $ModelDir
        $script:Canary = Join-Path $ModelDir 'canary'
        $script:Python = if (Test-Path /usr/bin/python3) { '/usr/bin/python3' } else { $null }

        # A torch.save-shaped zip around a pickle (and optional extra entries of zeros).
        function script:New-Pth([string] $Path, [byte[]] $Pickle, [long] $ZeroPickleBytes = 0) {
            $zip = [IO.Compression.ZipFile]::Open($Path, 'Create')
            try {
                $entry = $zip.CreateEntry('archive/data.pkl', $(if ($ZeroPickleBytes) { 'Fastest' } else { 'NoCompression' }))
                $s = $entry.Open()
                if ($ZeroPickleBytes) { $chunk = [byte[]]::new(1MB); for ($n = 0L; $n -lt $ZeroPickleBytes; $n += 1MB) { $s.Write($chunk, 0, $chunk.Length) } }
                else { $s.Write($Pickle, 0, $Pickle.Length) }
                $s.Dispose()
                $v = $zip.CreateEntry('archive/version'); $s = $v.Open(); $s.Write([byte[]](0x33, 0x0A), 0, 2); $s.Dispose()
            } finally { $zip.Dispose() }
        }
        function script:Sbu([string] $Text) { $b = [Text.Encoding]::UTF8.GetBytes($Text); , ([byte[]](@(0x8c, $b.Length) + $b)) }
        $script:Cmd = "touch '$Canary'"
        # Each variant ends by calling os.system(cmd) in a real unpickler, while a guard that
        # tracks the memo by "last string pushed" sees collections.OrderedDict.
        $tail = [byte[]]((Sbu $Cmd) + @(0x85, 0x52, 0x2E))
        $script:Variants = [ordered]@{
            # MEMOIZE of a non-string shifts every later memo index by one.
            'MEMOIZE after a non-string' = [byte[]](@(0x80, 0x04, 0x4E, 0x94) + (Sbu 'os') + 0x94 + (Sbu 'collections') + 0x94 + (Sbu 'system') + 0x94 + (Sbu 'OrderedDict') + 0x94 + @(0x68, 1, 0x68, 3, 0x93) + $tail)
            # BINPUT after POP stores the string below the popped one.
            'BINPUT/BINGET after POP' = [byte[]](@(0x80, 0x02) + (Sbu 'collections') + @(0x71, 0) + (Sbu 'OrderedDict') + @(0x71, 1) + (Sbu 'os') + (Sbu 'x') + @(0x30, 0x71, 0) + (Sbu 'system') + (Sbu 'x') + @(0x30, 0x71, 1) + @(0x68, 0, 0x68, 1, 0x93) + $tail)
            'LONG_BINPUT/LONG_BINGET after POP' = [byte[]](@(0x80, 0x02) + (Sbu 'collections') + @(0x72, 0, 0, 0, 0) + (Sbu 'OrderedDict') + @(0x72, 1, 0, 0, 0) + (Sbu 'os') + (Sbu 'x') + @(0x30, 0x72, 0, 0, 0, 0) + (Sbu 'system') + (Sbu 'x') + @(0x30, 0x72, 1, 0, 0, 0) + @(0x6A, 0, 0, 0, 0, 0x6A, 1, 0, 0, 0, 0x93) + $tail)
            'PUT/GET (text) after POP' = [byte[]](@(0x80, 0x02) + (Sbu 'collections') + [Text.Encoding]::ASCII.GetBytes("p0`n") + (Sbu 'OrderedDict') + [Text.Encoding]::ASCII.GetBytes("p1`n") + (Sbu 'os') + (Sbu 'x') + 0x30 + [Text.Encoding]::ASCII.GetBytes("p0`n") + (Sbu 'system') + (Sbu 'x') + 0x30 + [Text.Encoding]::ASCII.GetBytes("p1`ng0`ng1`n") + 0x93 + $tail)
        }
    }

    It 'ONNX input, Pad and constant-folding bombs and a .pth zip bomb are refused under 3 GB, naming the reason' {
        if (-not $Python -or ((& $Python -c 'import onnx' 2>$null), $LASTEXITCODE)[-1] -ne 0) { Set-ItResult -Skipped -Because 'python3 with onnx builds the bombs (build.ps1 test installs it)'; return }
        & $Python (Join-Path $PSScriptRoot 'Hostile.Bombs.py') $ModelDir
        $LASTEXITCODE | Should -Be 0
        $zipBomb = Join-Path $ModelDir 'zip-bomb.pth'
        New-Pth $zipBomb $null (256MB)
        (Get-Item $zipBomb).Length | Should -BeLessThan 4MB -Because 'a small file that inflates to 256 MiB'
        $child = @"
Import-Module '$ModuleManifest'
foreach (`$f in 'input-bomb', 'pad-bomb', 'fold-bomb') {
    try { `$null = Import-ConvModel -Path (Join-Path '$ModelDir' "`$f.onnx"); "`$f=IMPORTED" }
    catch { "`$f=" + `$_.FullyQualifiedErrorId.Split(',')[0] + '|' + `$_.Exception.Message }
}
try { `$null = Import-ConvModel -Architecture alexnet -Path '$zipBomb'; 'zip-bomb=IMPORTED' }
catch { 'zip-bomb=' + `$_.FullyQualifiedErrorId.Split(',')[0] + '|' + `$_.Exception.Message }
$PeakLine
"@
        $r = Invoke-Watched $child 600
        $r.TimedOut | Should -BeFalse
        $lines = @{}
        foreach ($l in $r.Output) { if ($l -match '^([a-z-]+)=(.*)$') { $lines[$Matches[1]] = $Matches[2] } }
        $lines['input-bomb'] | Should -BeLike 'InvalidModelFile|*input-bomb.onnx*12000x12000*budget*'
        $lines['pad-bomb'] | Should -BeLike "InvalidModelFile|*pad-bomb.onnx*node 'pad' (Pad)*budget*"
        $lines['fold-bomb'] | Should -BeLike "InvalidModelFile|*fold-bomb.onnx*node 'broadcast' (Add)*400,000,000 values*budget*"
        $lines['zip-bomb'] | Should -BeLike 'InvalidModelFile|*zip-bomb.pth*data.pkl*268,435,456 bytes*limit*'
        $r.PeakBytes | Should -BeGreaterThan 0
        $r.PeakBytes | Should -BeLessThan 3GB
    }

    It 'pickle memo trick <_>: a real unpickler would call os.system; ConvViz refuses it and runs nothing' -ForEach @(
        'MEMOIZE after a non-string', 'BINPUT/BINGET after POP', 'LONG_BINPUT/LONG_BINGET after POP', 'PUT/GET (text) after POP'
    ) {
        $pkl = $Variants[$_]
        $name = ($_ -replace '[^A-Za-z]', '')
        $raw = Join-Path $ModelDir "$name.pkl"
        [IO.File]::WriteAllBytes($raw, $pkl)
        if ($Python) {
            # CPython's own unpickler, stopped at its first global lookup (nothing is called): the variant is real.
            $looked = & $Python -c "import pickle,sys`nclass U(pickle.Unpickler):`n    def find_class(self, m, n):`n        print(m + '.' + n); sys.exit(0)`nU(open(sys.argv[1],'rb')).load()" $raw
            $looked | Should -Be 'os.system'
        }
        $evil = Join-Path $ModelDir "$name.pth"
        New-Pth $evil $pkl
        $err = { Import-ConvModel -Architecture alexnet -Path $evil } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.Exception.Message | Should -BeLike "*$name.pth*os.system*"
        Test-Path -LiteralPath $Canary | Should -BeFalse -Because 'nothing in the pickle may run'
    }

    It 'Import-ConvModel -Architecture alexnet leaves no tensor to the finalizer, also when imports fail' {
        $Probe = Get-TestKitType 'FaultProbe'
        $evil = Join-Path $ModelDir 'leak-check.pth'
        New-Pth $evil $Variants['MEMOIZE after a non-string']
        # Earlier garbage would drift the count; from here on no GC runs between the readings.
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $baseline = $Probe::LiveTensors()
        $m = Import-ConvModel -Architecture alexnet -Device cpu
        $owned = ($m.GetEngine().Graph.Nodes | ForEach-Object { $_.Op.Tensors.Count } | Measure-Object -Sum).Sum
        ($Probe::LiveTensors() - $baseline) | Should -Be $owned -Because 'only the weights the model owns stay alive'
        for ($n = 0; $n -lt 7; $n++) { try { $null = Import-ConvModel -Architecture alexnet -Path $evil } catch { } }
        ($Probe::LiveTensors() - $baseline) | Should -Be $owned -Because 'failed imports free their random initialisation at once'
    }
}
