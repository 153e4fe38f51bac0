#Requires -Modules Pester
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
}

Describe 'The module in a fresh pwsh' {
    It 'imports, loads the engine in its own context and runs TorchSharp' {
        $script = @"
`$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$(Join-Path $ModulePath 'ConvViz.psd1')' -ErrorAction Stop
`$imported = `$sw.Elapsed.TotalSeconds
`$m = Import-ConvModel -Architecture zfnet -Device cpu
`$layer = `$m | Get-ConvLayer -Layer conv5
`$engine = `$m.GetEngine().GetType().Assembly
'context=' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$engine).Name
'commands=' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([ConvViz.Model].Assembly).Name
'shape=' + `$layer.PooledShape
'import=' + `$imported
"@
        $run = Invoke-ChildPwsh $script
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'context=ConvViz.Engine'
        $run.Output | Should -Contain 'commands=Default'
        $run.Output | Should -Contain 'shape=256×6×6'
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'ConvViz.psd1')
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $exported = (Get-Module ConvViz).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'does not ship the native libraries nobody loads' {
        $deps = Join-Path $ModulePath 'Dependencies'
        Get-ChildItem $deps -Filter 'libtorch_python*' | Should -BeNullOrEmpty
        Get-ChildItem $deps -Filter '*_test.so' | Should -BeNullOrEmpty
        Join-Path $deps ($IsWindows ? 'torch_cpu.dll' : 'libtorch_cpu.so') | Should -Exist
    }

    It 'has marked the GLIBCXX_3.4.32 need of its own libLibTorchSharp.so weak' -Skip:($IsWindows) {
        $lib = Join-Path $ModulePath 'Dependencies/libLibTorchSharp.so'
        $out = & readelf -V $lib 2>&1 | Out-String
        $out | Should -Match 'Flags: WEAK\s+Version: \d+\s*\r?\n?\s*' -Because 'the build sets VER_FLG_WEAK'
        $out | Should -Match 'GLIBCXX_3\.4\.32\s+Flags: WEAK'
    }
}

Describe 'ZFNet' {
    BeforeAll { $script:zf = Import-ConvModel -Architecture zfnet -Device cpu }

    It 'has the paper''s feature map sizes' {
        $layers = $zf | Get-ConvLayer
        $conv = $layers | Where-Object Kind -eq Conv
        $maps = foreach ($l in $conv) { $l.OutputShape; if ($l.PooledShape -ne $l.OutputShape) { $l.PooledShape } }
        $maps | Should -Be @('96×110×110', '96×55×55', '256×26×26', '256×13×13', '384×13×13', '384×13×13', '256×13×13', '256×6×6')
        ($layers | Where-Object Kind -eq Linear).OutputShape | Should -Be @('4096', '4096', '1000')
    }

    It 'has 96 7×7 stride-2 filters in layer 1 and 256 5×5 stride-2 filters in layer 2' {
        $l1, $l2 = $zf | Get-ConvLayer -Layer conv1, conv2
        $l1.ReceptiveField | Should -Be 7
        $l1.Jump | Should -Be 2
        $l1.Parameters | Should -Be (96 * 3 * 7 * 7 + 96)
        $l2.Parameters | Should -Be (256 * 96 * 5 * 5 + 256)
        $l2.Jump | Should -Be 8
    }

    It 'is the same network for the same seed and a different one for another seed' {
        $a = (Import-ConvModel -Architecture zfnet -Seed 7).GetEngine().Graph.Nodes | Where-Object Name -eq 'features.0'
        $b = (Import-ConvModel -Architecture zfnet -Seed 7).GetEngine().Graph.Nodes | Where-Object Name -eq 'features.0'
        $c = (Import-ConvModel -Architecture zfnet -Seed 8).GetEngine().Graph.Nodes | Where-Object Name -eq 'features.0'
        $wa = $a.Op.Weight.data[float]().ToArray(); $wb = $b.Op.Weight.data[float]().ToArray(); $wc = $c.Op.Weight.data[float]().ToArray()
        [Linq.Enumerable]::SequenceEqual($wa, $wb) | Should -BeTrue
        [Linq.Enumerable]::SequenceEqual($wa, $wc) | Should -BeFalse
    }
}

Describe 'Built-in architectures follow torchvision' {
    It '<Architecture> has torchvision''s parameter names' -ForEach @(
        @{ Architecture = 'alexnet'; Names = @('features.0.weight', 'features.3.weight', 'features.6.weight', 'features.8.weight', 'features.10.bias', 'classifier.1.weight', 'classifier.4.weight', 'classifier.6.bias') }
        @{ Architecture = 'resnet18'; Names = @('conv1.weight', 'bn1.running_mean', 'layer1.0.conv1.weight', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1.running_var', 'layer4.1.bn2.bias', 'fc.weight') }
        @{ Architecture = 'vgg16'; Names = @('features.0.weight', 'features.28.weight', 'classifier.0.weight', 'classifier.3.weight', 'classifier.6.bias') }
    ) {
        $m = Import-ConvModel -Architecture $Architecture
        $all = $m.GetEngine().Graph.NamedTensors() | ForEach-Object Item1
        foreach ($n in $Names) { $all | Should -Contain $n }
        $all | Should -Not -Contain 'normalize.scale' -Because 'the input normalisation is not part of any state dict'
    }

    It 'resnet18 has torchvision''s parameter count' {
        (Import-ConvModel -Architecture resnet18).Parameters | Should -Be 11689512
    }
}

Describe 'Receptive fields agree with brute force' {
    # Prediction from Get-ConvLayer: unit i sees [Start + i*Jump, Start + i*Jump + Field).
    BeforeAll {
        function Get-PredictedUnits($layer, [long] $p, [long] $size) {
            $lo = [math]::Ceiling(($p - $layer.Start - $layer.ReceptiveField + 1) / $layer.Jump)
            $hi = [math]::Floor(($p - $layer.Start) / $layer.Jump)
            @([math]::Max(0, $lo), [math]::Min($size - 1, $hi))
        }
    }

    It '<Architecture> <Layer>' -ForEach @(
        @{ Architecture = 'zfnet'; Layer = 'conv1' }, @{ Architecture = 'zfnet'; Layer = 'conv2' }, @{ Architecture = 'zfnet'; Layer = 'conv5' }
        @{ Architecture = 'alexnet'; Layer = 'conv1' }, @{ Architecture = 'alexnet'; Layer = 'conv3' }, @{ Architecture = 'alexnet'; Layer = 'conv5' }
        @{ Architecture = 'resnet18'; Layer = 'conv1' }, @{ Architecture = 'resnet18'; Layer = 'layer1.1.conv2' }, @{ Architecture = 'resnet18'; Layer = 'layer2.0.downsample' }
        @{ Architecture = 'resnet18'; Layer = 'layer3' }, @{ Architecture = 'resnet18'; Layer = 'layer4.1' }
    ) {
        $probe = Get-TestKitType 'ReceptiveFieldProbe'
        $m = Import-ConvModel -Architecture $Architecture -Device cpu
        $info = $m | Get-ConvLayer -Layer $Layer
        # Centre, corners and edges, where padding and clipping matter.
        [long[]] $ys = 0, 111, 223, 5, 200, 100
        [long[]] $xs = 0, 111, 223, 190, 3, 17
        $seen = $probe::AffectedUnits($m.GetEngine(), $Layer, $ys, $xs)
        for ($i = 0; $i -lt $ys.Count; $i++) {
            $py = Get-PredictedUnits $info $ys[$i] $info.Height
            $px = Get-PredictedUnits $info $xs[$i] $info.Width
            "$($seen[$i])" | Should -Be "$($py[0]) $($py[1]) $($px[0]) $($px[1])" -Because "pixel ($($ys[$i]), $($xs[$i]))"
        }
    }
}

Describe 'Errors' {
    It 'an unknown architecture is a terminating error that names the choices' {
        { Import-ConvModel -Architecture zfnett } | Should -Throw -ExpectedMessage '*zfnett*zfnet*'
    }

    It 'an unknown layer suggests the nearest name and lists the layers' {
        $m = Import-ConvModel -Architecture zfnet
        $err = $null
        try { Get-ConvLayer -Model $m -Layer conv6 -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'LayerNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike "*no layer 'conv6'*Did you mean*conv*Available layers: conv1, conv2*"
    }

    It 'a model of the wrong type is refused when binding' {
        { Get-ConvLayer -Model (Get-Date) } | Should -Throw -ExpectedMessage '*Cannot use a DateTime as a model*'
    }

    It 'an unknown device is refused with the valid names' {
        { Import-ConvModel -Architecture zfnet -Device tpu } | Should -Throw -ExpectedMessage "*Unknown device 'tpu'*cpu, cuda*"
    }
}

Describe 'Help' {
    It '<Command> has a synopsis, documented parameters and examples that run' -ForEach @(
        (Import-PowerShellDataFile (Join-Path $ModulePath 'ConvViz.psd1')).CmdletsToExport | ForEach-Object { @{ Command = $_ } }
    ) {
        $help = Get-Help $Command -Full
        ($help.Synopsis | Out-String).Trim() | Should -Not -BeLike "$Command*" -Because 'the synopsis comes from the MAML help, not the generated stub'
        $help.examples.example.Count | Should -BeGreaterThan 0
        $help.parameters.parameter | ForEach-Object { ($_.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($_.name) is documented" }
        Push-Location TestDrive:
        try {
            foreach ($example in $help.examples.example) {
                $code = ($example.code | Out-String).Trim()
                $result = & ([scriptblock]::Create($code))
                $result | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' must produce output"
            }
        } finally { Pop-Location }
    }
}

Describe 'Layer completion' {
    It 'offers the layer names of the model on the command line' {
        $line = "Get-ConvLayer -Model zfnet -Layer con"
        $completions = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completions.CompletionMatches.CompletionText | Should -Be @('conv1', 'conv2', 'conv3', 'conv4', 'conv5')
    }
}
