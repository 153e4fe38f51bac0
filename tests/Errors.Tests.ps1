#Requires -Modules Pester
# Error ids and categories match the README (issue 14 item 9); messages carry no .NET
# leftovers; -WhatIf writes nothing at all (watched with inotify through FileSystemWatcher).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Readme = Get-Content -Raw (Join-Path $PSScriptRoot '../README.md')
    $script:Tiny = (Get-TestKitType 'TinyNets')::Chain([string[]]@('conv', 'relu', 'pool', 'conv'), 32, 5)
    $script:Images = (Get-TestKitType 'CorpusFactory')::Noise((Join-Path $TestDrive 'img'), 3, 2, 40, 60)
}

Describe 'ErrorIds' {
    It 'every ErrorId in the cmdlet sources is in the README' {
        $ids = [Collections.Generic.SortedSet[string]]::new()
        $sources = Get-ChildItem (Join-Path $PSScriptRoot '../src/ConvViz.Commands') -Recurse -Filter *.cs | Where-Object FullName -notmatch '[\\/](obj|bin)[\\/]'
        foreach ($f in $sources) {
            foreach ($line in Get-Content $f.FullName) {
                # Lines that make error records: Fail(...), ErrorFor(...), new ErrorRecord(...), error-id switch arms.
                if ($line -notmatch '\bFail\(|ErrorFor\(|ErrorRecord\(|errorId\s*[:=]|=>\s*"|",\s*ErrorCategory\.') { continue }
                foreach ($m in [regex]::Matches($line, '(?<!\()"([A-Z][A-Za-z]+)"')) { [void]$ids.Add($m.Groups[1].Value) }
            }
        }
        $ids.Count | Should -BeGreaterThan 30 -Because 'the scan of the sources must find the ids'
        foreach ($id in 'ModelMismatch', 'ModelRequired', 'InvalidStateFile', 'ModelImportFailed', 'InvalidScan') { $ids | Should -Contain $id }
        foreach ($id in $ids) {
            # "Image" + reason: the README lists Image<Reason> and each reason.
            if ($id -eq 'Image') { $Readme | Should -Match 'Image<Reason>'; continue }
            $Readme | Should -Match ([regex]::Escape("``$id``")) -Because "ErrorId $id must be documented"
        }
        $reasons = [Enum]::GetNames($Tiny.GetType().Assembly.GetType('ConvViz.Engine.Image.ImageReadReason', $true))
        foreach ($r in $reasons) { $Readme | Should -Match ([regex]::Escape("``$r``")) -Because "Image$r must be documented" }
    }

    It 'a corrupt state file is InvalidStateFile in category InvalidData' {
        $bad = Join-Path $TestDrive 'corrupt.json'
        Set-Content $bad '{"format": "convviz-scan-state", "version": 1, "images": [tru'
        $err = { Merge-TopActivations -StatePath $bad -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidStateFile,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err = { Get-TopActivations -LiteralPath $Images -Model $Tiny -StatePath $bad -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidStateFile,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'messages end without .NET parameter leftovers: <Name>' -ForEach @(
        @{ Name = 'unit out of range (scan)'; Run = { Get-TopActivations -LiteralPath $Images -Model $Tiny -Layer l0 -Unit 999 -ErrorAction Stop }; Id = 'UnitOutOfRange' }
        @{ Name = 'unit out of range (projection)'; Run = { Invoke-Deconvolution -LiteralPath $Images[0] -Model $Tiny -Layer l0 -Unit 999 -ErrorAction Stop }; Id = 'UnitOutOfRange' }
    ) {
        $err = $Run | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$err" | Should -Not -Match "\(Parameter '"
        "$err" | Should -Not -Match 'Actual value was'
        "$err" | Should -Match '999'
    }
}

Describe '-WhatIf writes nothing at all' {
    BeforeAll {
        $script:State = Join-Path $TestDrive 'state.json'
        $null = Get-TopActivations -LiteralPath $Images -Model $Tiny -Layer l0 -Unit 0..1 -Top 2 -StatePath $State
        $script:Projections = @(Merge-TopActivations -StatePath $State -Model $Tiny | Invoke-Deconvolution -Model $Tiny)
    }

    It '<Name> -WhatIf creates no file, not even a probe' -ForEach @(
        @{ Name = 'Export-ConvVizReport -StatePath'; Run = { param($d) Export-ConvVizReport -StatePath $State -Model $Tiny -Path (Join-Path $d 'r.html') -WhatIf } }
        @{ Name = 'Export-ConvVizReport (records)'; Run = { param($d) $Projections | Export-ConvVizReport -Path (Join-Path $d 'r.html') -WhatIf } }
        @{ Name = 'Merge-TopActivations -OutputStatePath'; Run = { param($d) $null = Merge-TopActivations -StatePath $State -OutputStatePath (Join-Path $d 'm.json') -WhatIf } }
        @{ Name = 'Export-PatchGrid'; Run = { param($d) $Projections | Export-PatchGrid -Path (Join-Path $d 'g.png') -WhatIf } }
        @{ Name = 'Export-FilterGrid'; Run = { param($d) Export-FilterGrid -Model $Tiny -Path (Join-Path $d 'f.png') -WhatIf } }
    ) {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive ([Guid]::NewGuid().ToString('N')))
        $watcher = [IO.FileSystemWatcher]::new($dir.FullName)
        $watcher.IncludeSubdirectories = $true
        $id = [Guid]::NewGuid().ToString('N')
        $null = Register-ObjectEvent -InputObject $watcher -EventName Created -SourceIdentifier "c$id"
        $null = Register-ObjectEvent -InputObject $watcher -EventName Changed -SourceIdentifier "w$id"
        $watcher.EnableRaisingEvents = $true
        try {
            & $Run $dir.FullName 6>$null
            Start-Sleep -Milliseconds 500
            $events = @(Get-Event -SourceIdentifier "c$id" -ErrorAction Ignore) + @(Get-Event -SourceIdentifier "w$id" -ErrorAction Ignore)
        }
        finally {
            Unregister-Event -SourceIdentifier "c$id"; Unregister-Event -SourceIdentifier "w$id"
            Get-Event | Where-Object SourceIdentifier -in "c$id", "w$id" | Remove-Event
            $watcher.Dispose()
        }
        @($events | ForEach-Object { $_.SourceEventArgs.FullPath }) | Should -BeNullOrEmpty
        @(Get-ChildItem -Force $dir.FullName) | Should -BeNullOrEmpty
    }
}
