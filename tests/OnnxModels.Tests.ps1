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
        { Import-ConvModel -Path $R18.Onnx @Arguments -ErrorAction Stop } | Should -Throw -ExpectedMessage $Message
    }

    It 'refuses preprocessing parameters for a state dict of a built-in architecture' {
        { Import-ConvModel -Path $R18.Onnx -Architecture resnet18 -Preset torchvision -ErrorAction Stop } | Should -Throw -ExpectedMessage '*describe an ONNX model*'
    }
}
