#Requires -Modules Pester
# Get-TopActivations / Merge-TopActivations against independent references in the test kit:
# brute force (TopKReference: every image alone, full activations, one sort at the end) and
# planted patterns found by a hand-built one-layer model (TinyModels.PlusDetector).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:HasScan = [bool](Get-Command Get-TopActivations -ErrorAction Ignore)
    $script:HasMerge = [bool](Get-Command Merge-TopActivations -ErrorAction Ignore)
    $script:Reference = Get-TestKitType 'TopKReference'
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $script:TinyModels = Get-TestKitType 'TinyModels'

    # A ConvViz.Model around an engine model built by the kit (the constructor is internal).
    function script:ConvertTo-ModelRecord($engine) {
        $ctor = [ConvViz.Model].GetConstructors([Reflection.BindingFlags]'NonPublic,Public,Instance') | Select-Object -First 1
        $ctor.Invoke(@(, $engine))
    }

    # The comparable part of a record: what the brute force knows.
    function script:Key($a) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $a.Layer, $a.Unit, $a.Rank, $a.Value.ToString('R'), $a.ImagePath, $a.Position.Y, $a.Position.X }
    function script:RefKey($r) { '{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $r.Layer, $r.Unit, $r.Rank, $r.Value.ToString('R'), $r.ImagePath, $r.Y, $r.X }
    # Everything a record carries, for run-to-run equality.
    function script:FullKey($a) { (Key $a) + ('|{0},{1},{2},{3}' -f $a.PatchBox.Top, $a.PatchBox.Left, $a.PatchBox.Bottom, $a.PatchBox.Right) }

    $script:NoiseDir = Join-Path $TestDrive 'noise'
    $script:Noise = $Corpus::Noise($NoiseDir, 11, 1, 16, 96)
    $script:AlexNet = Import-ConvModel -Architecture alexnet -Device cpu
    $script:Layers = 'conv1', 'conv3', 'conv5'
}

Describe 'Get-TopActivations contract' {
    It 'has the documented parameters' {
        $p = (Get-Command Get-TopActivations).Parameters.Keys
        foreach ($name in 'Path', 'LiteralPath', 'Recurse', 'Model', 'Layer', 'Unit', 'Top', 'Stage', 'BatchSize', 'Device', 'AllowSameImage', 'StatePath', 'Shard') {
            $p | Should -Contain $name
        }
    }
    It 'Merge-TopActivations takes -StatePath' {
        (Get-Command Merge-TopActivations).Parameters.Keys | Should -Contain 'StatePath'
    }
}

Describe 'Planted patterns' {
    BeforeAll {
        $script:PlantDir = Join-Path $TestDrive 'plant'
        # (y, x, intensity) on black: the detector's response is 3 x visible plus pixels x intensity / 255.
        $script:Planted = @(
            @{ Y = 10; X = 20; I = 250 }, @{ Y = 0; X = 0; I = 240 }, @{ Y = 63; X = 63; I = 230 },
            @{ Y = 30; X = 63; I = 220 }, @{ Y = 5; X = 40; I = 210 })
        for ($i = 0; $i -lt $Planted.Count; $i++) {
            $null = $Corpus::PlantPattern((Join-Path $PlantDir "p$i.png"), 64, $Planted[$i].Y, $Planted[$i].X, [byte]$Planted[$i].I, [byte]0)
        }
        for ($i = 0; $i -lt 6; $i++) { $null = $Corpus::PlantPattern((Join-Path $PlantDir "blank$i.png"), 64, -10, -10, [byte]0, [byte]0) }
        $script:Tiny = ConvertTo-ModelRecord ($TinyModels::PlusDetector(64))
    }

    It 'ranks the planted images first, at the planted positions, with boxes clipped at the borders' {
        $r = @(Get-ChildItem $PlantDir -Filter *.png | Get-TopActivations -Model $Tiny -Layer conv1 -Unit 0 -Top 5 -BatchSize 3)
        $r.Count | Should -Be 5
        $r | ForEach-Object { $_.PSObject.TypeNames[0] } | Select-Object -Unique | Should -Be 'ConvViz.Activation'
        $order = 0, 4, 3, 1, 2
        for ($k = 0; $k -lt 5; $k++) {
            $want = $Planted[$order[$k]]
            $r[$k].Rank | Should -Be ($k + 1)
            (Split-Path $r[$k].ImagePath -Leaf) | Should -Be "p$($order[$k]).png"
            $r[$k].Position.Y | Should -Be $want.Y
            $r[$k].Position.X | Should -Be $want.X
        }
        # 5x5 field, stride 1, padding 2, clipped to the 64x64 image.
        ($r[3].PatchBox.Top, $r[3].PatchBox.Left, $r[3].PatchBox.Bottom, $r[3].PatchBox.Right) -join ',' | Should -Be '0,0,3,3'
        ($r[4].PatchBox.Top, $r[4].PatchBox.Left, $r[4].PatchBox.Bottom, $r[4].PatchBox.Right) -join ',' | Should -Be '61,61,64,64'
        ($r[2].PatchBox.Top, $r[2].PatchBox.Left, $r[2].PatchBox.Bottom, $r[2].PatchBox.Right) -join ',' | Should -Be '28,61,33,64'
    }

    It 'maps the box back to original pixels of a larger photo' {
        # 128x128 original stretched to the 64x64 input: every box doubles.
        $big = $Corpus::PlantPattern((Join-Path $TestDrive 'big/big.png'), 128, 20, 40, [byte]255, [byte]0)
        $r = @(Get-TopActivations -LiteralPath $big -Model $Tiny -Layer conv1 -Unit 0 -Top 1)
        $b = $r[0].PatchBox
        ($b.Bottom - $b.Top), ($b.Right - $b.Left) | Should -Be 10, 10
        $b.Top | Should -Be (2 * ($r[0].Position.Y - 2))
    }
}

Describe 'Equality with brute force' {
    BeforeAll {
        if ($HasScan) {
            $script:Single = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer $Layers -Top 4 -BatchSize 16)
        }
    }

    It 'equals the brute-force reference for conv1, conv3, conv5 of alexnet' {
        # The reference runs each image in a zero-padded batch of the scan's size (see TopKReference).
        $ref = $Reference::Compute($AlexNet.GetEngine(), [string[]]$Noise, [string[]]$Layers, 4, 'Activation', $false, $null, 16)
        $Single.Count | Should -Be $ref.Count
        ($Single | ForEach-Object { Key $_ }) | Should -Be ($ref | ForEach-Object { RefKey $_ })
    }

    It 'gives identical results for batch size <Size> whatever the order and grouping of the files' -ForEach @(@{ Size = 1 }, @{ Size = 3 }) {
        $reversed = @($Noise)[($Noise.Count - 1)..0]
        $a = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer $Layers -Top 4 -BatchSize $Size)
        $b = @(Get-TopActivations -Path $reversed -Model $AlexNet -Layer $Layers -Top 4 -BatchSize $Size)
        ($b | ForEach-Object { FullKey $_ }) | Should -Be ($a | ForEach-Object { FullKey $_ })
        $ref = $Reference::Compute($AlexNet.GetEngine(), [string[]]$Noise, [string[]]$Layers, 4, 'Activation', $false, $null, $Size)
        ($a | ForEach-Object { Key $_ }) | Should -Be ($ref | ForEach-Object { RefKey $_ })
    }

    It 'agrees across batch sizes <Size> and 16 to float rounding (kernels differ in the last bit)' -ForEach @(@{ Size = 1 }, @{ Size = 3 }) {
        $r = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer $Layers -Top 4 -BatchSize $Size)
        $r.Count | Should -Be $Single.Count
        $bad = @()
        for ($i = 0; $i -lt $r.Count; $i++) {
            $x = $r[$i]; $y = $Single[$i]
            $tol = 1e-5 * [math]::Max(1.0, [math]::Abs($y.Value))
            if ($x.Layer -ne $y.Layer -or $x.Unit -ne $y.Unit -or $x.Rank -ne $y.Rank -or [math]::Abs($x.Value - $y.Value) -gt $tol) { $bad += "$x <> $y"; continue }
            if ($x.ImagePath -eq $y.ImagePath -and $x.Position.Y -eq $y.Position.Y -and $x.Position.X -eq $y.Position.X) { continue }
            # Another patch at this rank is right only where the two runs hold a near-tie: the patch
            # must stand in the other run's list of that unit with a value equal to float rounding.
            $twin = $Single | Where-Object { $_.Layer -eq $x.Layer -and $_.Unit -eq $x.Unit -and $_.ImagePath -eq $x.ImagePath -and
                $_.Position.Y -eq $x.Position.Y -and $_.Position.X -eq $x.Position.X }
            $kth = ($Single | Where-Object { $_.Layer -eq $x.Layer -and $_.Unit -eq $x.Unit } | Select-Object -Last 1).Value
            if (-not (($twin -and [math]::Abs($twin.Value - $x.Value) -le $tol) -or [math]::Abs($x.Value - $kth) -le $tol)) { $bad += "$x <> $y" }
        }
        $bad | Should -BeNullOrEmpty
    }

    It 'equals brute force with -AllowSameImage (several patches per image)' {
        $r = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv5 -Top 6 -AllowSameImage -BatchSize 4)
        $ref = $Reference::Compute($AlexNet.GetEngine(), [string[]]$Noise, [string[]]@('conv5'), 6, 'Activation', $true, $null, 4)
        ($r | ForEach-Object { Key $_ }) | Should -Be ($ref | ForEach-Object { RefKey $_ })
    }

    It 'keeps only the units asked for and rejects out-of-range units naming the valid range' {
        $r = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1 -Unit 3, 7 -Top 2)
        $r.Unit | Select-Object -Unique | Should -Be 3, 7
        { Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1 -Unit 64 -ErrorAction Stop } | Should -Throw '*0..63*'
    }

    It 'reports bad files and goes on' {
        $hostile = $Corpus::Hostile((Join-Path $TestDrive 'hostile'))
        $files = @($Noise[0..2]) + @($hostile.Keys | Where-Object { Test-Path $_ -PathType Leaf })
        $r = @(Get-TopActivations -LiteralPath $files -Model $AlexNet -Layer conv1 -Unit 0 -Top 3 -ErrorVariable bad -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 3
        $bad.Count | Should -BeGreaterOrEqual 5
        ($bad | ForEach-Object { $_.Exception.Message }) -join "`n" | Should -Match 'bomb\.png.*larger than the allowed limit'
    }
}

Describe 'Shards, state files and resume' {
    BeforeAll {
        $script:Single = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1, conv5 -Top 3 -BatchSize 4)
    }

    It 'three shards merged equal one run' {
        $states = foreach ($i in 1..3) {
            $s = Join-Path $TestDrive "shard$i.json"
            $null = Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1, conv5 -Top 3 -BatchSize 4 -Shard "$i/3" -StatePath $s
            $s
        }
        $merged = @(Merge-TopActivations -StatePath $states)
        ($merged | ForEach-Object { FullKey $_ }) | Should -Be ($Single | ForEach-Object { FullKey $_ })
    }

    It 'an interrupted scan resumed from its state equals one run' {
        $state = Join-Path $TestDrive 'resume.json'
        # The interruption: a first run over part of the images, then the full list resumed.
        $null = Get-TopActivations -Path $Noise[0..4] -Model $AlexNet -Layer conv1, conv5 -Top 3 -BatchSize 4 -StatePath $state
        $r = @(Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1, conv5 -Top 3 -BatchSize 4 -StatePath $state)
        ($r | ForEach-Object { FullKey $_ }) | Should -Be ($Single | ForEach-Object { FullKey $_ })
    }

    It 'refuses a corrupt state and leaves it untouched' {
        $state = Join-Path $TestDrive 'corrupt.json'
        Set-Content -LiteralPath $state -Value '{"format":"ConvViz.TopKScanState","version":1,"model":{' -NoNewline
        $before = Get-FileHash $state
        { Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1 -Top 3 -StatePath $state -ErrorAction Stop } | Should -Throw '*corrupt*'
        (Get-FileHash $state).Hash | Should -Be $before.Hash
    }

    It 'refuses a state from a newer format version' {
        $state = Join-Path $TestDrive 'future.json'
        Set-Content -LiteralPath $state -Value '{"format":"ConvViz.TopKScanState","version":99}' -NoNewline
        { Get-TopActivations -Path $Noise -Model $AlexNet -Layer conv1 -Top 3 -StatePath $state -ErrorAction Stop } | Should -Throw '*newer ConvViz*'
    }
}
