#Requires -Modules Pester
# Records carry the identity of the weights they came from (issue 13 item 5) and survive
# serialisation (issue 14 item 8): no record is ever projected through other weights.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $script:Images = $Corpus::Noise((Join-Path $TestDrive 'img'), 4, 11, 48, 80)
    $script:Scan = @{ Layer = 'layer1'; Unit = 0..1; Top = 2; BatchSize = 4 }
    function script:Key($p) { '{0}|{1}|{2}|{3}|{4}|{5}' -f $p.Layer, $p.Unit, $p.Rank, $p.ImagePath, $p.Activation.Position.Y, $p.Activation.Position.X }
    function script:Signal($p) { ($p.Reconstruction | ForEach-Object { $_.ToString('R') }) -join ',' }

    # A scan with resnet18 seed 1, made in another process so this session does not hold its model.
    $script:StatePath = Join-Path $TestDrive 'seed1.json'
    $child = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $ModulePath 'ConvViz.psd1')'
`$m = Import-ConvModel -Architecture resnet18 -Seed 1
`$null = Get-TopActivations -LiteralPath '$($Images -join "','")' -Model `$m -Layer layer1 -Unit 0..1 -Top 2 -BatchSize 4 -StatePath '$StatePath'
"@
    $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
}

Describe 'Records carry their weights' {
    # First: no seed-1 model has been made in this process yet.
    It 'refuses to project a seed-1 scan without -Model, naming the model to pass' {
        $records = @(Merge-TopActivations -StatePath $StatePath)
        $records.Count | Should -Be 4
        $err = { $records | Invoke-Deconvolution -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ModelMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*Import-ConvModel -Architecture resnet18 -Seed 1*'
    }

    It 'names the weights, the same hash the state file holds' {
        $m = Import-ConvModel -Architecture resnet18 -Seed 1
        $records = @(Get-TopActivations -LiteralPath $Images -Model $m @Scan)
        $records.Count | Should -Be 4
        $state = Get-Content -Raw $StatePath | ConvertFrom-Json
        $records.WeightsSha256 | Sort-Object -Unique | Should -Be $state.model.weightsSha256
        $records[0].ModelSource | Should -Be 'architecture:resnet18 (random, seed 1)'
        $m.WeightsSha256 | Should -Be $state.model.weightsSha256
        (Import-ConvModel -Architecture resnet18 -Seed 0).WeightsSha256 | Should -Not -Be $state.model.weightsSha256
    }

    It 'refuses -Model with other weights, and the report too' {
        $records = @(Merge-TopActivations -StatePath $StatePath)
        $err = { $records | Invoke-Deconvolution -Model (Import-ConvModel -Architecture resnet18) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ModelMismatch,*'
        $err = { Export-ConvVizReport -StatePath $StatePath -Path (Join-Path $TestDrive 'r.html') -Model resnet18 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ModelMismatch,*'
        $err = { Merge-TopActivations -StatePath $StatePath -Model resnet18 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ModelMismatch,*'
        Test-Path (Join-Path $TestDrive 'r.html') | Should -BeFalse
    }

    It 'projects with the right model exactly as the records of an in-process scan' {
        $m = Import-ConvModel -Architecture resnet18 -Seed 1
        $merged = @(Merge-TopActivations -StatePath $StatePath | Invoke-Deconvolution -Model $m)
        $direct = @(Get-TopActivations -LiteralPath $Images -Model $m @Scan | Invoke-Deconvolution)
        $merged.Count | Should -Be 4
        ($merged | ForEach-Object { Key $_ }) | Should -Be ($direct | ForEach-Object { Key $_ })
        for ($i = 0; $i -lt $merged.Count; $i++) { Signal $merged[$i] | Should -Be (Signal $direct[$i]) }
    }

    It 'finds the model by its weights when it is loaded in the session' {
        $m = Import-ConvModel -Architecture resnet18 -Seed 1
        $p = @(Merge-TopActivations -StatePath $StatePath | Invoke-Deconvolution)
        $p.Count | Should -Be 4
        $p[0].Activation.Model.WeightsSha256 | Should -Be $m.WeightsSha256
    }

    It 'takes a state-dict file path as -Model' {
        $m = Import-ConvModel -Architecture resnet18 -Seed 1
        $engine = $m.GetEngine()
        $stateDict = $engine.GetType().Assembly.GetType('ConvViz.Engine.Import.StateDict', $true)
        $pth = Join-Path $TestDrive 'seed1.pth'
        $stateDict::Save($engine, $pth)
        $p = @(Merge-TopActivations -StatePath $StatePath | Invoke-Deconvolution -Model $pth)
        $p.Count | Should -Be 4
        $p[0].Activation.Model.Source | Should -BeLike "*seed1.pth (state dict for resnet18)"
        # A scan made from the file names the file as the model to pass.
        $records = @(Get-TopActivations -LiteralPath $Images -Model $pth @Scan)
        $records[0].ModelSource | Should -BeLike '*seed1.pth (state dict for resnet18)'
    }

    It 'refuses a name that is neither a built-in nor a file' {
        { Merge-TopActivations -StatePath $StatePath -Model (Join-Path $TestDrive 'nope.onnx') -ErrorAction Stop } | Should -Throw '*neither a built-in model*'
    }
}

Describe 'Records survive serialisation' {
    BeforeAll {
        $script:Seeded = Import-ConvModel -Architecture resnet18 -Seed 1
        $script:Records = @(Get-TopActivations -LiteralPath $Images -Model $Seeded @Scan)
        $script:Direct = @($Records | Invoke-Deconvolution)
        $Direct.Count | Should -Be 4
        function script:Should-ProjectLikeDirect($Projections) {
            $Projections = @($Projections)
            ($Projections | ForEach-Object { Key $_ }) | Should -Be ($Direct | ForEach-Object { Key $_ })
            for ($i = 0; $i -lt $Direct.Count; $i++) {
                Signal $Projections[$i] | Should -Be (Signal $Direct[$i])
                $Projections[$i].Value | Should -Be $Direct[$i].Value
            }
        }
    }

    It 'binds Import-Csv rows by property name (with -Model, and found by its weights)' {
        $csv = Join-Path $TestDrive 'records.csv'
        $Records | Export-Csv -LiteralPath $csv
        Should-ProjectLikeDirect (Import-Csv -LiteralPath $csv | Invoke-Deconvolution -Model $Seeded)
        Should-ProjectLikeDirect (Import-Csv -LiteralPath $csv | Invoke-Deconvolution)
        $err = { Import-Csv -LiteralPath $csv | Invoke-Deconvolution -Model resnet18 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ModelMismatch,*'
    }

    It 'binds Import-Clixml records by property name' {
        $xml = Join-Path $TestDrive 'records.xml'
        $Records | Export-Clixml -LiteralPath $xml
        $back = @(Import-Clixml -LiteralPath $xml)
        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.ConvViz.Activation'
        Should-ProjectLikeDirect ($back | Invoke-Deconvolution -Model $Seeded)
        Should-ProjectLikeDirect ($back | Invoke-Deconvolution)
    }

    It 'binds records received from Start-Job' {
        $job = Start-Job -ScriptBlock {
            param($module, $images, $seed)
            Import-Module $module
            Get-TopActivations -LiteralPath $images -Model (Import-ConvModel -Architecture resnet18 -Seed $seed) -Layer layer1 -Unit 0..1 -Top 2 -BatchSize 4
        } -ArgumentList (Join-Path $ModulePath 'ConvViz.psd1'), $Images, 1
        $received = @($job | Wait-Job -Timeout 600 | Receive-Job)
        $job | Remove-Job -Force
        $received.Count | Should -Be 4
        Should-ProjectLikeDirect ($received | Invoke-Deconvolution -Model $Seeded)
        Should-ProjectLikeDirect ($received | Invoke-Deconvolution)
    }

    It 'refuses an object that is not an activation, naming what is missing' {
        $err = { [pscustomobject]@{ Layer = 'layer1'; Unit = 0 } | Invoke-Deconvolution -Model $Seeded -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*no ImagePath property*'
    }
}

Describe 'Export-ConvVizReport -StatePath -Layer -Unit' {
    It 'reports only the chosen layer and units of the state' {
        $m = Import-ConvModel -Architecture resnet18 -Seed 1
        $report = Join-Path $TestDrive 'unit1.html'
        Export-ConvVizReport -StatePath $StatePath -Model $m -Layer layer1 -Unit 1 -Path $report
        $report | Should -Exist
        $err = { Export-ConvVizReport -StatePath $StatePath -Model $m -Layer layer2 -Path (Join-Path $TestDrive 'x.html') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'LayerNotFound,*'
        $err = { Export-ConvVizReport -StatePath $StatePath -Model $m -Unit 7 -Path (Join-Path $TestDrive 'x.html') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'UnitOutOfRange,*'
    }
}
