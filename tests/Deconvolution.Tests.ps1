#Requires -Modules Pester
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Ref = Get-TestKitType 'ProjectionReference'
    $script:Tiny = Get-TestKitType 'TinyNets'

    # Largest |a - b| relative to the largest |b|.
    function Get-RelativeDifference([float[]] $a, [float[]] $b) {
        $a.Count | Should -Be $b.Count
        $scale = 0.0; $diff = 0.0
        for ($i = 0; $i -lt $b.Count; $i++) {
            $scale = [math]::Max($scale, [math]::Abs($b[$i]))
            $diff = [math]::Max($diff, [math]::Abs($a[$i] - $b[$i]))
        }
        if ($scale -eq 0) { return $diff }
        $diff / $scale
    }

    # The (unit, y, x) of the strongest activation of a unit, so the projection is not trivially zero.
    function Get-Strongest($model, [float[]] $x, [string] $layer, [int] $unit) {
        $shape = $null
        $act = $Ref::Activation($model, $x, $layer, [ref] $shape)
        $h = $shape[1]; $w = $shape[2]; $best = [float]::NegativeInfinity; $by = 0; $bx = 0
        for ($y = 0; $y -lt $h; $y++) { for ($xx = 0; $xx -lt $w; $xx++) {
            $v = $act[($unit * $h + $y) * $w + $xx]
            if ($v -gt $best) { $best = $v; $by = $y; $bx = $xx }
        } }
        @{ Y = $by; X = $bx; Value = $best; Height = $h; Width = $w }
    }
}

Describe 'Deconvnet on a hand-computed conv + max-pool' {
    BeforeAll {
        # 1x1x5x5 input, one 2x2 filter, conv stride 1 -> 4x4, max-pool 2x2 stride 1 (overlapping) -> 3x3.
        [float[]] $script:W = 1, 2, 3, 4
        [float[]] $script:X = 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3
        $script:Model = $Tiny::ConvPool($W, 1, 1, 2, 5, 5, 1, 0, 2, 1)
        $script:Conv = [double[, ]]::new(4, 4)
        for ($i = 0; $i -lt 4; $i++) { for ($j = 0; $j -lt 4; $j++) {
            $s = 0.0; for ($a = 0; $a -lt 2; $a++) { for ($b = 0; $b -lt 2; $b++) { $s += $X[($i + $a) * 5 + $j + $b] * $W[$a * 2 + $b] } }
            $Conv[$i, $j] = $s
        } }
        # Each pool output's value and switch (first maximum in row-major order, as PyTorch picks).
        function Get-Switch([int] $py, [int] $px) {
            $best = [double]::NegativeInfinity; $at = $null
            for ($a = 0; $a -lt 2; $a++) { for ($b = 0; $b -lt 2; $b++) {
                if ($Conv[($py + $a), ($px + $b)] -gt $best) { $best = $Conv[($py + $a), ($px + $b)]; $at = @(($py + $a), ($px + $b)) }
            } }
            @{ Value = $best; At = $at }
        }
        function Add-Filter([double[]] $recon, $switch) {
            for ($a = 0; $a -lt 2; $a++) { for ($b = 0; $b -lt 2; $b++) {
                $recon[($switch.At[0] + $a) * 5 + $switch.At[1] + $b] += $switch.Value * $W[$a * 2 + $b]
            } }
        }
    }

    It 'projects one activation: unpool to its switch, rectify, filter with the transposed weights' {
        $expected = [double[]]::new(25)
        Add-Filter $expected (Get-Switch 1 2)
        $got = $Ref::Projector($Model, $X, 'conv', 0, 1, 2, 'Deconvnet', $false)
        for ($i = 0; $i -lt 25; $i++) { $got[$i] | Should -BeExactly ([float]$expected[$i]) -Because "pixel $i" }
    }

    It 'adds up the values that overlapping windows route to one position (-KeepFeatureMap)' {
        $expected = [double[]]::new(25)
        for ($py = 0; $py -lt 3; $py++) { for ($px = 0; $px -lt 3; $px++) { Add-Filter $expected (Get-Switch $py $px) } }
        $got = $Ref::Projector($Model, $X, 'conv', 0, 0, 0, 'Deconvnet', $true)
        for ($i = 0; $i -lt 25; $i++) { $got[$i] | Should -BeExactly ([float]$expected[$i]) -Because "pixel $i" }
    }
}

Describe 'Projections against autograd' {
    It 'Deconvnet equals the gradient on a network without ReLU: <Ops>' -ForEach @(
        @{ Ops = 'conv,pool,conv,pool' }
        @{ Ops = 'conv-s2,pool-overlap,conv-dil,bn,pool-ceil' }
        @{ Ops = 'pad-asym,avg,conv-group,pool-overlap,conv' }
    ) {
        $m = $Tiny::Chain([string[]]($Ops -split ','), 33, 3)
        $x = $Ref::RandomInput($m, 11)
        $layer = 'l' + (($Ops -split ',').Count - 1)
        $s = Get-Strongest $m $x $layer 2
        $deconv = $Ref::Projector($m, $x, $layer, 2, $s.Y, $s.X, 'Deconvnet', $false)
        $grad = $Ref::Gradient($m, $x, $layer, 2, $s.Y, $s.X)
        Get-RelativeDifference $deconv $grad | Should -BeLessThan 1e-5
        ($grad | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 0
    }

    It 'Gradient equals autograd on <Name>' -ForEach @(
        @{ Name = 'a chain with ReLU, leaky ReLU and LRN'; Ops = 'conv,relu,pool-overlap,conv,leaky,lrn,conv-s2,relu'; Architecture = $null; Layer = 'l7' }
        @{ Name = 'zfnet conv3'; Architecture = 'zfnet'; Layer = 'conv3' }
        @{ Name = 'resnet18 layer2.0'; Architecture = 'resnet18'; Layer = 'layer2.0' }
    ) {
        $m = if ($Architecture) { (Import-ConvModel -Architecture $Architecture -Device cpu).GetEngine() } else { $Tiny::Chain([string[]]($Ops -split ','), 40, 5) }
        $x = $Ref::RandomInput($m, 12)
        $s = Get-Strongest $m $x $Layer 1
        $mine = $Ref::Projector($m, $x, $Layer, 1, $s.Y, $s.X, 'Gradient', $false)
        $auto = $Ref::Gradient($m, $x, $Layer, 1, $s.Y, $s.X)
        Get-RelativeDifference $mine $auto | Should -BeLessThan 1e-4
    }

    It 'GuidedBackprop equals the gradient with every ReLU backward masked by the signal''s sign on <Name>' -ForEach @(
        @{ Name = 'a chain'; Ops = 'conv,relu,pool,conv,relu,conv,relu'; Architecture = $null; Layer = 'l6' }
        @{ Name = 'resnet18 layer3.1'; Architecture = 'resnet18'; Layer = 'layer3.1' }
    ) {
        $m = if ($Architecture) { (Import-ConvModel -Architecture $Architecture -Device cpu).GetEngine() } else { $Tiny::Chain([string[]]($Ops -split ','), 40, 6) }
        $x = $Ref::RandomInput($m, 13)
        $s = Get-Strongest $m $x $Layer 0
        $mine = $Ref::Projector($m, $x, $Layer, 0, $s.Y, $s.X, 'GuidedBackprop', $false)
        $expected = $Ref::Guided($m, $x, $Layer, 0, $s.Y, $s.X)
        Get-RelativeDifference $mine $expected | Should -BeLessThan 1e-4
        $grad = $Ref::Gradient($m, $x, $Layer, 0, $s.Y, $s.X)
        Get-RelativeDifference $mine $grad | Should -BeGreaterThan 1e-3 -Because 'guided backprop is not the plain gradient'
    }
}

Describe 'Projections on windows equal projections on whole maps' {
    # A single activation goes down on the rectangle its adjoints can reach (SignalWindow, issue 15);
    # every op without a windowed adjoint (average pooling, LRN, padding) gets the whole map. Several
    # targets of two images in one chunk (each row its own window), at the corners, the edges and the
    # strongest position, under all three rules at once, against the same projector on whole maps.
    It '<Name> <Layer>' -ForEach @(
        @{ Name = 'a chain with strides, overlapping and ceil-mode pools, dilation, BN'; Ops = 'conv-s2,relu,pool-overlap,conv-dil,bn,relu,pool-ceil,conv,relu'; Layer = 'l8' }
        @{ Name = 'a chain with asymmetric padding, average pooling, groups, a hand-padded pool'; Ops = 'pad-asym,relu,avg,conv-group,leaky,pool-asym,conv,relu'; Layer = 'l7' }
        @{ Name = 'a chain with LRN'; Ops = 'conv,relu,pool-overlap,lrn,conv-s2,relu,conv,relu'; Layer = 'l7' }
        @{ Name = 'zfnet'; Architecture = 'zfnet'; Layer = 'conv5' }
        @{ Name = 'alexnet'; Architecture = 'alexnet'; Layer = 'conv3' }
        @{ Name = 'resnet18'; Architecture = 'resnet18'; Layer = 'layer1.0' }
        @{ Name = 'resnet18'; Architecture = 'resnet18'; Layer = 'layer3' }
        @{ Name = 'resnet18'; Architecture = 'resnet18'; Layer = 'layer4.1' }
    ) {
        $m = if ($Architecture) { (Import-ConvModel -Architecture $Architecture -Device cpu).GetEngine() } else { $Tiny::Chain([string[]]($Ops -split ','), 45, 7) }
        $inputs = [float[][]]@(($Ref::RandomInput($m, 21)), ($Ref::RandomInput($m, 22)))
        $s = Get-Strongest $m $inputs[0] $Layer 1
        $h = $s.Height; $w = $s.Width
        $images = [int[]]@(0, 0, 1, 1, 0, 1)
        $units = [long[]]@(1, 0, 2, 1, 3, 0)
        $ys = [long[]]@($s.Y, 0, ($h - 1), 0, ($h - 1), [math]::Floor($h / 2))
        $xs = [long[]]@($s.X, 0, ($w - 1), ($w - 1), 0, [math]::Floor($w / 2))
        $difference = $Ref::WindowedAgainstWhole($m, $inputs, $Layer, $images, $units, $ys, $xs, [string[]]@('Deconvnet', 'GuidedBackprop', 'Gradient'))
        Write-Host "  windowed against whole: $difference"
        $difference | Should -BeLessThan 1e-6
    }
}

Describe 'Projections stay in the receptive field' {
    It '<Method> of zfnet conv3 is zero outside the unit''s field' -ForEach @(@{ Method = 'Deconvnet' }, @{ Method = 'GuidedBackprop' }, @{ Method = 'Gradient' }) {
        $model = Import-ConvModel -Architecture zfnet -Device cpu
        $m = $model.GetEngine()
        $layer = $model | Get-ConvLayer -Layer conv3
        $x = $Ref::RandomInput($m, 14)
        $s = Get-Strongest $m $x 'conv3' 5
        $r = $Ref::Projector($m, $x, 'conv3', 5, $s.Y, $s.X, $Method, $false)
        $y0 = $layer.Start + $s.Y * $layer.Jump; $x0 = $layer.Start + $s.X * $layer.Jump
        $count, $top, $bottom, $left, $right, $bad = $Ref::Support($r, 3, 224, 224)
        $count | Should -BeGreaterThan 100
        $top | Should -BeGreaterOrEqual ([math]::Max(0, $y0))
        $bottom | Should -BeLessThan ($y0 + $layer.ReceptiveField)
        $left | Should -BeGreaterOrEqual ([math]::Max(0, $x0))
        $right | Should -BeLessThan ($x0 + $layer.ReceptiveField)
    }

    It 'a residual network gives a finite, non-zero projection inside the field' {
        $model = Import-ConvModel -Architecture resnet18 -Device cpu
        $layer = $model | Get-ConvLayer -Layer layer2.1
        $x = $Ref::RandomInput($model.GetEngine(), 15)
        $s = Get-Strongest $model.GetEngine() $x 'layer2.1' 3
        $r = $Ref::Projector($model.GetEngine(), $x, 'layer2.1', 3, $s.Y, $s.X, 'Deconvnet', $false)
        $y0 = $layer.Start + $s.Y * $layer.Jump; $x0 = $layer.Start + $s.X * $layer.Jump
        $count, $top, $bottom, $left, $right, $bad = $Ref::Support($r, 3, 224, 224)
        $bad | Should -Be 0
        $count | Should -BeGreaterThan 100
        $top | Should -BeGreaterOrEqual ([math]::Max(0, $y0))
        $bottom | Should -BeLessThan ($y0 + $layer.ReceptiveField)
        $left | Should -BeGreaterOrEqual ([math]::Max(0, $x0))
        $right | Should -BeLessThan ($x0 + $layer.ReceptiveField)
    }
}
