#Requires -Modules Pester
# Issue 16: effective receptive-field crops, several projection methods from one forward pass,
# and the default method read from the graph.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:TinyModels = Get-TestKitType 'TinyModels'
    $script:TinyNets = Get-TestKitType 'TinyNets'
    $script:Corpus = Get-TestKitType 'CorpusFactory'
    $kit = $TinyModels.Assembly
    $engineName = $kit.GetReferencedAssemblies() | Where-Object Name -eq 'ConvViz.Engine'
    $engine = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($kit).LoadFromAssemblyName($engineName)
    function script:EngineType([string] $Name) { $engine.GetType("ConvViz.Engine.$Name", $true) }
    $script:EffectiveCrop = EngineType 'Projection.EffectiveCrop'
    $script:PixelBox = EngineType 'Graph.PixelBox'
    $script:MethodChoice = EngineType 'Projection.MethodChoice'
    $script:ForwardPass = EngineType 'Taps.ForwardPass'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("convviz-views-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $Work | Out-Null
}
AfterAll {
    if ($script:Work) { Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Effective receptive-field crops' {
    BeforeAll {
        # A 32x32 input fitted like torchvision (shorter side to 40, centre crop); unit 0 of conv1
        # sees the whole input but its weights are 1 only on rows 5..10, columns 9..12.
        $script:Region = $TinyModels::RegionUnit(32, 32, 40, 5, 9, 6, 4)
        # An 80 x 60 photo: shorter side 60 -> 40, longer 80 * 40 / 60 = 53 (integer);
        # crop left = round-half-even((53 - 32) / 2 = 10.5) = 10, top = (40 - 32) / 2 = 4.
        $script:Photo = $Corpus::Solid((Join-Path $Work 'grey.png'), 80, 60, 128, 128, 128)
    }

    It 'cuts the projection and the patch to the region the unit depends on, mapped back through resize and crop' {
        $p = Invoke-Deconvolution -LiteralPath $Photo -Model $Region -Layer conv1 -Unit 0 -Crop Effective -CropMass 0.95 -MinCropSize 1
        $p.Crop | Should -Be 'Effective'
        # In model-input pixels: exactly the weighted region (every pixel of it carries the same mass,
        # so no smaller box holds 95%).
        "$($p.InputBox)" | Should -Be '[5:11, 9:13]'
        $p.Height | Should -Be 6
        $p.Width | Should -Be 4
        $p.Reconstruction.Count | Should -Be (3 * 6 * 4)
        $p.CropShare | Should -Be 1
        # Back to the photo, edges outward (scale 60/40 vertically, 80/53 horizontally, crop offset added first):
        # top = floor((5 + 4) * 60 / 40) = 13, bottom = ceil((11 + 4) * 60 / 40) = 23,
        # left = floor((9 + 10) * 80 / 53) = floor(28.68) = 28, right = ceil((13 + 10) * 80 / 53) = ceil(34.72) = 35.
        "$($p.PatchBox)" | Should -Be '[13:23, 28:35]'
        $p.PatchHeight | Should -Be 10
        $p.PatchWidth | Should -Be 7
        $p.Patch.Count | Should -Be (10 * 7 * 3)
        # The theoretical field is kept beside it: the whole input, and its pixels in the photo
        # (top floor(4 * 1.5) = 6, bottom ceil(36 * 1.5) = 54, left floor(10 * 80 / 53) = 15, right ceil(42 * 80 / 53) = 64).
        "$($p.FieldInputBox)" | Should -Be '[0:32, 0:32]'
        "$($p.FieldPatchBox)" | Should -Be '[6:54, 15:64]'
        "$($p.Activation.PatchBox)" | Should -Be '[6:54, 15:64]'
    }

    It 'grows a small box to the minimum size around its centre' {
        $p = Invoke-Deconvolution -LiteralPath $Photo -Model $Region -Layer conv1 -Unit 0 -Crop Effective -MinCropSize 8
        # Rows 5..11 widen by 2 to 4..12; columns 9..13 widen by 4 to 7..15.
        "$($p.InputBox)" | Should -Be '[4:12, 7:15]'
    }

    It 'keeps the theoretical field by default' {
        $p = Invoke-Deconvolution -LiteralPath $Photo -Model $Region -Layer conv1 -Unit 0
        $p.Crop | Should -Be 'Field'
        "$($p.InputBox)" | Should -Be '[0:32, 0:32]'
        "$($p.PatchBox)" | Should -Be '[6:54, 15:64]'
    }

    It 'finds the smallest box holding the share (brute force over every box of a random 8x8 map)' {
        foreach ($seed in 1..4) {
            $rng = [Random]::new($seed)
            $planes = [float[]]::new(2 * 8 * 8)
            for ($i = 0; $i -lt $planes.Count; $i++) { $planes[$i] = [float](($rng.NextDouble() - 0.5) * ($rng.Next(4) -eq 0 ? 10 : 1)) }
            $mass = [double[,]]::new(8, 8); $total = 0.0
            for ($y = 0; $y -lt 8; $y++) { for ($x = 0; $x -lt 8; $x++) {
                $mass[$y, $x] = [math]::Abs($planes[$y * 8 + $x]) + [math]::Abs($planes[64 + $y * 8 + $x]); $total += $mass[$y, $x]
            } }
            $share = 0.6
            # The smallest area over every box whose mass reaches the threshold.
            function Get-SmallestArea([double] $threshold) {
                $best = 64
                for ($t = 0; $t -lt 8; $t++) { for ($b = $t + 1; $b -le 8; $b++) { for ($l = 0; $l -lt 8; $l++) {
                    $sum = 0.0
                    for ($r = $l + 1; $r -le 8; $r++) {
                        for ($y = $t; $y -lt $b; $y++) { $sum += $mass[$y, ($r - 1)] }
                        if ($sum -ge $threshold) { $best = [math]::Min($best, ($b - $t) * ($r - $l)); break }
                    }
                } } }
                $best
            }
            # Rounding-safe bounds: thresholds a hair above and below the share.
            $upper = Get-SmallestArea ($share * $total * (1 + 1e-9))
            $lower = Get-SmallestArea ($share * $total * (1 - 1e-9))
            $field = $PixelBox::new(0, 0, 8, 8)
            $result = $EffectiveCrop::Of($planes, 8, 8, $field, $share, 1)
            $box = $result.Item1
            ($box.Height * $box.Width) | Should -BeLessOrEqual $upper -Because "seed $seed"
            $held = 0.0
            for ($y = $box.Top; $y -lt $box.Bottom; $y++) { for ($x = $box.Left; $x -lt $box.Right; $x++) { $held += $mass[$y, $x] } }
            $held | Should -BeGreaterOrEqual ($share * $total * (1 - 1e-9)) -Because "seed $seed"
            ($box.Height * $box.Width) | Should -BeGreaterOrEqual $lower -Because 'no box smaller than the brute-force minimum holds the share'
            $lower | Should -BeLessThan 64 -Because 'the case is not trivial'
        }
    }
}

Describe 'Several projection methods from one forward pass' {
    BeforeAll {
        $script:Chain = $TinyNets::Chain([string[]]@('conv', 'relu', 'pool', 'conv', 'relu'), 32, 5)
        $dir = New-Item -ItemType Directory (Join-Path $Work 'noise')
        $script:Files = $Corpus::Noise($dir.FullName, 3, 11)
        $script:Acts = @($Files | Get-TopActivations -Model $Chain -Layer l4 -Unit 0..1 -Top 2)
    }

    It 'projects Deconvnet and GuidedBackprop side by side from one forward pass' {
        $before = $ForwardPass::Passes
        $both = @($Acts | Invoke-Deconvolution -Model $Chain -Method Deconvnet, GuidedBackprop -BatchSize 8)
        # Projections stream chunk by chunk (up to 32 records of the images decoded together, here all of
        # them): one forward pass per chunk, shared by both methods; one per method would double it.
        $images = @($Acts.ImagePath | Sort-Object -Unique).Count
        $images | Should -BeLessOrEqual 8
        $chunks = [math]::Ceiling($Acts.Count / 32)
        ($ForwardPass::Passes - $before) | Should -Be $chunks -Because 'one forward pass per chunk serves both methods'
        $both.Count | Should -Be $Acts.Count
        foreach ($p in $both) {
            $p.Methods | Should -Be @('Deconvnet', 'GuidedBackprop')
            $p.Method | Should -Be 'Deconvnet'
            $p.Reconstructions.Count | Should -Be 2
        }
    }

    # In a fresh session with the default thread count, as users run it.
    It 'gives each method exactly what a separate run of that method gives' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath/ConvViz.psd1'
`$kit = [ConvViz.Commands.EngineHost]::LoadExtension('$((Resolve-Path $KitPath).Path)')
`$chain = `$kit.GetType('ConvViz.TestKit.TinyNets')::Chain([string[]]@('conv', 'relu', 'pool', 'conv', 'relu'), 32, 5)
`$acts = @('$($Files -join "','")' | Get-TopActivations -Model `$chain -Layer l4 -Unit 0..1 -Top 2)
`$both = @(`$acts | Invoke-Deconvolution -Model `$chain -Method Deconvnet, GuidedBackprop)
`$deconv = @(`$acts | Invoke-Deconvolution -Model `$chain -Method Deconvnet)
`$guided = @(`$acts | Invoke-Deconvolution -Model `$chain -Method GuidedBackprop)
for (`$i = 0; `$i -lt `$both.Count; `$i++) {
    'D ' + ((Compare-Object `$both[`$i].Reconstructions[0] `$deconv[`$i].Reconstruction -SyncWindow 0).Count)
    'G ' + ((Compare-Object `$both[`$i].Reconstructions[1] `$guided[`$i].Reconstruction -SyncWindow 0).Count)
    'X ' + ((Compare-Object `$deconv[`$i].Reconstruction `$guided[`$i].Reconstruction -SyncWindow 0).Count)
}
"@
        $r = Invoke-ChildPwsh $script
        $r.ExitCode | Should -Be 0 -Because ($r.Output -join "`n")
        $lines = @($r.Output | Where-Object { $_ -match '^[DGX] \d+$' })
        $lines.Count | Should -Be 12
        $lines | Where-Object { $_ -match '^[DG] ' -and $_ -ne 'D 0' -and $_ -ne 'G 0' } | Should -BeNullOrEmpty
        @($lines | Where-Object { $_ -match '^X ' -and $_ -ne 'X 0' }).Count | Should -BeGreaterThan 0 -Because 'the methods differ on a net with a ReLU below the unit'
    }

    It 'labels every projection panel of a sheet with its method, one panel per method' {
        $path = Join-Path $Work 'both.png'
        $both = @($Acts | Invoke-Deconvolution -Model $Chain -Method Deconvnet, GuidedBackprop) | Where-Object Unit -eq 0
        $both | Export-PatchGrid -Path $path -Columns 1 -CellSize 40
        $Pixels = Get-TestKitType 'SheetPixels'
        $px = $Pixels::Load($path)
        # k = 2: 2 columns of 40 px cells, panel 2 * 40 + 2 = 82 wide; three panels (two methods, patches) 8 apart.
        $px.Width | Should -Be (2 * 8 + 3 * 82 + 2 * 8)
        # Text in the label strip over the second projection panel (GuidedBackprop).
        $dark = 0
        for ($y = 8; $y -lt 26; $y++) { for ($x = 8 + 90; $x -lt 8 + 90 + 82; $x++) { if ($px.At($x, $y) -ne 0xFFFFFF) { $dark++ } } }
        $dark | Should -BeGreaterThan 30
    }
}

# libtorch 2.10's CPU conv_transpose2d left some outputs uninitialised, so the same records
# projected twice in one session gave different reconstructions (by ~1 on values ~2).
Describe 'Repeated projections in one session' {
    BeforeAll {
        $dir = New-Item -ItemType Directory (Join-Path $Work 'repeat')
        $script:RepeatFiles = $Corpus::Noise($dir.FullName, 3, 11)
        $script:ResNet = Import-ConvModel -Architecture resnet18 -Device cpu
        $script:ResNetActs = @($RepeatFiles | Get-TopActivations -Model $ResNet -Layer layer2 -Unit 0..1 -Top 2)
        function script:Assert-Repeatable($Model, $Acts, [string] $Method) {
            $runs = 1..3 | ForEach-Object { , @($Acts | Invoke-Deconvolution -Model $Model -Method $Method) }
            $runs[0].Count | Should -Be $Acts.Count
            for ($i = 0; $i -lt $Acts.Count; $i++) {
                $first = [float[]] $runs[0][$i].Reconstruction
                $first.Length | Should -BeGreaterThan 0
                @($first | Where-Object { [float]::IsNaN($_) -or [float]::IsInfinity($_) }).Count | Should -Be 0 -Because "$Method record $i is finite"
                ([Linq.Enumerable]::Max([float[]] @($first | ForEach-Object { [math]::Abs($_) }))) | Should -BeGreaterThan 0 -Because "$Method record $i is not all zero"
                foreach ($k in 1, 2) {
                    [Linq.Enumerable]::SequenceEqual($first, [float[]] $runs[$k][$i].Reconstruction) |
                        Should -BeTrue -Because "$Method record $i, run $($k + 1) repeats run 1 bit for bit"
                }
            }
        }
    }

    It 'gives bit-identical <Method> reconstructions three times on the kit chain' -ForEach @(
        @{ Method = 'Deconvnet' }, @{ Method = 'GuidedBackprop' }, @{ Method = 'Gradient' }
    ) {
        $chain = $TinyNets::Chain([string[]]@('conv', 'relu', 'pool', 'conv', 'relu'), 32, 5)
        $acts = @($RepeatFiles | Get-TopActivations -Model $chain -Layer l4 -Unit 0..1 -Top 2)
        Assert-Repeatable $chain $acts $Method
    }

    It 'gives bit-identical <Method> reconstructions three times on resnet18 layer2' -ForEach @(
        @{ Method = 'Deconvnet' }, @{ Method = 'GuidedBackprop' }, @{ Method = 'Gradient' }
    ) {
        Assert-Repeatable $ResNet $ResNetActs $Method
    }
}

Describe 'Default projection method from the graph' {
    BeforeAll {
        function script:Get-Choice($model) {
            $engine = $model.GetEngine()
            foreach ($layer in @($model | Get-ConvLayer)) {
                $node = $engine.Layers.Get($layer.Name).NodeFor('Activation')
                [pscustomobject]@{ Layer = $layer.Name; Kind = $layer.Kind; Rule = "$($MethodChoice::For($engine.Graph, $node))" }
            }
        }
    }

    It 'picks Deconvnet on every layer of <Name> (plain conv/ReLU/max-pool with switches below)' -ForEach @(
        @{ Name = 'zfnet' }, @{ Name = 'alexnet' }
    ) {
        $choices = @(Get-Choice (Import-ConvModel -Architecture $Name -Device cpu))
        $choices.Count | Should -BeGreaterThan 4
        $choices | Where-Object Rule -ne 'Deconvnet' | ForEach-Object { "$($_.Layer): $($_.Rule)" } | Should -BeNullOrEmpty
    }

    It 'picks GuidedBackprop on every layer of resnet18 (batch-norm, residual additions)' {
        foreach ($m in (Import-ConvModel -Architecture resnet18 -Device cpu), (Import-ConvModel)) {
            $choices = @(Get-Choice $m)
            $choices.Count | Should -BeGreaterThan 4
            $choices | Where-Object Rule -ne 'GuidedBackprop' | ForEach-Object { "$($m.Name) $($_.Layer): $($_.Rule)" } | Should -BeNullOrEmpty
        }
    }

    It 'needs max-pool switches once a ReLU lies below the unit' {
        $engine = $TinyNets::Chain([string[]]@('conv', 'relu', 'conv', 'relu', 'pool', 'conv'), 16, 3)
        $rules = foreach ($l in 'l0', 'l1', 'l3', 'l4', 'l5') { "$($MethodChoice::For($engine.Graph, $engine.Layers.Get($l).NodeFor('Activation')))" }
        # l0, l1: no ReLU below (only its own); l3: a ReLU below and no pool; l4 is the pool's own output
        # (the way down unpools through its switches) and l5 has the pool below.
        $rules | Should -Be @('Deconvnet', 'Deconvnet', 'GuidedBackprop', 'Deconvnet', 'Deconvnet')
    }

    It 'Invoke-Deconvolution uses the default when -Method is not given, and -Method overrides it' {
        $photo = Join-Path $PhotoPath 'chelsea.png'
        $resnet = Import-ConvModel -Architecture resnet18 -Device cpu
        (Invoke-Deconvolution -LiteralPath $photo -Model $resnet -Layer layer4 -Unit 3).Method | Should -Be 'GuidedBackprop'
        (Invoke-Deconvolution -LiteralPath $photo -Model $resnet -Layer layer4 -Unit 3 -Method Deconvnet).Method | Should -Be 'Deconvnet'
        $zf = Import-ConvModel -Architecture zfnet -Device cpu
        (Invoke-Deconvolution -LiteralPath $photo -Model $zf -Layer conv3 -Unit 3).Method | Should -Be 'Deconvnet'
    }
}
