#Requires -Modules Pester
# Issue 8: bad images, bad models, bad parameters, kills and full disks lose nothing.
# Every bad input is generated here in TestDrive. Models are small (a kit chain at 32x32,
# zfnet/alexnet for the cmdlet paths that need a built-in), so the suite stays quick.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $script:TinyNets = Get-TestKitType 'TinyNets'
    $script:Probe = Get-TestKitType 'FaultProbe'
    $script:StateCheck = Get-TestKitType 'StateDictCheck'
    $script:OnnxFactory = Get-TestKitType 'OnnxFactory'
    $script:IsRoot = -not $IsWindows -and ((& id -u) -eq '0')

    # conv-relu-pool-conv, 8 channels, 32x32 stretched input: fast on two cores.
    $script:Tiny = $TinyNets::Chain([string[]]@('conv', 'relu', 'pool', 'conv'), 32, 5)

    function script:Key($a) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $a.Layer, $a.Unit, $a.Rank, $a.Value.ToString('R'), $a.ImagePath, $a.Position.Y, $a.Position.X }

    # A file that stays readable after chmod 000 means we run as root (or on a file system without modes).
    function script:Test-ChmodBlocksReading([string] $Path) {
        if ($IsWindows) { return $false }
        & chmod 000 -- $Path
        try { [IO.File]::ReadAllBytes($Path) | Out-Null; return $false } catch { return $true }
    }

    # Error records whose exception names the file, grouped by file.
    function script:Get-ErrorsByFile($Records) {
        $by = @{}
        foreach ($r in $Records) {
            $p = $r.Exception.Path
            if (-not $p) { $p = "$($r.TargetObject)" }
            if (-not $by.ContainsKey($p)) { $by[$p] = [Collections.Generic.List[object]]::new() }
            $by[$p].Add($r)
        }
        $by
    }

    # --- The hostile folder ----------------------------------------------------------------
    $script:Hostile = Join-Path $TestDrive 'hostile images'
    $null = New-Item -ItemType Directory $Hostile
    $script:Good = [Collections.Generic.List[string]]::new()
    $script:Bad = @{}   # full path -> ImageReadReason name

    foreach ($p in $Corpus::Noise($Hostile, 6, 3, 8, 48)) { $Good.Add($p) }
    $variants = $Corpus::Variants((Join-Path $Hostile 'variants'))
    $script:Variants = $variants
    # The variants live in a subfolder; the folder scan uses -Recurse for them.
    foreach ($v in $variants.Values) { $Good.Add($v) }
    # A 5x3 image, smaller than the 32x32 input: upscaled, not refused.
    $script:Small = $Corpus::Solid((Join-Path $Hostile 'small 5x3.png'), 5, 3, [byte]90, [byte]160, [byte]30)
    $Good.Add($Small)
    # Names with spaces, unicode, brackets and wildcard characters.
    foreach ($name in 'with space.png', 'ünïcødé 图像.png', 'br[a]ckets.png', 'star*and?mark.png') {
        $dest = Join-Path $Hostile $name
        [IO.File]::Copy($Good[0], $dest)
        $Good.Add($dest)
    }
    foreach ($kv in $Corpus::Hostile($Hostile).GetEnumerator()) {
        if ($kv.Value -eq 'NotFound') { continue }   # a missing path is "PathNotFound" before any read; tested below
        $Bad[$kv.Key] = $kv.Value
    }
    $text = Join-Path $Hostile 'notes.jpg'
    Set-Content -LiteralPath $text -Value "shopping list`nmilk`neggs"
    $Bad[$text] = 'NotAnImage'
    $psd = Join-Path $Hostile 'layered.png'
    [IO.File]::WriteAllBytes($psd, [byte[]](@(0x38, 0x42, 0x50, 0x53, 0, 1) + @(0) * 60))
    $Bad[$psd] = 'UnsupportedFormat'
    $script:Bomb = Join-Path $Hostile 'bomb.png'
    # Unreadable: chmod 000, unless we run as root (then reading still works and the case is skipped).
    $locked = Join-Path $Hostile 'locked.png'
    [IO.File]::Copy($Good[1], $locked)
    $script:UnreadableSkip = $null
    if (Test-ChmodBlocksReading $locked) { $Bad[$locked] = 'Unreadable' }
    else {
        $script:UnreadableSkip = 'chmod 000 does not stop reading here (running as root); the unreadable case cannot be produced'
        & chmod 644 -- $locked
        $Good.Add($locked)
    }
    $script:GoodFiles = [string[]]($Good | Sort-Object -Unique)
    $script:BadFiles = [string[]]@($Bad.Keys)
    $script:BadAsFiles = [string[]]@($Bad.Keys | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf })

    $script:GoodScan = @(Get-TopActivations -LiteralPath $GoodFiles -Model $Tiny -Layer l0, l3 -Top 4 -BatchSize 5 -ErrorVariable goodErrors)
    $script:GoodErrors = $goodErrors
}

AfterAll {
    if (-not $IsWindows -and $script:Hostile) { & chmod -R u+rwX -- $script:Hostile 2>$null }
}

Describe 'Hostile image folder' {
    It 'the good files alone scan without errors and fill the top-k' {
        $GoodErrors.Count | Should -Be 0
        $GoodScan.Count | Should -Be (2 * 8 * 4)
    }

    It 'Get-TopActivations -LiteralPath: one error per bad file with its reason, and the good files'' result' {
        $all = [string[]]($GoodFiles + $BadFiles)
        $r = @(Get-TopActivations -LiteralPath $all -Model $Tiny -Layer l0, l3 -Top 4 -BatchSize 5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $byFile = Get-ErrorsByFile $errs
        foreach ($f in $BadFiles) {
            $byFile.ContainsKey($f) | Should -BeTrue -Because "$f is bad ($($Bad[$f]))"
            $byFile[$f].Count | Should -Be 1 -Because "$f gets exactly one error"
            $e = $byFile[$f][0]
            $e.FullyQualifiedErrorId | Should -BeLike "Image$($Bad[$f]),*"
            $e.Exception.Message | Should -BeLike "*$([Management.Automation.WildcardPattern]::Escape($f))*"
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        $errs.Count | Should -Be $BadFiles.Count
        ($r | ForEach-Object { Key $_ }) | Should -Be ($GoodScan | ForEach-Object { Key $_ })
    }

    It 'Get-ChildItem piped in (brackets and wildcards in names): the same errors and result' {
        $r = @(Get-ChildItem -LiteralPath $Hostile -Recurse | Get-TopActivations -Model $Tiny -Layer l0, l3 -Top 4 -BatchSize 5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        # Get-ChildItem lists folder.jpg (a directory named like an image) and the variants folder;
        # the first is an error, the second stands for its images (already listed themselves).
        $byFile = Get-ErrorsByFile $errs
        @($byFile.Keys | Sort-Object) | Should -Be @($BadFiles | Sort-Object)
        foreach ($f in $BadFiles) { $byFile[$f].Count | Should -Be 1 }
        ($r | ForEach-Object { Key $_ }) | Should -Be ($GoodScan | ForEach-Object { Key $_ })
    }

    It 'a folder named like an image passed as a file is IsDirectory' {
        $folder = Join-Path $Hostile 'folder.jpg'
        $null = Get-TopActivations -LiteralPath $folder, $GoodFiles[0] -Model $Tiny -Layer l0 -Top 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageIsDirectory,*'
        $errs[0].Exception.Message | Should -BeLike '*folder.jpg*directory*'
    }

    It 'a -Path with wildcards matches names with brackets only through -LiteralPath' {
        $bracket = Join-Path $Hostile 'br[a]ckets.png'
        $r = @(Get-TopActivations -LiteralPath $bracket -Model $Tiny -Layer l0 -Unit 0 -Top 1)
        $r[0].ImagePath | Should -Be $bracket
        $star = Join-Path $Hostile 'star*and?mark.png'
        $r = @(Get-TopActivations -LiteralPath $star -Model $Tiny -Layer l0 -Unit 0 -Top 1)
        $r[0].ImagePath | Should -Be $star
    }

    It 'refuses the 30000x30000 PNG header without allocating it, and -MaxPixels lowers the limit' {
        $before = [GC]::GetTotalAllocatedBytes($true)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Get-TopActivations -LiteralPath $Bomb -Model $Tiny -Layer l0 -Top 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        # 30000^2 RGBA would be 3.6 GB; nothing near that was allocated (managed side).
        ([GC]::GetTotalAllocatedBytes($true) - $before) | Should -BeLessThan 200MB
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageTooLarge,*'
        $errs[0].Exception.Message | Should -BeLike '*30000x30000*limit 178,956,970*'
        $null = Get-TopActivations -LiteralPath $GoodFiles[0] -Model $Tiny -Layer l0 -Top 1 -MaxPixels 10 -ErrorVariable small -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $small.Count | Should -Be 1
        $small[0].FullyQualifiedErrorId | Should -BeLike 'ImageTooLarge,*'
    }

    It 'decodes unusual but valid files: 1x1 and small upscaled, gray, CMYK, 16-bit, alpha, palette, GIF, EXIF' {
        $state = Join-Path $TestDrive 'variants.json'
        $files = [string[]]@($Variants.Values) + $Small
        $null = Get-TopActivations -LiteralPath $files -Model $Tiny -Layer l0 -Top 1 -StatePath $state -ErrorVariable errs
        $errs.Count | Should -Be 0
        $images = (Get-Content -Raw $state | ConvertFrom-Json).images
        $images.Count | Should -Be $files.Count
        $geometry = @{}; foreach ($i in $images) { $geometry[$i.path] = $i.geometry -join ',' }
        $geometry[$Variants['one-pixel']] | Should -Be '1,1,32,32,0,0,32,32'
        $geometry[$Small] | Should -Be '5,3,32,32,0,0,32,32'
        # Stored 40x20 with orientation 6: upright it is 20x40.
        $geometry[$Variants['exif-rotated']] | Should -Be '20,40,32,32,0,0,32,32'
        $Variants.ContainsKey('cmyk') | Should -BeTrue -Because 'the kit writes a CMYK JPEG'
    }

    It 'reads the first frame of an animated GIF' {
        # The kit's GIF: frame 0 solid red, frame 1 solid blue, 16x16.
        $red = $Corpus::Solid((Join-Path $TestDrive 'red16.png'), 16, 16, [byte]255, [byte]0, [byte]0)
        $blue = $Corpus::Solid((Join-Path $TestDrive 'blue16.png'), 16, 16, [byte]0, [byte]0, [byte]255)
        $maps = @(Get-FeatureMap -LiteralPath $Variants['animated-gif'], $red, $blue -Model $Tiny -Layer l0)
        $maps.Count | Should -Be 3
        $gif = $maps | Where-Object ImagePath -EQ $Variants['animated-gif']
        $r = $maps | Where-Object ImagePath -EQ $red
        $b = $maps | Where-Object ImagePath -EQ $blue
        ($gif.Values -join ',') | Should -Be ($r.Values -join ',')
        ($gif.Values -join ',') | Should -Not -Be ($b.Values -join ',')
    }

    It 'an unreadable file (chmod 000) is ImageUnreadable' {
        if ($UnreadableSkip) { Set-ItResult -Skipped -Because $UnreadableSkip; return }
        $locked = Join-Path $Hostile 'locked.png'
        $null = Get-TopActivations -LiteralPath $locked -Model $Tiny -Layer l0 -Top 1 -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ImageUnreadable,*'
    }

    It 'a missing path is one PathNotFound error and the scan goes on' {
        $missing = Join-Path $Hostile 'missing.png'
        $r = @(Get-TopActivations -LiteralPath $missing, $GoodFiles[0] -Model $Tiny -Layer l0 -Unit 0 -Top 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $r.Count | Should -Be 1
    }

    It 'Invoke-Deconvolution -Path with a wildcard: one error per bad file, one projection per good file' {
        # The wildcard lists the folder: files (brackets and '*' in names included), folder.jpg
        # (a directory named like an image: an error) and variants/ (stands for its images).
        $p = @(Invoke-Deconvolution -Path (Join-Path $Hostile '*') -Model $Tiny -Layer l3 -Unit 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $byFile = Get-ErrorsByFile $errs
        @($byFile.Keys | Sort-Object) | Should -Be @($BadFiles | Sort-Object)
        foreach ($f in $BadFiles) {
            $byFile[$f].Count | Should -Be 1
            $byFile[$f][0].FullyQualifiedErrorId | Should -BeLike "Image$($Bad[$f]),*"
        }
        @($p.ImagePath | Sort-Object) | Should -Be @($GoodFiles | Sort-Object)
    }

    It 'Get-FeatureMap: one error per bad file, the good files'' maps unchanged' {
        $all = [string[]]($GoodFiles + $BadFiles)
        $maps = @(Get-FeatureMap -LiteralPath $all -Model $Tiny -Layer l0 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $byFile = Get-ErrorsByFile $errs
        @($byFile.Keys | Sort-Object) | Should -Be @($BadFiles | Sort-Object)
        foreach ($f in $BadFiles) { $byFile[$f][0].FullyQualifiedErrorId | Should -BeLike "Image$($Bad[$f]),*" }
        $alone = @(Get-FeatureMap -LiteralPath $GoodFiles -Model $Tiny -Layer l0)
        ($maps | ForEach-Object { '{0}|{1}' -f $_.ImagePath, $_.Max.ToString('R') }) | Should -Be ($alone | ForEach-Object { '{0}|{1}' -f $_.ImagePath, $_.Max.ToString('R') })
    }
}

Describe 'Bad model files' {
    BeforeAll {
        $script:ModelDir = Join-Path $TestDrive 'models'
        $null = New-Item -ItemType Directory $ModelDir
    }

    It 'a truncated ONNX file: InvalidModelFile naming the file' {
        $path = $OnnxFactory::WriteTruncated($ModelDir, 100)
        $err = { Import-ConvModel -Path $path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.Exception.Message | Should -BeLike "*$(Split-Path $path -Leaf)*truncated*"
    }

    It 'a file that is no model at all, as ONNX and as a state dict' {
        $text = Join-Path $ModelDir 'readme.onnx'
        Set-Content -LiteralPath $text 'not a model'
        $err = { Import-ConvModel -Path $text } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*readme.onnx*'
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $pth = Join-Path $ModelDir 'photo.pth'
        Copy-Item -LiteralPath $GoodFiles[0] -Destination $pth
        $err = { Import-ConvModel -Architecture alexnet -Path $pth } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.Exception.Message | Should -BeLike '*photo.pth*not a torch.save zip archive*'
    }

    It 'a state dict with missing, extra and wrongly shaped tensors: StateDictMismatch listing all three' {
        $a = Import-ConvModel -Architecture alexnet -Seed 1
        $path = Join-Path $ModelDir 'wrong.pth'
        $names = $StateCheck::WriteWrong($a.GetEngine(), $path)
        $err = { Import-ConvModel -Architecture alexnet -Path $path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StateDictMismatch,*'
        $err.Exception.Message | Should -BeLike '*wrong.pth*3 mismatches*'
        foreach ($n in $names) { $err.Exception.Message | Should -BeLike "*$n*" }
        foreach ($w in 'missing', 'unexpected', 'wrong shape') { $err.Exception.Message | Should -BeLike "*$w*" }
    }

    It 'a pickle that calls os.system is refused without running it, and the process survives' {
        $marker = Join-Path $ModelDir 'pwned.marker'
        $evil = Join-Path $ModelDir 'evil.pth'
        # data.pkl: PROTO 2, GLOBAL 'os system', MARK, BINUNICODE cmd, TUPLE, REDUCE, STOP.
        $cmd = [Text.Encoding]::UTF8.GetBytes("touch '$marker'")
        $pkl = [Collections.Generic.List[byte]]::new()
        $pkl.AddRange([byte[]](0x80, 0x02))
        $pkl.AddRange([Text.Encoding]::ASCII.GetBytes("cos`nsystem`n"))
        $pkl.Add(0x28)
        $pkl.Add(0x58); $pkl.AddRange([BitConverter]::GetBytes([int]$cmd.Length)); $pkl.AddRange($cmd)
        $pkl.AddRange([byte[]](0x74, 0x52, 0x2E))
        $zip = [IO.Compression.ZipFile]::Open($evil, 'Create')
        try {
            $entry = $zip.CreateEntry('archive/data.pkl', 'NoCompression')
            $s = $entry.Open(); $s.Write($pkl.ToArray(), 0, $pkl.Count); $s.Dispose()
            $v = $zip.CreateEntry('archive/version'); $s = $v.Open(); $s.Write([byte[]](0x33, 0x0A), 0, 2); $s.Dispose()
        } finally { $zip.Dispose() }

        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$((Join-Path $ModulePath 'ConvViz.psd1'))'
try { `$null = Import-ConvModel -Architecture alexnet -Path '$evil'; 'IMPORTED' }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; 'MESSAGE=' + `$_.Exception.Message }
exit 0
"@
        $child = Invoke-ChildPwsh $script
        $child.ExitCode | Should -Be 0
        $out = $child.Output -join "`n"
        $out | Should -Not -Match 'IMPORTED'
        $out | Should -Match 'ERRORID=InvalidModelFile'
        $out | Should -Match 'os\.system'
        Test-Path -LiteralPath $marker | Should -BeFalse
    }
}

Describe 'Bad parameters fail before any work' {
    BeforeAll {
        $script:ZfNet = Import-ConvModel -Architecture zfnet -Device cpu
        $script:Many = [string[]]($GoodFiles * 20)
        $script:ParamDir = Join-Path $TestDrive 'params'
        $null = New-Item -ItemType Directory $ParamDir
        function script:Assert-Refused([scriptblock] $Block, [string] $ErrorId, [string] $Like) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $err = $Block | Should -Throw -PassThru
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err.Exception.Message | Should -BeLike $Like
            $err
        }
    }

    It 'an unknown layer suggests the nearest names' {
        $state = Join-Path $ParamDir 'layer.json'
        $e = Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv6 -StatePath $state -ErrorAction Stop } 'LayerNotFound' "*no layer 'conv6'. Did you mean conv5 or *"
        Test-Path $state | Should -BeFalse
        $script:LayerMessage = $e.Exception.Message
        Assert-Refused { Get-FeatureMap -LiteralPath $GoodFiles[0] -Model $ZfNet -Layer conv6 -ErrorAction Stop } 'LayerNotFound' '*Did you mean*' | Out-Null
        Assert-Refused { Invoke-Deconvolution -LiteralPath $GoodFiles[0] -Model $ZfNet -Layer conv6 -Unit 0 -ErrorAction Stop } 'LayerNotFound' '*Did you mean*' | Out-Null
    }

    It 'a unit out of range states the valid range' {
        $state = Join-Path $ParamDir 'unit.json'
        Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -Unit 96 -StatePath $state -ErrorAction Stop } 'UnitOutOfRange' '*Unit 96*valid: 0..95*' | Out-Null
        Assert-Refused { Invoke-Deconvolution -LiteralPath $GoodFiles[0] -Model $ZfNet -Layer conv1 -Unit 96 -ErrorAction Stop } 'UnitOutOfRange' '*valid: 0..95*' | Out-Null
        Test-Path $state | Should -BeFalse
    }

    It '-Top 0 is refused at binding' {
        Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -Top 0 -ErrorAction Stop } 'ParameterArgumentValidationError' "*'Top'*" | Out-Null
    }

    It '-Shard 3/2 is refused' {
        $state = Join-Path $ParamDir 'shard.json'
        $e = Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -Shard 3/2 -StatePath $state -ErrorAction Stop } 'InvalidShard' "*Shard '3/2'*1 <= i <= n*"
        $script:ShardMessage = $e.Exception.Message
        Test-Path $state | Should -BeFalse
    }

    It '-StatePath in a missing folder or under a file is OutputNotWritable' {
        Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -StatePath (Join-Path $ParamDir 'nope/state.json') -ErrorAction Stop } 'OutputNotWritable' '*does not exist*' | Out-Null
        $file = Join-Path $ParamDir 'a-file.txt'; Set-Content -LiteralPath $file 'x'
        Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -StatePath (Join-Path $file 'state.json') -ErrorAction Stop } 'OutputNotWritable' '*state.json*' | Out-Null
    }

    It '-StatePath in a read-only folder is OutputNotWritable' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'POSIX modes only'; return }
        $ro = Join-Path $ParamDir 'readonly'
        $null = New-Item -ItemType Directory $ro
        & chmod 555 -- $ro
        try {
            $probe = Join-Path $ro 'probe'
            $writable = $true
            try { [IO.File]::WriteAllText($probe, 'x'); Remove-Item -LiteralPath $probe } catch { $writable = $false }
            if ($writable) { Set-ItResult -Skipped -Because 'chmod 555 does not stop writing here (running as root)'; return }
            Assert-Refused { Get-TopActivations -LiteralPath $Many -Model $ZfNet -Layer conv1 -StatePath (Join-Path $ro 'state.json') -ErrorAction Stop } 'OutputNotWritable' '*state.json*' | Out-Null
        } finally { & chmod 755 -- $ro }
    }

    It 'Export-PatchGrid -Path into a missing folder fails before reading its input' {
        $target = Join-Path $ParamDir 'missing/grid.png'
        $e = Assert-Refused { @() | Export-PatchGrid -Path $target -ErrorAction Stop } 'OutputNotWritable' '*grid.png*does not exist*'
        $script:ExportMessage = $e.Exception.Message
        Test-Path (Split-Path $target) | Should -BeFalse
    }
}

Describe 'Faults: kills, corrupt states, full disks, out of memory' {
    BeforeAll {
        $script:KillDir = Join-Path $TestDrive 'kill'
        $script:KillImages = [string[]]$Corpus::Noise($KillDir, 48, 11, 24, 64)
        $script:KillArgs = @{ Model = 'alexnet'; Layer = 'conv1', 'conv2'; Top = 3; BatchSize = 2; Device = 'cpu' }
        $script:Uninterrupted = @(Get-TopActivations -LiteralPath $KillImages @KillArgs)
    }

    It 'a scan killed with SIGKILL and resumed from its state equals an uninterrupted run' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'SIGKILL is POSIX'; return }
        $state = Join-Path $TestDrive 'killed.json'
        $list = Join-Path $TestDrive 'kill-list.txt'
        Set-Content -LiteralPath $list -Value $KillImages
        $script = Join-Path $TestDrive 'scan.ps1'
        Set-Content -LiteralPath $script -Value @"
Import-Module '$((Join-Path $ModulePath 'ConvViz.psd1'))'
`$files = Get-Content -LiteralPath '$list'
`$null = Get-TopActivations -LiteralPath `$files -Model alexnet -Layer conv1, conv2 -Top 3 -BatchSize 2 -Device cpu -StatePath '$state' -CheckpointSeconds 0
"@
        $cmd = Get-PwshCommand
        $psi = [Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        $proc = [Diagnostics.Process]::Start($psi)
        try {
            # A random point in the scan, measured in images counted rather than time (a faster scan
            # must not outrun the kill): between the first batch and half the images.
            $target = Get-Random -Minimum 2 -Maximum ($KillImages.Count / 2 + 1)
            # Only a safety bound: the loop ends as soon as the target is reached (a loaded machine took over 90 s for the first batch).
            $deadline = [DateTime]::UtcNow.AddSeconds(600)
            while (-not $proc.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                $seen = 0
                try { $seen = @((Get-Content -Raw -LiteralPath $state -ErrorAction Stop | ConvertFrom-Json).images).Count } catch { }
                if ($seen -ge $target) { break }
                Start-Sleep -Milliseconds 20
            }
            $killedEarly = -not $proc.HasExited
            if ($killedEarly) { & kill -9 $proc.Id }
            $proc.WaitForExit()
        } finally { if (-not $proc.HasExited) { $proc.Kill() } }
        $killedEarly | Should -BeTrue -Because 'the child was still scanning when killed'
        $proc.ExitCode | Should -Be 137
        Test-Path -LiteralPath $state | Should -BeTrue
        $counted = @((Get-Content -Raw -LiteralPath $state | ConvertFrom-Json).images).Count
        $counted | Should -BeLessThan $KillImages.Count -Because 'the kill came mid-scan'
        # No temporary file is left that a later run could mistake for a state.
        $r = @(Get-TopActivations -LiteralPath $KillImages @KillArgs -StatePath $state)
        $cmp = { '{0}|{1}|{2}|{3}|{4}|{5},{6}' -f $_.Layer, $_.Unit, $_.Rank, $_.Value.ToString('R'), $_.ImagePath, $_.Position.Y, $_.Position.X }
        ($r | ForEach-Object $cmp) | Should -Be ($Uninterrupted | ForEach-Object $cmp)
    }

    It 'Ctrl+C (SIGINT to the pwsh process) mid-scan stops promptly, exits non-zero, leaves a valid state that resumes to an uninterrupted run' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'SIGINT is POSIX (Windows delivers Ctrl+C as a console event)'; return }
        & /usr/bin/env --default-signal=INT true 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'env --default-signal (coreutils 8.31+) is needed to give the child a default SIGINT'; return }
        # A set three times the kill test's, so that a signal sent after a few batches always
        # lands mid-scan (the test checks it did: fewer images counted than given).
        $dir = Join-Path $TestDrive 'sigint'
        $images = [string[]]$Corpus::Noise($dir, 144, 13, 24, 64)
        $state = Join-Path $TestDrive 'sigint state.json'
        $list = Join-Path $TestDrive 'sigint-list.txt'
        Set-Content -LiteralPath $list -Value $images
        # The one-liner a user types or a scheduler runs (pwsh -Command): pwsh's Ctrl+C handler
        # stops the pipeline (StopProcessing), the scan saves what it counted, pwsh exits 1.
        # (pwsh -File exits 0 on SIGINT whatever the script; examples/Invoke-ScanJob.ps1 maps it to 130, Jobs.Tests.)
        $command = "Import-Module '$((Join-Path $ModulePath 'ConvViz.psd1'))'; " +
            "`$null = Get-TopActivations -LiteralPath (Get-Content -LiteralPath '$list') -Model alexnet -Layer conv1, conv2 -Top 3 -BatchSize 2 -Device cpu -StatePath '$state' -CheckpointSeconds 0; 'SCAN-FINISHED'"
        # SIGINT at its default, as a terminal's or a scheduler's child has it: a test run started
        # in the background of a non-interactive shell inherits SIGINT ignored (SigIgn), and so
        # would the child; env execs pwsh in its own place, so the PID signalled is pwsh's.
        $cmd = @('/usr/bin/env', '--default-signal=INT') + @(Get-PwshCommand)
        $psi = [Diagnostics.ProcessStartInfo]::new($cmd[0])
        foreach ($a in @($cmd | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $command)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        $proc = [Diagnostics.Process]::Start($psi)
        $stdout = $proc.StandardOutput.ReadToEndAsync(); $stderr = $proc.StandardError.ReadToEndAsync()
        try {
            # Synchronised on the scan's own progress (a checkpoint per batch), never on time:
            # the signal goes once the state holds at least $target images.
            $target = Get-Random -Minimum 4 -Maximum 21
            $deadline = [DateTime]::UtcNow.AddSeconds(600)   # only a safety bound
            $seen = 0
            while (-not $proc.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                try { $seen = @((Get-Content -Raw -LiteralPath $state -ErrorAction Stop | ConvertFrom-Json).images).Count } catch { }
                if ($seen -ge $target) { break }
                Start-Sleep -Milliseconds 20
            }
            $runningAtSignal = -not $proc.HasExited
            $clock = [Diagnostics.Stopwatch]::StartNew()
            if ($runningAtSignal) { & kill -INT $proc.Id }
            $exited = $proc.WaitForExit(120000)
            $stopSeconds = $clock.Elapsed.TotalSeconds
        } finally { if (-not $proc.HasExited) { $proc.Kill() } }
        $why = "target $target, seen $seen; stdout: $($stdout.Result) stderr: $($stderr.Result)"
        $runningAtSignal | Should -BeTrue -Because "the child was still scanning when signalled ($why)"
        $exited | Should -BeTrue -Because 'SIGINT must stop the scan'
        # Promptly: the scan stops at the next batch (two 24-64 px images through alexnet conv1-2);
        # the bound allows for a loaded machine without letting a scan run to its end unnoticed.
        $stdout.Result | Should -Not -Match 'SCAN-FINISHED' -Because "the scan must stop, not run to its end ($why)"
        $stopSeconds | Should -BeLessThan 30 -Because $why
        $proc.ExitCode | Should -Not -Be 0 -Because $why
        # The state is valid (checksum and semantic checks on load), holds fewer images than given,
        # no temporary file is left, and the lock is released (an flock the test can take at once).
        $counted = @((Get-Content -Raw -LiteralPath $state | ConvertFrom-Json).images).Count
        $counted | Should -BeGreaterOrEqual $target
        $counted | Should -BeLessThan $images.Count -Because 'the signal came mid-scan'
        @(Merge-TopActivations -StatePath $state).Count | Should -BeGreaterThan 0
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '*.tmp').Count | Should -Be 0
        $lock = [IO.File]::Open("$state.lock", [IO.FileMode]::Open, [IO.FileAccess]::ReadWrite, [IO.FileShare]::None)
        $lock.Dispose()
        # Resuming gives exactly the uninterrupted scan.
        $sigArgs = @{ Model = 'alexnet'; Layer = 'conv1', 'conv2'; Top = 3; BatchSize = 2; Device = 'cpu' }
        $resumed = @(Get-TopActivations -LiteralPath $images @sigArgs -StatePath $state)
        $whole = @(Get-TopActivations -LiteralPath $images @sigArgs)
        @((Get-Content -Raw -LiteralPath $state | ConvertFrom-Json).images).Count | Should -Be $images.Count
        ($resumed | ForEach-Object { Key $_ }) | Should -Be ($whole | ForEach-Object { Key $_ })
    }

    It 'a <Case> state file is refused and never overwritten' -TestCases @(
        @{ Case = 'corrupt' }, @{ Case = 'truncated' }, @{ Case = 'future-version' }
    ) {
        param($Case)
        $good = Join-Path $TestDrive "good-$Case.json"
        $null = Get-TopActivations -LiteralPath $KillImages[0..3] @KillArgs -StatePath $good
        $bytes = [IO.File]::ReadAllBytes($good)
        $state = Join-Path $TestDrive "$Case.json"
        switch ($Case) {
            'corrupt' { $b = $bytes.Clone(); for ($i = 10; $i -lt $b.Length; $i += 7) { $b[$i] = 0x7B }; [IO.File]::WriteAllBytes($state, $b) }
            'truncated' { [IO.File]::WriteAllBytes($state, $bytes[0..($bytes.Length / 2)]) }
            'future-version' { [IO.File]::WriteAllText($state, ([Text.Encoding]::UTF8.GetString($bytes) -replace '"version":\d+,', '"version":99,')) }
        }
        $before = [IO.File]::ReadAllBytes($state)
        $err = { Get-TopActivations -LiteralPath $KillImages @KillArgs -StatePath $state -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidStateFile,*'
        $err.Exception.Message | Should -BeLike "*$Case.json*"
        if ($Case -eq 'future-version') { $err.Exception.Message | Should -BeLike '*version 99*newer ConvViz*' ; $script:FutureMessage = $err.Exception.Message }
        [Convert]::ToBase64String([IO.File]::ReadAllBytes($state)) | Should -Be ([Convert]::ToBase64String($before))
        @(Get-ChildItem -LiteralPath $TestDrive -Filter ".$Case.json.*.tmp" -Force).Count | Should -Be 0
    }

    It 'a full disk during Export-PatchGrid reports WriteFailed and leaves the earlier file intact' {
        if ($IsWindows -or -not (Get-Command unshare -ErrorAction Ignore)) { Set-ItResult -Skipped -Because 'needs unshare for a private tmpfs'; return }
        $disk = Join-Path $TestDrive 'tinydisk'
        $null = New-Item -ItemType Directory $disk
        $result = Join-Path $TestDrive 'fulldisk.txt'
        $img = $KillImages[0]
        $script = Join-Path $TestDrive 'fulldisk.ps1'
        # In a private mount namespace (no root needed where user namespaces are allowed): a 256 KiB
        # tmpfs, an earlier small grid, a filler leaving a few KB, then a big grid that cannot fit.
        Set-Content -LiteralPath $script -Value @"
Import-Module '$((Join-Path $ModulePath 'ConvViz.psd1'))'
`$grid = '$disk/grid.png'
Get-FeatureMap -LiteralPath '$img' -Model zfnet -Layer conv1 | Export-PatchGrid -Path `$grid -Columns 2 -CellSize 8
`$before = [Convert]::ToBase64String([IO.File]::ReadAllBytes(`$grid))
`$f = [IO.File]::OpenWrite('$disk/filler'); `$buf = [byte[]]::new(4096)
try { while (`$true) { `$f.Write(`$buf, 0, `$buf.Length); `$f.Flush() } } catch { } finally { try { `$f.Dispose() } catch { } }
try { Get-FeatureMap -LiteralPath '$img' -Model zfnet -Layer conv1 | Export-PatchGrid -Path `$grid -CellSize 128 -ErrorAction Stop; 'WRITTEN' }
catch { 'ERRORID=' + `$_.FullyQualifiedErrorId; 'MESSAGE=' + `$_.Exception.Message }
'SAME=' + ([Convert]::ToBase64String([IO.File]::ReadAllBytes(`$grid)) -eq `$before)
'TEMPS=' + @(Get-ChildItem -Force '$disk' -Filter '*.tmp').Count
"@
        $cmd = Get-PwshCommand
        $inner = "mount -t tmpfs -o size=256k tmpfs '$disk' && exec $($cmd -join ' ') -NoProfile -NonInteractive -File '$script'"
        $out = & unshare -rm sh -c $inner 2>&1 | ForEach-Object ToString
        if ($LASTEXITCODE -ne 0 -and ($out -join "`n") -match 'mount|unshare|Operation not permitted') {
            Set-ItResult -Skipped -Because "no private tmpfs here: $($out -join ' ')"; return
        }
        $text = $out -join "`n"
        $text | Should -Not -Match 'WRITTEN'
        $text | Should -Match 'ERRORID=WriteFailed'
        $text | Should -Match "MESSAGE=Cannot write '[^']*grid\.png': No space left on device\. The existing file is unchanged\." 
        $text | Should -Match 'SAME=True'
        $text | Should -Match 'TEMPS=0'
        $script:DiskMessage = ($out | Where-Object { $_ -like 'MESSAGE=*' }) -replace '^MESSAGE=', ''
    }

    It 'a path whose parent is a file: OutputNotWritable and nothing written' {
        $file = Join-Path $TestDrive 'plain.txt'; Set-Content -LiteralPath $file 'x'
        $err = { Get-FeatureMap -LiteralPath $KillImages[0] -Model $Tiny -Layer l0 | Export-PatchGrid -Path (Join-Path $file 'grid.png') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OutputNotWritable,*'
        (Get-Content -LiteralPath $file) | Should -Be 'x'
    }

    It 'libtorch allocation failures become InsufficientMemory naming the batch size (engine mapping)' {
        $m = $Probe::MapAllocationFailure('[enforce fail at alloc_cpu.cpp:117] err == 0. DefaultCPUAllocator: can''t allocate memory: you tried to allocate 42949672960 bytes. Error code 12 (Cannot allocate memory)', 40, 64)
        $m | Should -BeLike 'InsufficientMemoryException:*batch of 40 image(s) (-BatchSize 64)*lower -BatchSize (for example -BatchSize 16)*'
        $Probe::MapAllocationFailure('CUDA out of memory. Tried to allocate 2.00 GiB', 8, 8) | Should -BeLike '*lower -BatchSize*'
        $Probe::MapAllocationFailure('Expected 4-dimensional input for 4-dimensional weight', 8, 8) | Should -Be ''
        # libtorch's backtrace names std::allocator in every frame's signature: only the first line counts.
        $Probe::MapAllocationFailure("Expected false to be true, but got false.`nException raised from toFloat at /pytorch/c10/core/Scalar.h:140 (most recent call first):`nframe #0: c10::Error::Error(c10::SourceLocation, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >)", 2, 2) | Should -Be ''
    }

    It 'a batch too big for the machine stops with InsufficientMemory naming the batch size, quickly' {
        # 1024 channels at 512x512 is 1 GiB per image; a batch of 40 asks for 40 GiB at once,
        # which the kernel refuses outright under heuristic overcommit (mode 0) when it exceeds RAM + swap.
        $mode = if (Test-Path /proc/sys/vm/overcommit_memory) { (Get-Content /proc/sys/vm/overcommit_memory).Trim() } else { '' }
        $mem = if (Test-Path /proc/meminfo) { Get-Content /proc/meminfo } else { @() }
        $kb = ($mem | Where-Object { $_ -match '^(MemTotal|SwapTotal):' } | ForEach-Object { [long](($_ -split '\s+')[1]) } | Measure-Object -Sum).Sum
        if ($mode -notin '0', '2' -or ($kb * 1KB) -ge 30GB) { Set-ItResult -Skipped -Because "an allocation larger than the machine would not fail at once here (overcommit mode '$mode', $([math]::Round($kb / 1MB)) GiB)"; return }
        $wide = $Probe::WideConv(512, 1024, 3)
        try {
            $state = Join-Path $TestDrive 'oom.json'
            $files = [string[]]$KillImages[0..39]
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $err = { Get-TopActivations -LiteralPath $files -Model $wide -Layer conv -Top 1 -BatchSize 40 -Device cpu -StatePath $state -ErrorAction Stop } | Should -Throw -PassThru
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
            $err.FullyQualifiedErrorId | Should -BeLike 'InsufficientMemory,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.Exception.Message | Should -BeLike '*batch of 40 image(s) (-BatchSize 40)*lower -BatchSize*'
            $script:OomMessage = $err.Exception.Message
            # The failed batch was the first, so no state was written (none is half-written either).
            Test-Path -LiteralPath $state | Should -BeFalse
        } finally { $wide.Dispose() }
    }
}

Describe 'Native resources' {
    It 'a long scan returns the live tensor count to its baseline' {
        $dir = Join-Path $TestDrive 'leak'
        $files = [string[]]$Corpus::Noise($dir, 200, 21, 8, 40)
        # Warm up: the model's move to the device and first-use caches happen once.
        $null = Get-TopActivations -LiteralPath $files[0..3] -Model $Tiny -Layer l0, l3 -Top 9 -BatchSize 8
        # Tensors of earlier tests that are garbage but not yet finalized would drift the count.
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $baseline = $Probe::LiveTensors()
        $proc = [Diagnostics.Process]::GetCurrentProcess()
        $null = Get-TopActivations -LiteralPath $files[0..99] -Model $Tiny -Layer l0, l3 -Top 9 -BatchSize 8
        $afterFirst = $Probe::LiveTensors()
        $proc.Refresh(); $rssFirst = $proc.WorkingSet64
        $null = Get-TopActivations -LiteralPath $files -Model $Tiny -Layer l0, l3 -Top 9 -BatchSize 8 -StatePath (Join-Path $dir 'state.json')
        $null = Get-FeatureMap -LiteralPath $files[0..49] -Model $Tiny -Layer l3
        $null = Invoke-Deconvolution -LiteralPath $files[0..49] -Model $Tiny -Layer l3 -Unit 0
        $after = $Probe::LiveTensors()
        $proc.Refresh(); $rssAfter = $proc.WorkingSet64
        $afterFirst | Should -Be $baseline
        $after | Should -Be $baseline
        # Twice the images and two more cmdlets: memory stays flat (generous slack for allocator noise).
        ($rssAfter - $rssFirst) | Should -BeLessThan 150MB
    }
}

Describe 'Huge pages for libtorch''s large blocks' {
    # NativeHeap sets THP_MEM_ALLOC_ENABLE before libtorch's first allocation: page faults on 4 KiB pages
    # cost the way down more than its arithmetic (issue 15). Child pwsh: the variable counts only at start.
    BeforeAll {
        $script:HugePageScript = @"
Import-Module '$ModulePath'
`$null = Import-ConvModel -Architecture zfnet -Device cpu
`$probe = [ConvViz.Commands.EngineHost]::LoadExtension('$((Resolve-Path $KitPath).Path)').GetType('ConvViz.TestKit.FaultProbe', `$true)
'variable=' + `$probe::NativeVariable('THP_MEM_ALLOC_ENABLE')
'huge=' + `$probe::HugePageKilobytes()
"@
        $mode = if (Test-Path /sys/kernel/mm/transparent_hugepage/enabled) { Get-Content /sys/kernel/mm/transparent_hugepage/enabled } else { '' }
        $script:KernelGivesHugePages = $mode -match '\[(always|madvise)\]'
    }

    It 'are asked for once the engine starts, and the kernel backs a 64 MiB tensor with them where it allows madvise' {
        $child = Invoke-ChildPwsh $HugePageScript
        $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
        $child.Output | Should -Contain 'variable=1'
        $huge = [long](($child.Output | Where-Object { $_ -like 'huge=*' }) -replace 'huge=')
        if ($KernelGivesHugePages) { $huge | Should -BeGreaterThan 0 -Because 'THP is in madvise or always mode here' }
    }

    It 'a THP_MEM_ALLOC_ENABLE the user set wins' {
        $env:THP_MEM_ALLOC_ENABLE = '0'
        try { $child = Invoke-ChildPwsh $HugePageScript }
        finally { Remove-Item Env:THP_MEM_ALLOC_ENABLE }
        $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
        $child.Output | Should -Contain 'variable=0'
        if ((Get-Content /sys/kernel/mm/transparent_hugepage/enabled -ErrorAction Ignore) -match '\[madvise\]') {
            $child.Output | Should -Contain 'huge=0' -Because 'in madvise mode only madvised blocks get huge pages'
        }
    }
}

Describe 'What users read' {
    It 'prints three error texts for the record' {
        foreach ($m in $LayerMessage, $ShardMessage, $ExportMessage) { $m | Should -Not -BeNullOrEmpty }
        Write-Host "LayerNotFound: $LayerMessage"
        Write-Host "InvalidShard: $ShardMessage"
        Write-Host "OutputNotWritable: $ExportMessage"
        if ($FutureMessage) { Write-Host "InvalidStateFile: $FutureMessage" }
        if ($DiskMessage) { Write-Host "WriteFailed: $DiskMessage" }
        if ($OomMessage) { Write-Host "InsufficientMemory: $OomMessage" }
    }
}
