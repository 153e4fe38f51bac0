#Requires -Modules Pester
# The scripts in examples/ run as users would run them, on a few real photos: the parallel
# sharded scan must merge to exactly what one Get-TopActivations gives, and the scheduled
# report must scan incrementally (-Since) and report every image in its state.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Examples = Join-Path $PSScriptRoot '../examples'
    $script:Photos = Join-Path $TestDrive 'photos'
    New-Item -ItemType Directory -Force $Photos | Out-Null
    $script:Names = 'astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'
    foreach ($n in $Names) { Copy-Item (Join-Path $PhotoPath $n) $Photos }
    # Order-sensitive key of a record: everything a scan decides.
    $script:Key = { '{0}|{1}|{2}|{3:R}|{4}|{5}|{6}|{7}' -f $_.Layer, $_.Unit, $_.Rank, $_.Value, $_.ImagePath, $_.Position.Y, $_.Position.X, $_.ContentHash }
}

Describe 'Invoke-ParallelScan.ps1' {
    It 'merges its shards to exactly the records of a single scan' {
        $state = Join-Path $TestDrive 'parallel'
        $merged = Join-Path $state 'merged.json'
        $records = @(& (Join-Path $Examples 'Invoke-ParallelScan.ps1') -Path $Photos -Layer conv1, layer1 -Unit 0..3 -Top 3 -ShardCount 2 `
                -StateFolder $state -OutputStatePath $merged -ModulePath $ModulePath)
        $single = @(Get-ChildItem $Photos -File | Get-TopActivations -Layer conv1, layer1 -Unit 0..3 -Top 3)

        $records.Count | Should -Be (2 * 4 * 3)
        $records | ForEach-Object { $_.GetType().FullName } | Select-Object -Unique | Should -Be 'ConvViz.Activation'
        @($records | ForEach-Object $Key) | Should -Be @($single | ForEach-Object $Key)
        Join-Path $state 'shard1.json' | Should -Exist
        Join-Path $state 'shard2.json' | Should -Exist
        (Get-Content $merged -Raw | ConvertFrom-Json).images.Count | Should -Be $Names.Count
    }
}

Describe 'Invoke-ScanJob.ps1' {
    It 'adds only images modified since -Since and reports every image in the state' {
        $out = Join-Path $TestDrive 'scheduled'
        $statePath = Join-Path $out 'state.json'
        $report = Join-Path $out 'report.html'
        $common = @{ Path = $Photos; StatePath = $statePath; ReportPath = $report; Layer = 'conv1', 'layer1'; Unit = '0..2'; Top = 4; ModulePath = $ModulePath }
        # Top 4 of 4 images: every image is in every unit's top-k, so the report must name each. Two photos are old; the first run takes everything modified since 2000, i.e. only the new ones.
        $old = (Get-Date).AddYears(-30)
        foreach ($n in $Names[0..1]) { (Get-Item (Join-Path $Photos $n)).LastWriteTime = $old }
        $null = & (Join-Path $Examples 'Invoke-ScanJob.ps1') @common -Since ([datetime]'2000-01-01')
        $LASTEXITCODE | Should -Be 0
        $report | Should -Exist
        $counted = (Get-Content $statePath -Raw | ConvertFrom-Json).images.path | Split-Path -Leaf
        @($counted | Sort-Object) | Should -Be @($Names[2..3] | Sort-Object)

        # Without -Since the old ones join; the report covers all four.
        $null = & (Join-Path $Examples 'Invoke-ScanJob.ps1') @common
        $LASTEXITCODE | Should -Be 0
        $counted = (Get-Content $statePath -Raw | ConvertFrom-Json).images.path | Split-Path -Leaf
        @($counted | Sort-Object) | Should -Be @($Names | Sort-Object)
        $report | Should -Exist
        $html = Get-Content $report -Raw
        foreach ($n in $Names) { $html | Should -Match ([regex]::Escape($n)) }
        foreach ($layer in 'conv1', 'layer1') { $html | Should -Match ([regex]::Escape($layer)) }

        # Nothing new since now: no scan, the report is rewritten from the state as it is.
        Remove-Item $report
        $null = & (Join-Path $Examples 'Invoke-ScanJob.ps1') @common -Since (Get-Date).AddMinutes(1)
        $LASTEXITCODE | Should -Be 0
        $report | Should -Exist
        (Get-Content $statePath -Raw | ConvertFrom-Json).images.Count | Should -Be $Names.Count
    }
}

Describe 'Shipped scripts' {
    It 'is valid bash: Submit-SlurmScan.sh' -Skip:(-not (Get-Command bash -ErrorAction Ignore)) {
        & bash -n (Join-Path $Examples 'Submit-SlurmScan.sh')
        $LASTEXITCODE | Should -Be 0
    }
    It 'uses approved verbs and no Write-Host' {
        $approved = (Get-Verb).Verb
        foreach ($f in Get-ChildItem $Examples -File) {
            ($f.BaseName -split '-')[0] | Should -BeIn $approved -Because $f.Name
            if ($f.Extension -eq '.ps1') { (Get-Content -Raw $f.FullName) | Should -Not -Match 'Write-Host' -Because $f.Name }
        }
    }
}

Describe 'Invoke-Demo.ps1' {
    It 'runs as ./build.ps1 demo runs it (pwsh -File, a folder of photos) and writes sheets and a report with both projection methods and feature visualisations' {
        # The same script and arguments as build.ps1's demo target, on six photos and two units per layer.
        $folder = Join-Path $TestDrive 'demo-photos'
        New-Item -ItemType Directory -Force $folder | Out-Null
        foreach ($n in $Names + 'motorcycle_left.png', 'motorcycle_right.png') { Copy-Item (Join-Path $PhotoPath $n) $folder }
        $out = Join-Path $TestDrive 'demo'
        $cmd = Get-PwshCommand
        $rest = @($cmd | Select-Object -Skip 1)
        $log = & $cmd[0] @rest -NoProfile -NonInteractive -File (Join-Path $Examples 'Invoke-Demo.ps1') -ModulePath $ModulePath -ImagePath $folder -OutputPath $out -Unit '0..1' 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($log -join "`n")
        foreach ($f in 'conv1', 'layer1', 'layer2', 'layer3', 'layer4', 'filters', 'invariance') { Join-Path $out "$f.png" | Should -Exist }
        $html = Get-Content -Raw (Join-Path $out 'report.html')
        $html | Should -Match 'Deconvnet'
        $html | Should -Match 'GuidedBackprop'
        # Each deep unit's visualisation is in its row, labelled as such and not ranked.
        ([regex]::Matches($html, '<b>Feature visualisation</b>')).Count | Should -Be 4
        $html | Should -Match 'Correspondence'
        ($log -join "`n") | Should -Match 'Done in \d+ s'
    }
}
