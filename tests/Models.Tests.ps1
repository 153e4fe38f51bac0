#Requires -Modules Pester
# The built-in architectures against torchvision itself: a torchvision model with seeded random
# weights (batch-norm statistics randomised too) is torch.save'd by Debian's PyTorch, loaded with
# Import-ConvModel -Path x.pth -Architecture <name>, and run on the same image. Logits, module
# outputs at torchvision names and every module's output shape must equal PyTorch's.
# The reference files are generated once into out/test-cache (keyed by the script's hash).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:NoTorch = -not (Get-TorchPython)
    $script:Architectures = @(
        'zfnet', 'alexnet', 'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn',
        'resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'
    )
    $hooked = Get-Content (Join-Path $PSScriptRoot 'Models/hooked.json') -Raw | ConvertFrom-Json -AsHashtable
    $script:Cases = $Architectures | ForEach-Object { @{ Architecture = $_; Hooked = @($hooked[$_] ?? @()) } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ConvVizModule
    $script:Python = Get-TorchPython
    $script:Tolerance = 1e-5
    $script:Script = Join-Path $PSScriptRoot 'Models/torch_reference.py'
    $hash = (@($script:Script, (Join-Path $PSScriptRoot 'Models/hooked.json')) | ForEach-Object { (Get-FileHash $_ -Algorithm SHA256).Hash }) -join ''
    $hash = (Get-FileHash -InputStream ([IO.MemoryStream]::new([Text.Encoding]::ASCII.GetBytes($hash))) -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()
    $script:Cache = Join-Path $PSScriptRoot "../out/test-cache/models-$hash"
    # Earlier versions' files are several GB: keep only this version's.
    Get-ChildItem (Join-Path $PSScriptRoot '../out/test-cache') -Directory -Filter 'models-*' -ErrorAction Ignore |
        Where-Object FullName -ne ([IO.Path]::GetFullPath($script:Cache)) | Remove-Item -Recurse -Force
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "convviz-models-$PID"
    New-Item -ItemType Directory -Force $script:Work | Out-Null

    # Generates (once) the reference files for the architectures asked for.
    function Get-Reference([string[]] $Architecture) {
        $missing = @($Architecture | Where-Object { -not (Test-Path (Join-Path $script:Cache "$_.json")) })
        if ($missing) {
            $out = & $script:Python $script:Script $script:Cache @missing 2>&1
            if ($LASTEXITCODE -ne 0) { throw "torch_reference.py failed: $($out -join "`n")" }
        }
        foreach ($a in $Architecture) { Get-Content (Join-Path $script:Cache "$a.json") -Raw | ConvertFrom-Json -AsHashtable }
    }

    function Read-Float32([string] $File) {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $script:Cache $File))
        $values = [float[]]::new($bytes.Length / 4)
        [Buffer]::BlockCopy($bytes, 0, $values, 0, $bytes.Length)
        , $values
    }

    # max |a - b| / max |b|
    function Get-RelativeError([float[]] $Actual, [float[]] $Expected) {
        if ($Actual.Length -ne $Expected.Length) { throw "length $($Actual.Length), expected $($Expected.Length)" }
        $diff = 0.0; $scale = 0.0
        for ($i = 0; $i -lt $Expected.Length; $i++) {
            $diff = [Math]::Max($diff, [Math]::Abs([double]$Actual[$i] - $Expected[$i]))
            $scale = [Math]::Max($scale, [Math]::Abs([double]$Expected[$i]))
        }
        $diff / $scale
    }
}

AfterAll { Remove-Item $script:Work -Recurse -Force -ErrorAction Ignore }

Describe 'Built-in <Architecture> equals torchvision' -ForEach $Cases -Skip:$NoTorch {
    BeforeAll {
        $script:Ref = Get-Reference $Architecture
        $script:Image = Join-Path $script:Cache 'image.png'
        $script:Model = Import-ConvModel -Path (Join-Path $script:Cache "$Architecture.pth") -Architecture $Architecture
        $script:Output = if ($Architecture -like 'resnet*') { 'fc' } else { 'classifier' }
    }
    AfterAll { $script:Model.GetEngine().Dispose() }

    It 'gives PyTorch''s logits within 1e-5 relative' {
        $map = Get-FeatureMap -Path $Image -Model $Model -Layer $Output
        $expected = Read-Float32 $Ref.values.logits
        Get-RelativeError $map.Values $expected | Should -BeLessOrEqual $Tolerance
        # and the last ConvViz layer is the same tensor
        $last = (Get-ConvLayer -Model $Model)[-1].Name
        (Get-FeatureMap -Path $Image -Model $Model -Layer $last).Values | Should -Be $map.Values
    }

    It 'has every torchvision module''s output shape' {
        $Ref.shapes.Count | Should -BeGreaterThan 10
        $wrong = foreach ($name in $Ref.shapes.Keys) {
            $layer = Get-ConvLayer -Model $Model -Layer $name
            $expected = $Ref.shapes[$name] -join '×'
            if ($layer.Name -ne $name -or $layer.OutputShape -ne $expected) { "$name is $($layer.Name) $($layer.OutputShape), torchvision $expected" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'gives exactly the module''s output at torchvision name <_>' -ForEach $Hooked {
        $map = Get-FeatureMap -Path $Image -Model $Model -Layer $_
        $map.Layer | Should -Be $_
        Get-RelativeError $map.Values (Read-Float32 $Ref.values[$_]) | Should -BeLessOrEqual $Tolerance
    }
}

Describe 'Checkpoints, DataParallel and import-time checks' -Skip:$NoTorch {
    BeforeAll {
        $null = Get-Reference 'resnet18', 'resnet50'
        $checkScript = Join-Path $PSScriptRoot 'Models/torch_checkpoints.py'
        $marker = 'checkpoints-' + (Get-FileHash $checkScript -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant() + '.done'
        if (-not (Test-Path (Join-Path $script:Cache $marker))) {
            $out = & $script:Python $checkScript $script:Cache $marker 2>&1
            if ($LASTEXITCODE -ne 0) { throw "torch_checkpoints.py failed: $($out -join "`n")" }
        }
        $script:Image = Join-Path $script:Cache 'image.png'
        $script:Logits = Read-Float32 'resnet18.logits.f32'
        function script:Get-Logit($Model) { (Get-FeatureMap -Path $script:Image -Model $Model -Layer fc).Values }
    }

    It 'loads a checkpoint dict with the state dict under <Key> and says so' -ForEach @(
        @{ Key = 'state_dict' }, @{ Key = 'model_state_dict' }, @{ Key = 'model' }, @{ Key = 'net' }
    ) {
        $path = Join-Path $script:Cache "checkpoint-$Key.pth"
        $m = Import-ConvModel -Path $path -Architecture resnet18 -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -is [ConvViz.Model] }
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        ($verbose -join "`n") | Should -BeLike "*'$Key' entry*"
        ($verbose -join "`n") | Should -BeLike '*epoch*'
        Get-RelativeError (Get-Logit $m) $script:Logits | Should -BeLessOrEqual $Tolerance
    }

    It 'strips DataParallel''s module. prefix (<File>) and says so' -ForEach @(@{ File = 'dataparallel.pth' }, @{ File = 'checkpoint-dataparallel.pth' }) {
        $m = Import-ConvModel -Path (Join-Path $script:Cache $File) -Architecture resnet18 -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -is [ConvViz.Model] }
        (@($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n") | Should -BeLike "*'module.'*"
        Get-RelativeError (Get-Logit $m) $script:Logits | Should -BeLessOrEqual $Tolerance
    }

    It 'refuses a checkpoint that holds a Python object beside the state dict, naming it' {
        $path = Join-Path $script:Cache 'checkpoint-namespace.pth'
        $err = { Import-ConvModel -Path $path -Architecture resnet18 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.Exception.Message | Should -BeLike '*argparse.Namespace*'
    }

    It 'says what a dict without a state dict holds' {
        $err = { Import-ConvModel -Path (Join-Path $script:Cache 'checkpoint-empty.pth') -Architecture resnet18 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidModelFile,*'
        $err.Exception.Message | Should -BeLike '*not a state dict*epoch*'
    }

    It 'asks for -Architecture for a .pth given without one, naming the built-in it fits' {
        $err = { Import-ConvModel -Path (Join-Path $script:Cache 'resnet18.pth') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ArchitectureRequired,*'
        $err.Exception.Message | Should -BeLike '*add -Architecture*'
        $err.Exception.Message | Should -BeLike '*-Architecture resnet18*'
        $err.Exception.Message | Should -Not -BeLike '*ONNX model*readable*'
    }

    It 'names the built-in a state dict is when loaded as another' {
        $err = { Import-ConvModel -Path (Join-Path $script:Cache 'resnet50.pth') -Architecture resnet101 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StateDictMismatch,*'
        $err.Exception.Message | Should -BeLike '*it is a resnet50 state dict: use -Architecture resnet50*'
    }

    It 'names the nearest built-in for a state dict that fits none' {
        $err = { Import-ConvModel -Path (Join-Path $script:Cache 'resnet18-10classes.pth') -Architecture resnet34 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'StateDictMismatch,*'
        $err.Exception.Message | Should -BeLike '*the nearest is resnet18 with 2 mismatches*'
        $err.Exception.Message | Should -BeLike '*fc.weight: wrong shape*'
    }

    It 'refuses at import a model with no convolution' {
        $err = { Import-ConvModel -Path (Join-Path $script:Cache 'noconv.onnx') } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'NoConvolution,*'
        $err.Exception.Message | Should -BeLike '*noconv.onnx*no convolution*'
    }

    It 'takes -Model ./file.onnx as a model file' {
        Push-Location $script:Cache
        try {
            $layers = Get-ConvLayer -Model ./tiny.onnx
            $layers[0].Model | Should -Be 'tiny'
            @($layers | Where-Object Kind -EQ 'Conv').Count | Should -Be 1
            { Get-ConvLayer -Model ./resnet18.pth } | Should -Throw '*-Architecture*'
            { Get-ConvLayer -Model ./absent.onnx } | Should -Throw '*absent.onnx*'
        }
        finally { Pop-Location }
    }
}

Describe 'Built-in names' {
    It 'lists every built-in architecture in Import-ConvModel -Architecture, and only those' -ForEach @(@{ Expected = $Architectures }) {
        $engine = (Import-ConvModel -Architecture alexnet).GetEngine()
        $names = $engine.GetType().Assembly.GetType('ConvViz.Engine.Models.BuiltInArchitectures', $true)::Names
        $set = (Get-Command Import-ConvModel).Parameters['Architecture'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        @($set.ValidValues | Sort-Object) | Should -Be @($names | Sort-Object)
        @($names | Sort-Object) | Should -Be @($Expected | Sort-Object) -Because 'the torchvision comparison covers every built-in'
    }
}

Describe 'Layer names' {
    BeforeAll {
        $script:Alex = Import-ConvModel -Architecture alexnet -Seed 3
        $script:Photo = (Get-TestKitType 'CorpusFactory')::Noise($script:Work, 1, 5, 64, 96)[0]
        function script:Get-Map([string] $Layer, [string] $Stage = 'Activation') { (Get-FeatureMap -Path $script:Photo -Model $script:Alex -Layer $Layer -Stage $Stage).Values }
    }

    It 'addresses exactly the module at a torchvision name and keeps ConvViz''s stages at conv5' {
        (Get-ConvLayer -Model $Alex -Layer conv5).Aliases | Should -BeNullOrEmpty
        (Get-ConvLayer -Model $Alex -Layer features.10).Kind | Should -Be 'Module'
        $pre = Get-Map conv5 PreActivation
        $act = Get-Map conv5
        $pool = Get-Map conv5 Pooled
        @($pre | Where-Object { $_ -lt 0 }).Count | Should -BeGreaterThan 0 -Because 'the conv output has negative values'
        Get-Map features.10 | Should -Be $pre
        Get-Map features.11 | Should -Be $act
        Get-Map features.12 | Should -Be $pool
    }

    It 'refuses a -Stage on a torchvision module name' {
        { Get-FeatureMap -Path $Photo -Model $Alex -Layer features.10 -Stage Pooled -ErrorAction Stop } | Should -Throw '*torchvision module name*'
    }

    It 'matches module names with wildcards that match no ConvViz layer' {
        (Get-ConvLayer -Model $Alex -Layer 'features.1*').Name | Should -Be @('features.1', 'features.10', 'features.11', 'features.12')
        (Get-ConvLayer -Model $Alex -Layer 'conv*').Name | Should -Be @('conv1', 'conv2', 'conv3', 'conv4', 'conv5')
    }
}
