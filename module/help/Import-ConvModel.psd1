@{
    Synopsis    = 'Loads a convolutional network for ConvViz: the embedded pretrained ResNet-18, a built-in architecture, an ONNX file or a PyTorch state dict.'
    Description = @'
With no arguments, or with -Name resnet18, Import-ConvModel returns the ImageNet-trained ResNet-18 that ships with the module (from NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), with its own preprocessing. Nothing is downloaded.

-Architecture builds one of the built-in architectures with random weights from -Seed; the same seed always gives the same weights. zfnet is the network of Zeiler and Fergus (2014); alexnet, vgg11, vgg13, vgg16, vgg19 (each also with batch-norm: vgg11_bn ... vgg19_bn) and resnet18, resnet34, resnet50, resnet101, resnet152 are torchvision's models module for module: the same modules, parameter names, shapes and computation, so a torchvision state dict gives PyTorch's outputs.

-Path or -LiteralPath imports a file: an ONNX model (.onnx), or a PyTorch state dict (.pth, .pt, .safetensors) for the architecture named by -Architecture. A training checkpoint (a dict with the state dict under state_dict, model_state_dict, model or net, beside plain metadata such as epoch, optimizer state, numbers, strings, lists and dicts) loads too, and a "module." prefix on every name (DataParallel) is stripped; -Verbose says which. State dicts are read without running any code from the file: a pickle that names any Python object but tensors, OrderedDict and plain builtin values is refused. A PyTorch file without -Architecture is an error that names the built-in the file fits, if any; a state dict that does not fit -Architecture lists every difference and names the built-in it fits or the nearest one. A model with no convolution is refused at import (ErrorId NoConvolution).

Layer names: ConvViz's own layer names (conv1 ... conv5 and fc6 ... fc8 in zfnet and alexnet, conv1_1 ... conv5_3 and fc6 ... fc8 in the vggs, conv1, layerS.B.convK, layerS.B and layerS in the resnets) are a conv with its batch-norm, ReLU and pool, read at the stage -Stage picks (Activation by default). torchvision's module names (features.10, classifier.4, avgpool, bn1, layer2.0.bn1, layer3.0.downsample.1, ...) address exactly that module's output, the tensor a PyTorch forward hook on that module sees: in alexnet features.10 is the conv5 convolution's output and features.11 its ReLU. They take no -Stage. In the resnets, conv1 and layerS.B.convK are ConvViz layer names (the convolution with its batch-norm): the batch-normed value is also torchvision's bn1 / layerS.B.bnK.

To export torchvision's pretrained AlexNet, VGG16 or ResNet-50 once with Python:

python -c "import torch, torchvision; torch.save(torchvision.models.alexnet(weights='DEFAULT').state_dict(), 'alexnet.pth')"

python -c "import torch, torchvision; torch.save(torchvision.models.vgg16(weights='DEFAULT').state_dict(), 'vgg16.pth')"

python -c "import torch, torchvision; torch.save(torchvision.models.resnet50(weights='DEFAULT').state_dict(), 'resnet50.pth')"

An ONNX file does not say how its input was preprocessed. Declare it with -Preset (torchvision: RGB in [0, 1], ImageNet mean and std, shorter side resized then the centre cropped; caffe: BGR 0-255 minus the ImageNet BGR mean, stretched; raw: RGB 0-255 unchanged, stretched), or with -InputSize, -PixelRange, -Mean, -Std, -ChannelOrder and -Resize, which override the preset one by one. A file may declare the same in its metadata_props (convviz.preset, convviz.input_size, convviz.pixel_range, convviz.channel_order, convviz.mean, convviz.std, convviz.resize, convviz.resize_to); parameters override the file. When neither says anything, Import-ConvModel warns and the model's Preprocessing says the input convention is unknown. The channel order and the normalisation become nodes in front of the imported graph, so projections still come back as RGB pixels. Get-Help about_ConvViz_Models lists the supported ONNX operators and their projection rules.

To export a torchvision model for ConvViz with Python:

python -c "import torch, torchvision; m = torchvision.models.mobilenet_v3_small(weights='DEFAULT').eval(); torch.onnx.export(m, torch.zeros(1, 3, 224, 224), 'mobilenet_v3_small.onnx', opset_version=13)"
'@
    Parameters  = @{
        Name         = 'The embedded pretrained model to load. resnet18 is the one that ships with ConvViz and the default.'
        Architecture = 'A built-in architecture: zfnet, alexnet, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn, resnet18, resnet34, resnet50, resnet101 or resnet152. Alone, it gives random weights from -Seed; with -Path, it names the architecture the state dict belongs to.'
        Seed         = 'The seed of the random initialisation (Kaiming normal for convolutions, as torchvision does). Default 0.'
        Path         = 'The model file to import, wildcards allowed (they must match exactly one file).'
        LiteralPath  = 'The model file to import, taken literally (no wildcards).'
        Preset       = 'The input convention of an ONNX model: torchvision (RGB in [0, 1], mean 0.485,0.456,0.406, std 0.229,0.224,0.225, shorter side to input/0.875 then centre crop), caffe (BGR in [0, 255] minus 103.939,116.779,123.68, stretched) or raw (RGB 0-255 unchanged, stretched). The other preprocessing parameters override parts of it.'
        InputSize    = 'The ONNX model''s input size: one number (square) or height, width. Default: the file''s fixed input size, or 224 where it is symbolic.'
        PixelRange   = 'The range the ONNX model''s pixels are in before -Mean and -Std: 1 (RGB scaled to [0, 1]) or 255.'
        Mean         = 'Per-channel mean subtracted from the pixels, in the model''s channel order and in -PixelRange units (one value for all channels, or one per channel).'
        Std          = 'Per-channel standard deviation the pixels are divided by after the mean, in the model''s channel order and in -PixelRange units.'
        ChannelOrder = 'The channel order the ONNX model expects: RGB or BGR. ConvViz reorders the photo''s RGB pixels in the graph.'
        Resize       = 'How photos are fitted to the input size: CenterCrop (torchvision''s eval transform: the shorter side to input/0.875, then the centre cropped) or Stretch (the whole photo resized to the input size).'
        Device       = 'Where the model runs: cpu, cuda, cuda:N or auto (CUDA when TorchSharp reports it, else the CPU). Default auto.'
    }
    Inputs      = @(@{ Type = 'System.String'; Description = 'A path (by property name: FullName, PSPath, LiteralPath).' })
    Outputs     = 'A ConvViz.Model for -Model of the other ConvViz cmdlets.'
    Notes       = 'Models named by string (-Model resnet18 or -Model ./my.onnx on other cmdlets) are imported once per session and reused; a path is a model file, never an architecture name.'
    Examples    = @(
        @{
            Title   = 'A torchvision model exported to ONNX'
            Code    = @'
$onnx = Join-Path (Split-Path (Get-Module ConvViz).Path) 'models/ResNet18.onnx'
$m = Import-ConvModel -Path $onnx -Preset caffe
$m.Preprocessing
'@
            Remarks = 'Imports the ONNX ResNet-18 that ships with ConvViz (a CNTK export that expects BGR pixels minus the ImageNet mean) with the caffe preset, and shows the preprocessing in use. For an ONNX export of a torchvision model (the Python line in the description) use -Preset torchvision.'
        }
        @{
            Title   = 'The paper''s network with random weights'
            Code    = @'
$zf = Import-ConvModel -Architecture zfnet -Seed 1
$zf | Get-ConvLayer -Layer conv*
'@
            Remarks = 'Builds ZFNet (Zeiler & Fergus 2014) with weights drawn from seed 1 and lists its convolutional layers with their output shapes and receptive fields.'
        }
        @{
            Title   = 'Built-in architectures side by side'
            Code    = @'
'zfnet', 'alexnet', 'resnet18' | ForEach-Object { Import-ConvModel -Architecture $_ -Device cpu }
'@
            Remarks = 'Returns one ConvViz.Model per architecture, shown as a table with input, output kind, layer and parameter counts.'
        }
        @{
            Title   = 'A training checkpoint, and a torchvision module name'
            Code    = @'
$arch = 'alexnet'
$file = Join-Path ([IO.Path]::GetTempPath()) 'checkpoint.pth'
python3 -c "import torch, torchvision; torch.save({'epoch': 3, 'state_dict': torchvision.models.$arch().state_dict()}, r'$file')"
$m = Import-ConvModel -Path $file -Architecture $arch -Verbose
$m | Get-ConvLayer -Layer conv5, features.10, features.11
'@
            Remarks = 'Loads the state dict from the checkpoint''s state_dict entry (the verbose output says so), then shows ConvViz''s layer conv5 beside torchvision''s modules features.10 (the convolution''s output) and features.11 (its ReLU). Needs Python with torch and torchvision.'
        }
    )
    Links       = @('Get-ConvLayer')
}
