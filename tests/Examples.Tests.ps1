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

Describe 'Scan-Parallel.ps1' {
    It 'merges its shards to exactly the records of a single scan' {
        $state = Join-Path $TestDrive 'parallel'
        $merged = Join-Path $state 'merged.json'
        $records = @(& (Join-Path $Examples 'Scan-Parallel.ps1') -Path $Photos -Layer conv1, layer1 -Unit 0..3 -Top 3 -ShardCount 2 `
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

Describe 'New-ScheduledReport.ps1' {
    It 'adds only images modified since -Since and reports every image in the state' {
        $out = Join-Path $TestDrive 'scheduled'
        $statePath = Join-Path $out 'state.json'
        $report = Join-Path $out 'report.html'
        $common = @{ Path = $Photos; StatePath = $statePath; ReportPath = $report; Layer = 'conv1', 'layer1'; Unit = '0..2'; Top = 4; ModulePath = $ModulePath }
        # Top 4 of 4 images: every image is in every unit's top-k, so the report must name each. Two photos are old; the first run takes everything modified since 2000, i.e. only the new ones.
        $old = (Get-Date).AddYears(-30)
        foreach ($n in $Names[0..1]) { (Get-Item (Join-Path $Photos $n)).LastWriteTime = $old }
        $first = & (Join-Path $Examples 'New-ScheduledReport.ps1') @common -Since ([datetime]'2000-01-01')
        $first.FullName | Should -Be $report
        $counted = (Get-Content $statePath -Raw | ConvertFrom-Json).images.path | Split-Path -Leaf
        @($counted | Sort-Object) | Should -Be @($Names[2..3] | Sort-Object)

        # Without -Since the old ones join; the report covers all four.
        $null = & (Join-Path $Examples 'New-ScheduledReport.ps1') @common
        $counted = (Get-Content $statePath -Raw | ConvertFrom-Json).images.path | Split-Path -Leaf
        @($counted | Sort-Object) | Should -Be @($Names | Sort-Object)
        $report | Should -Exist
        $html = Get-Content $report -Raw
        foreach ($n in $Names) { $html | Should -Match ([regex]::Escape($n)) }
        foreach ($layer in 'conv1', 'layer1') { $html | Should -Match ([regex]::Escape($layer)) }

        # Nothing new since now: no scan, the report is rewritten from the state as it is.
        $again = & (Join-Path $Examples 'New-ScheduledReport.ps1') @common -Since (Get-Date).AddMinutes(1)
        $again.FullName | Should -Be $report
        (Get-Content $statePath -Raw | ConvertFrom-Json).images.Count | Should -Be $Names.Count
    }
}

Describe 'Register-NightlyScan.ps1 and Scan-SlurmArray.sh' {
    It 'prints a cron line that runs New-ScheduledReport.ps1 with the state file' -Skip:$IsWindows {
        $line = & (Join-Path $Examples 'Register-NightlyScan.ps1') -ImagePath $Photos -StatePath (Join-Path $TestDrive 's.json') -ReportPath (Join-Path $TestDrive 'r.html') -At '03:15' 6>$null
        $line | Should -Match '^15 3 \* \* \* flock -n '
        $line | Should -Match 'New-ScheduledReport\.ps1'
        $line | Should -Match ([regex]::Escape((Join-Path $TestDrive 's.json')))
    }
    It 'is valid bash' -Skip:(-not (Get-Command bash -ErrorAction Ignore)) {
        & bash -n (Join-Path $Examples 'Scan-SlurmArray.sh')
        $LASTEXITCODE | Should -Be 0
    }
}
