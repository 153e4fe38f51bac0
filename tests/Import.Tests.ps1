#Requires -Modules Pester
# ONNX import, the pretrained ResNet-18 and PyTorch state dicts, checked against independent
# references: ONNX Runtime for every node, round trips through files for state dicts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:OnnxRef = Get-TestKitType 'OnnxReference'
    $script:Factory = Get-TestKitType 'OnnxFactory'
    $script:StateCheck = Get-TestKitType 'StateDictCheck'
    $script:Neighbours = Get-TestKitType 'FeatureNeighbours'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "convviz-import-$PID"
    New-Item -ItemType Directory -Force $script:Work | Out-Null
    $script:Tolerance = 1e-4
    $script:Photos = if ($env:CONVVIZ_PHOTOS) { $env:CONVVIZ_PHOTOS } else { Join-Path $PSScriptRoot '../out/photos' }
}

AfterAll { Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore }

Describe 'Pretrained resnet18 against ONNX Runtime' {
    BeforeAll {
        $script:ResNet = Import-ConvModel -Name resnet18
        $script:Diffs = $OnnxRef::ComparePretrainedResNet18($ResNet.GetEngine(), 11)
    }

    It 'takes raw RGB 0..255 at 224x224 and yields 512 features' {
        $e = $ResNet.GetEngine()
        $e.Input.Width | Should -Be 224
        $e.Input.Height | Should -Be 224
        $e.Input.PixelMax | Should -Be 255
        $e.Output.ToString() | Should -Be 'Features'
        $e.Source | Should -BeLike 'pretrained:resnet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1)'
        ($e.Graph.ShapeOf($e.Graph.OutputNode) | Measure-Object -Sum).Sum | Should -Be 514
    }

    It 'matches ORT on the final output within 1e-4 relative' {
        $e = $ResNet.GetEngine()
        $name = $e.Graph.Nodes[$e.Graph.OutputNode].Name
        ($Diffs | Where-Object Name -EQ $name).MaxRelDiff | Should -BeLessOrEqual $Tolerance
    }

    It 'matches ORT on every intermediate node within 1e-4 relative' {
        $Diffs.Count | Should -BeGreaterThan 70
        $bad = @($Diffs | Where-Object MaxRelDiff -GT $Tolerance | ForEach-Object ToString)
        $bad | Should -BeNullOrEmpty
    }

    It 'accepts readable names <Name>' -TestCases @(
        @{ Name = 'conv1'; Kind = 'Conv' }, @{ Name = 'layer1.0.conv1'; Kind = 'Conv' }, @{ Name = 'layer4.1.conv2'; Kind = 'Conv' },
        @{ Name = 'layer2.0.downsample'; Kind = 'Conv' }, @{ Name = 'layer1.0'; Kind = 'Block' }, @{ Name = 'layer4.1'; Kind = 'Block' },
        @{ Name = 'layer1'; Kind = 'Stage' }, @{ Name = 'layer4'; Kind = 'Stage' }
    ) {
        param($Name, $Kind)
        $ResNet.GetEngine().Layers.Get($Name).Kind | Should -Be $Kind
    }

    It 'accepts the graph''s own names as aliases' {
        $ResNet.GetEngine().Layers.Get('Convolution249').Name | Should -Be 'conv1'
        $ResNet.GetEngine().Layers.Get('Plus267').Name | Should -Be 'layer1.0'
    }

    It 'puts motorcycle_left and motorcycle_right next to each other' {
        if (-not (Test-Path (Join-Path $Photos 'motorcycle_left.png'))) { Set-ItResult -Skipped -Because "no demo photos in $Photos"; return }
        $Neighbours::Nearest($ResNet.GetEngine(), $Photos, 'motorcycle_left').Name | Should -Be 'motorcycle_right'
        $Neighbours::Nearest($ResNet.GetEngine(), $Photos, 'motorcycle_right').Name | Should -Be 'motorcycle_left'
    }
}

Describe 'Single-operator ONNX files against ONNX Runtime' {
    BeforeDiscovery {
        # The factory writes the files; discovery only needs their names, which it returns.
        $script:Cases = @('conv', 'conv_groups_dilation_asym', 'conv_same_upper', 'conv_same_lower', 'conv_valid',
            'batchnorm_opset8', 'batchnorm_opset15', 'relu', 'leaky_relu', 'maxpool_asym_pads', 'maxpool_ceil',
            'maxpool_dilated_overlap', 'avgpool_exclude_pad', 'avgpool_include_pad', 'global_avgpool', 'global_maxpool',
            'residual_add', 'affine_constants', 'concat', 'flatten_gemm', 'matmul_reshape_opset5', 'pytorch_style_flatten',
            'squeeze_unsqueeze_opset11', 'squeeze_unsqueeze_opset13', 'dropout_identity_opset7', 'dropout_opset13', 'lrn',
            'softmax_opset11_4d', 'softmax_opset13_channels', 'pad_opset10_attr', 'pad_opset11_input', 'split_opset11_attr',
            'split_opset13_input', 'slice_opset10', 'clip_opset7_attr', 'clip_opset11_relu6') | ForEach-Object { @{ Case = $_ } }
    }
    BeforeAll {
        $script:OnnxDir = Join-Path $Work 'onnx'
        $script:Written = @{}
        foreach ($p in $Factory::WriteAll($OnnxDir, 7)) { $Written[[IO.Path]::GetFileNameWithoutExtension($p)] = $p }
    }

    # The expected names are bound at discovery: a $Cases of another suite may be in scope at run time.
    It 'writes a file for every case' -TestCases @(@{ Names = @($Cases | ForEach-Object { $_.Case }) }) {
        param($Names)
        @($Written.Keys | Sort-Object) | Should -Be @($Names | Sort-Object)
    }

    It '<Case> matches ORT on every node within 1e-4 relative' -TestCases $Cases {
        param($Case)
        $diffs = $OnnxRef::CompareFile($Written[$Case], 3)
        $diffs.Count | Should -BeGreaterThan 0
        @($diffs | Where-Object MaxRelDiff -GT $Tolerance | ForEach-Object ToString) | Should -BeNullOrEmpty
    }

    It 'imports through Import-ConvModel -Path' {
        $m = Import-ConvModel -Path $Written['residual_add']
        $m.GetEngine().Layers.All.Count | Should -BeGreaterThan 0
    }
}

Describe 'Import errors' {
    It 'names the node, the operator and the opset of an unsupported operator' {
        $path = $Factory::WriteUnsupported((Join-Path $Work 'bad'))
        $err = { Import-ConvModel -Path $path } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*'round_node'*"
        $err.Exception.Message | Should -BeLike "*'Round'*"
        $err.Exception.Message | Should -BeLike '*opset 13*'
        $err.Exception.Message | Should -BeLike '*Supported:*Conv*'
    }

    It 'says a truncated file is truncated and names it' {
        $path = $Factory::WriteTruncated((Join-Path $Work 'trunc'), 100)
        $err = { Import-ConvModel -Path $path } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*truncated.onnx*"
        $err.Exception.Message | Should -BeLike '*truncated*'
    }

    It 'refuses a file that is not ONNX' {
        $path = Join-Path $Work 'text.onnx'
        Set-Content $path 'this is not an ONNX model'
        { Import-ConvModel -Path $path } | Should -Throw "*text.onnx*"
    }
}

Describe 'PyTorch state dicts' {
    It 'round-trips <Architecture> through <Extension> with identical outputs' -TestCases @(
        @{ Architecture = 'alexnet'; Extension = '.pth' }, @{ Architecture = 'resnet18'; Extension = '.pth' },
        @{ Architecture = 'resnet18'; Extension = '.safetensors' }, @{ Architecture = 'vgg16'; Extension = '.safetensors' }
    ) {
        param($Architecture, $Extension)
        $a = Import-ConvModel -Architecture $Architecture -Seed 1
        $b = Import-ConvModel -Architecture $Architecture -Seed 2
        $StateCheck::MaxOutputDifference($a.GetEngine(), $b.GetEngine(), 5) | Should -BeGreaterThan 0
        $path = Join-Path $Work "$Architecture$Extension"
        $StateCheck::RoundTrip($a.GetEngine(), $b.GetEngine(), $path, 5) | Should -Be 0
    }

    It 'lists every missing, unexpected and mis-shaped tensor in one error' {
        $a = Import-ConvModel -Architecture alexnet -Seed 1
        $b = Import-ConvModel -Architecture alexnet -Seed 2
        $path = Join-Path $Work 'wrong.pth'
        $names = $StateCheck::WriteWrong($a.GetEngine(), $path)
        $err = { $StateCheck::Load($b.GetEngine(), $path) } | Should -Throw -PassThru
        $message = $err.Exception.InnerException ? $err.Exception.InnerException.Message : $err.Exception.Message
        $message | Should -BeLike '*3 mismatches*'
        foreach ($n in $names) { $message | Should -BeLike "*$n*" }
        $message | Should -BeLike '*missing*'
        $message | Should -BeLike '*unexpected*'
        $message | Should -BeLike '*wrong shape (expected `[1000`], found `[1001`])*'
    }
}
