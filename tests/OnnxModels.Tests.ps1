#Requires -Modules Pester
# Imported ONNX models against PyTorch itself: declared preprocessing (presets, parameters,
# metadata_props) and the torchvision classification families exported with torch.onnx.export.
# Exports are made once per cache folder (out/test-cache/onnx) by tests/python/export_torchvision_onnx.py
# with seeded random weights; PyTorch's logits come from torchvision's own eval transform on a
# photo whose shorter side already is the resize size, so no resampling differs between the two.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Outputs = Get-TestKitType 'ModelOutputs'
    $script:Python = Get-TorchPython
    $script:Cache = Join-Path $PSScriptRoot '../out/test-cache/onnx'
    $script:Tolerance = 1e-4   # max |ConvViz - PyTorch| / max |PyTorch| over the output

    # One export per cache folder, invalidated when the export script changes.
    function script:Initialize-Exports([string[]] $Specs) {
        if (-not $Python) { return $false }
        $script = Join-Path $PSScriptRoot 'python/export_torchvision_onnx.py'
        $stamp = Join-Path $Cache 'stamp.txt'
        $hash = (Get-FileHash $script).Hash
        if ((Test-Path $stamp) -and (Get-Content $stamp -Raw).Trim() -ne $hash) { Remove-Item $Cache -Recurse -Force }
        New-Item -ItemType Directory -Force $Cache | Out-Null
        Set-Content $stamp $hash
        & $Python $script $Cache @Specs 2>&1 | Write-Verbose
        if ($LASTEXITCODE -ne 0) { throw "Exporting $($Specs -join ', ') with $Python failed (exit $LASTEXITCODE)." }
        return $true
    }
    function script:Get-Export([string] $Name) {
        $info = Get-Content (Join-Path $Cache "$Name.json") -Raw | ConvertFrom-Json
        [pscustomobject]@{
            Onnx   = Join-Path $Cache "$Name.onnx"
            Photo  = Join-Path $Cache $info.photo
            Input  = [int]$info.input
            Logits = [double[]]$info.logits
        }
    }
}

Describe 'Declared preprocessing of an imported ONNX model' {
    BeforeAll {
        $script:Ready = Initialize-Exports @('resnet18_op13:resnet18:64:13')
        if ($Ready) {
            $script:R18 = Get-Export 'resnet18_op13'
            $script:Work = Join-Path ([IO.Path]::GetTempPath()) "convviz-onnxmodels-$PID"
            New-Item -ItemType Directory -Force $Work | Out-Null
            $script:MetaFile = Join-Path $Work 'resnet18_meta.onnx'
            & $Python (Join-Path $PSScriptRoot 'python/onnx_metadata.py') model $R18.Onnx $MetaFile 'convviz.preset=torchvision' 'convviz.input_size=64'
            $script:BgrPhoto = Join-Path $Work 'photo_bgr.png'
            & $Python (Join-Path $PSScriptRoot 'python/onnx_metadata.py') bgr $R18.Photo $BgrPhoto
        }
    }
    BeforeEach { if (-not $Ready) { Set-ItResult -Skipped -Because 'PyTorch (python3-torch, python3-torchvision) is not installed' } }
    AfterAll { if ($script:Work) { Remove-Item $Work -Recurse -Force -ErrorAction Ignore } }

    It '-Preset torchvision gives PyTorch''s logits on the same photo (<= 1e-4 relative)' {
        $m = Import-ConvModel -Path $R18.Onnx -Preset torchvision -WarningVariable warn
        $warn | Should -BeNullOrEmpty
        $m.InputWidth | Should -Be 64
        $m.Preprocessing | Should -Be 'RGB 0-1, mean 0.485,0.456,0.406, std 0.229,0.224,0.225, shorter side 73, centre 64x64 (preset torchvision)'
        $out = $Outputs::OfPhoto($m.GetEngine(), $R18.Photo)
        $Outputs::RelativeError($out, $R18.Logits) | Should -BeLessOrEqual $Tolerance
    }

    It 'the same convention given parameter by parameter gives the same output' {
        $preset = Import-ConvModel -Path $R18.Onnx -Preset torchvision
        $m = Import-ConvModel -Path $R18.Onnx -InputSize 64 -PixelRange 1 -Mean 0.485, 0.456, 0.406 -Std 0.229, 0.224, 0.225 -ChannelOrder RGB -Resize CenterCrop -WarningVariable warn
        $warn | Should -BeNullOrEmpty
        $m.Preprocessing | Should -BeLike '*(parameters)'
        $Outputs::OfPhoto($m.GetEngine(), $R18.Photo) | Should -Be $Outputs::OfPhoto($preset.GetEngine(), $R18.Photo)
    }

    It 'BGR: a model fed reversed channels sees what the RGB model sees' {
        # Declared BGR, ConvViz reverses the photo's channels in front of the graph: the reversed photo
        # then reaches the network as the original RGB one and must give PyTorch's logits on that.
        # Mean and std are in the model's channel order, here the network's real RGB order.
        $m = Import-ConvModel -Path $R18.Onnx -Preset torchvision -ChannelOrder BGR
        $m.Preprocessing | Should -BeLike 'BGR 0-1, mean 0.485,0.456,0.406*(parameters)'
        $Outputs::RelativeError($Outputs::OfPhoto($m.GetEngine(), $BgrPhoto), $R18.Logits) | Should -BeLessOrEqual $Tolerance
    }

    It 'reads the convention from the file''s metadata_props' {
        $m = Import-ConvModel -Path $MetaFile -WarningVariable warn
        $warn | Should -BeNullOrEmpty
        $m.Preprocessing | Should -BeLike 'RGB 0-1, mean 0.485,0.456,0.406, std 0.229,0.224,0.225, shorter side 73, centre 64x64 (file metadata)'
        $Outputs::RelativeError($Outputs::OfPhoto($m.GetEngine(), $R18.Photo), $R18.Logits) | Should -BeLessOrEqual $Tolerance
    }

    It 'parameters override the file''s metadata' {
        $m = Import-ConvModel -Path $MetaFile -Preset raw
        $m.Preprocessing | Should -Be 'RGB 0-255, stretched to 64x64 (preset raw)'
    }

    It 'warns, naming the parameters, when nothing is declared, and says the convention is unknown' {
        $m = Import-ConvModel -Path $R18.Onnx -WarningVariable warn -WarningAction SilentlyContinue
        @($warn).Count | Should -Be 1
        "$warn" | Should -BeLike "*declares no input preprocessing*-Preset torchvision*-PixelRange, -Mean, -Std, -ChannelOrder, -Resize and -InputSize*"
        $m.Preprocessing | Should -BeLike 'unknown (fed RGB 0-255 unnormalised*'
        ($m | Get-ConvLayer -Layer conv1).Preprocessing | Should -Be $m.Preprocessing
        # Fed raw 0-255 pixels, the export is far from PyTorch: the warning is about a real error.
        $Outputs::RelativeError($Outputs::OfPhoto($m.GetEngine(), $R18.Photo), $R18.Logits) | Should -BeGreaterThan 0.1
    }

    It 'Get-ConvLayer''s header shows the preprocessing' {
        $m = Import-ConvModel -Path $R18.Onnx -Preset torchvision
        $text = $m | Get-ConvLayer -Layer conv1 | Out-String -Width 250
        $text | Should -BeLike '*input: RGB 0-1, mean 0.485,0.456,0.406*'
    }

    It 'refuses <What>' -TestCases @(
        @{ What = 'a mean with the wrong channel count'; Arguments = @{ Mean = 0.5, 0.5 }; Message = '*Mean has 2 values; the model takes 3 channels*' }
        @{ What = 'a non-positive std'; Arguments = @{ Std = 0 }; Message = '*Std values must be positive*' }
    ) {
        param($What, $Arguments, $Message)
        $err = $null
        try { Import-ConvModel -Path $R18.Onnx @Arguments -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidPreprocessing,*'
        $err.Exception.Message | Should -BeLike $Message
    }

    It 'refuses preprocessing parameters for a state dict of a built-in architecture' {
        $err = $null
        try { Import-ConvModel -Path $R18.Onnx -Architecture resnet18 -Preset torchvision -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidPreprocessing,*'
        $err.Exception.Message | Should -BeLike '*describe an ONNX model*'
    }

    It 'refuses a still-missing use of an operator naming node, operator, opset and reason' {
        $file = Join-Path $Work 'transpose_batch.onnx'
        & $Python (Join-Path $PSScriptRoot 'python/onnx_metadata.py') transpose_batch $file
        $err = $null
        try { Import-ConvModel -Path $file -Preset raw -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnsupportedModel,*'
        $err.Exception.Message | Should -BeLike "*node 'swap_batch'*operator 'Transpose' (opset 13)*Transpose of a model value that moves the batch axis*"
    }
}

Describe 'Operator adjoints against autograd' {
    BeforeAll { $script:Ops = Get-TestKitType 'OpAdjoints' }
    It '<Case> under <Rule> equals the stated rule''s autograd reference' -ForEach @(
        foreach ($case in 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Erf', 'Pow2', 'Pow3', 'Sqrt', 'MulGateBroadcast', 'MulGateSilu',
            'MulNoGate', 'Div', 'LayerNorm', 'ReduceMeanSpatial', 'ReduceSumChannels', 'ReduceMaxSpatial', 'ReduceMaxKeep', 'Transpose', 'ChannelOrder',
            'ConvGroupedStrided', 'ConvDilatedAsymmetric', 'ConvResNeXtGrouped', 'ConvResNeXtDownsample') {
            foreach ($rule in 'Gradient', 'Deconvnet', 'GuidedBackprop') { @{ Case = $case; Rule = $rule } }
        }
    ) {
        $Ops::Check($Case, $Rule, 7) | Should -BeLessOrEqual 1e-5
    }

    It 'the kit covers every case the engine lists' {
        @($Ops::Cases).Count | Should -Be 23
    }
}

Describe 'Convolutions at every channel count' {
    # libtorch 2.10's oneDNN convolution is wrong (even NaN) for some input-channel counts; Conv2dOp
    # pads channels around it. float64 convolutions never take the oneDNN path.
    BeforeAll {
        function script:Test-ConvKernels([string[]] $Lines) {
            $Lines.Count | Should -Be 152
            $raw = @($Lines | Where-Object { [double](($_ -split '\|')[3].Trim()) -gt 1e-5 })
            Write-Host "    libtorch's own float32 conv2d is off by more than 1e-5 on $($raw.Count) of $($Lines.Count) shapes here"
            $bad = @($Lines | Where-Object { $f, $b = ($_ -split '\|')[1, 2]; [double]$f.Trim() -gt 1e-5 -or [double]$b.Trim() -gt 1e-5 })
            $bad | Should -BeNullOrEmpty
        }
    }

    It 'forward and adjoint equal libtorch''s float64 convolution and its autograd (<= 1e-5 relative), for 3 to 80 channels, 1x1 to 7x7, strided and grouped' {
        Test-ConvKernels @((Get-TestKitType 'ConvKernels')::Check(3))
    }

    It 'the same for inputs in channels-last strides, the layout scans run in' {
        Test-ConvKernels @((Get-TestKitType 'ConvKernels')::Check(3, $true))
    }

    It '1x1 convolutions of channels-last inputs at the channel pairs where oneDNN''s 1x1 kernel divides by zero (a child pwsh: SIGFPE would kill it)' {
        # Every ResNet-50 bottleneck has one of these pairs; libtorch 2.10's own kernel dies of SIGFPE on them.
        $child = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
`$kit = [ConvViz.Commands.EngineHost]::LoadExtension('$((Resolve-Path $KitPath).Path)')
`$kit.GetType('ConvViz.TestKit.ConvKernels', `$true)::CheckPointwiseChannelsLast(5)
"@
        $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
        $lines = @($child.Output | Where-Object { $_ -match '^\d+ \d+ \d+ \|' })
        $lines.Count | Should -Be 10
        foreach ($line in $lines) { [double](($line -split '\|')[1].Trim()) | Should -BeLessOrEqual 1e-5 -Because $line }
    }

    It 'the same with oneDNN limited to AVX2, as on CPUs without AVX-512 (a child pwsh with ONEDNN_MAX_CPU_ISA=AVX2)' {
        $env:ONEDNN_MAX_CPU_ISA = 'AVX2'
        try {
            $child = Invoke-ChildPwsh @"
Import-Module '$ModulePath'
`$kit = [ConvViz.Commands.EngineHost]::LoadExtension('$((Resolve-Path $KitPath).Path)')
`$kit.GetType('ConvViz.TestKit.ConvKernels', `$true)::Check(3)
"@
        }
        finally { Remove-Item Env:ONEDNN_MAX_CPU_ISA }
        $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
        Test-ConvKernels @($child.Output | Where-Object { $_ -match '^\d+ \d+ \d+ \d+ \d+ \|' })
    }
}

Describe 'torchvision families exported to ONNX' {
    BeforeDiscovery {
        # name (cache file), family; opset 13 for all, plus a sample at 11 and 17.
        $script:Families = @(
            @{ Name = 'alexnet_op13'; Family = 'alexnet' }
            @{ Name = 'vgg11_op13'; Family = 'vgg' }
            @{ Name = 'resnet18_op13'; Family = 'resnet' }
            @{ Name = 'squeezenet1_1_op13'; Family = 'squeezenet' }
            @{ Name = 'densenet121_op13'; Family = 'densenet' }
            @{ Name = 'inception_v3_op13'; Family = 'inception' }
            @{ Name = 'googlenet_op13'; Family = 'googlenet' }
            @{ Name = 'mobilenet_v2_op13'; Family = 'mobilenet_v2' }
            @{ Name = 'mobilenet_v3_small_op13'; Family = 'mobilenet_v3' }
            @{ Name = 'efficientnet_b0_op13'; Family = 'efficientnet' }
            @{ Name = 'regnet_y_400mf_op13'; Family = 'regnet' }
            @{ Name = 'shufflenet_v2_x0_5_op13'; Family = 'shufflenet_v2' }
            @{ Name = 'mnasnet0_5_op13'; Family = 'mnasnet' }
            @{ Name = 'convnext_tiny_op13'; Family = 'convnext' }
            @{ Name = 'resnext50_32x4d_op13'; Family = 'resnext' }
            @{ Name = 'wide_resnet50_2_op13'; Family = 'wide_resnet' }
            @{ Name = 'resnet18_op11'; Family = 'resnet (opset 11)' }
            @{ Name = 'shufflenet_v2_x0_5_op11'; Family = 'shufflenet_v2 (opset 11)' }
            @{ Name = 'mobilenet_v3_small_op17'; Family = 'mobilenet_v3 (opset 17)' }
            @{ Name = 'convnext_tiny_op17'; Family = 'convnext (opset 17)' }
        )
    }
    BeforeAll {
        $specs = @(Get-Content (Join-Path $PSScriptRoot 'python/torchvision_families.txt') | Where-Object { $_ -and $_ -notlike '#*' })
        $script:FamiliesReady = Initialize-Exports $specs
        $script:Reference = Get-TestKitType 'ProjectionReference'
    }

    Context '<Family> (<Name>)' -ForEach $Families {
        BeforeAll {
            if ($FamiliesReady) {
                $script:E = Get-Export $Name
                $script:M = Import-ConvModel -Path $E.Onnx -Preset torchvision
                $script:Second = Join-Path $Cache "$([IO.Path]::GetFileNameWithoutExtension($E.Photo))_bgr.png"
                if (-not (Test-Path $Second)) { & $Python (Join-Path $PSScriptRoot 'python/onnx_metadata.py') bgr $E.Photo $Second }
                # Two layers with feature maps: one from the middle and the last.
                $spatial = @($M | Get-ConvLayer | Where-Object { $_.Kind -eq 'Conv' -and $_.Height -gt 0 })
                $script:Picked = @($spatial[[int]($spatial.Count / 2)].Name, $spatial[-1].Name)
            }
        }
        BeforeEach { if (-not $FamiliesReady) { Set-ItResult -Skipped -Because 'PyTorch (python3-torch, python3-torchvision) is not installed' } }

        It 'imports with -Preset torchvision and matches PyTorch''s logits (<= 1e-4 relative)' {
            $err = $Outputs::RelativeError($Outputs::OfPhoto($M.GetEngine(), $E.Photo), $E.Logits)
            Write-Host ("    family {0,-26} layers {1,4}  output error {2:E2}" -f $Family, $M.LayerCount, $err)
            $err | Should -BeLessOrEqual $Tolerance
        }

        It 'matches PyTorch''s logits in a batch of 4 too (batches take other convolution kernels)' {
            foreach ($row in $Outputs::OfPhotoInBatch($M.GetEngine(), $E.Photo, 4)) {
                $Outputs::RelativeError($row, $E.Logits) | Should -BeLessOrEqual $Tolerance
            }
        }

        It 'scans two layers and projects them with Deconvnet, GuidedBackprop and Gradient' {
            $acts = @(Get-TopActivations -LiteralPath $E.Photo, $Second -Model $M -Layer $Picked -Unit 0, 1 -Top 2)
            $acts.Count | Should -Be 8
            ($acts.Layer | Sort-Object -Unique) | Should -Be ($Picked | Sort-Object -Unique)
            foreach ($method in 'Deconvnet', 'GuidedBackprop', 'Gradient') {
                $p = @($acts | Invoke-Deconvolution -Model $M -Method $method)
                $p.Count | Should -Be $acts.Count
                foreach ($one in $p) {
                    @($one.Reconstruction | Where-Object { -not [float]::IsFinite($_) }).Count | Should -Be 0
                }
                # A unit that fired leaves a trace in pixel space.
                @($p | Where-Object { $_.Value -gt 0 -and ($_.Reconstruction | Measure-Object -Maximum -Minimum | ForEach-Object { $_.Maximum - $_.Minimum }) -gt 0 }).Count | Should -BeGreaterThan 0
            }
        }

        It 'feature visualisations of the middle and the last feature layer run autograd through the graph and raise their objective' {
            # Issue 18: the ops of this family's graph up to its last feature layer, backward, through the engine's
            # autograd path; 6 steps without the random transforms, so each Adam step follows the objective's
            # own gradient. (Not the classifier head: with these seeded random weights densenet121's last ReLU
            # is zero everywhere on the grey start, so its logits have no gradient; Lucid redirects every ReLU
            # for that, ConvViz only the unit's own.)
            foreach ($layer in $Picked) {
                $v = New-FeatureVisualization -Model $M -Layer $layer -Unit 1 -Objective Neuron -Stage PreActivation -Transform None -Steps 6 -Seed 1
                Write-Host ("    {0,-26} {1,-28} objective {2:G4} -> {3:G4}" -f $Family, $layer, $v.StartValue, $v.Value)
                [float]::IsFinite($v.Value) | Should -BeTrue
                @($v.Pixels | Where-Object { -not [float]::IsFinite($_) }).Count | Should -Be 0
                $v.Value | Should -BeGreaterThan $v.StartValue
            }
        }

        It 'the Gradient projection of the last layer''s strongest unit equals autograd (<= 1e-4 relative)' {
            $engine = $M.GetEngine()
            $input = $Reference::RandomInput($engine, 3)
            $shape = $null
            $map = $Reference::Activation($engine, $input, $Picked[1], [ref]$shape)
            $best = 0; for ($i = 1; $i -lt $map.Length; $i++) { if ($map[$i] -gt $map[$best]) { $best = $i } }
            $hw = $shape[1] * $shape[2]
            $unit = [math]::Floor($best / $hw); $y = [math]::Floor(($best % $hw) / $shape[2]); $x = $best % $shape[2]
            $mine = $Reference::Projector($engine, $input, $Picked[1], $unit, $y, $x, 'Gradient')
            # Autograd at the engine's forward values: the two float32 forward passes (oneDNN and the
            # kit's slice-and-einsum convolutions) differ in the last bits, which flips ReLUs near zero
            # (calibrated batch norms put many there) and moves regnet's whole-chain gradient by 2e-2.
            $pinned = $Reference::GradientAtEngineValues($engine, $input, $Picked[1], $unit, $y, $x)
            $free = $Outputs::RelativeError($mine, [double[]]$Reference::Gradient($engine, $input, $Picked[1], $unit, $y, $x))
            Write-Host ("    {0,-26} Gradient vs autograd at the engine's values {1:E2} (with the kit's own forward pass {2:E2})" -f $Family, $Outputs::RelativeError($mine, [double[]]$pinned), $free)
            $Outputs::RelativeError($mine, [double[]]$pinned) | Should -BeLessOrEqual $Tolerance
        }
    }
}

Describe 'about_ConvViz_Models' {
    It 'ships with the module and states every op''s projection rules as the engine has them' {
        Join-Path $ModulePath 'en-US/about_ConvViz_Models.help.txt' | Should -Exist
        $text = (Get-Help about_ConvViz_Models | Out-String) -replace '\s+', ' '
        $text | Should -BeLike '*torch.onnx.export*Import-ConvModel -Path*-Preset torchvision*'
        $text | Should -BeLike '*convviz.mean*'
        foreach ($line in (Get-TestKitType 'OpAdjoints')::RuleLines()) {
            $kind, $rules = $line -split '\|', 2
            $text | Should -Match ("\b{0} .*?{1}" -f [regex]::Escape($kind), [regex]::Escape(($rules -replace '\s+', ' ').Trim()))
        }
    }
}
