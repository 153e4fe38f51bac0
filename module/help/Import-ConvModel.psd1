@{
    Synopsis    = 'Loads a convolutional network for ConvViz: the embedded pretrained ResNet-18, a built-in architecture, an ONNX file or a PyTorch state dict.'
    Description = @'
With no arguments, or with -Name resnet18, Import-ConvModel returns the ImageNet-trained ResNet-18 that ships with the module (from NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1), with its own preprocessing. Nothing is downloaded.

-Architecture builds one of the built-in architectures (zfnet, alexnet, vgg16, resnet18) with random weights from -Seed; the same seed always gives the same weights. zfnet is the network of Zeiler and Fergus (2014); the others follow torchvision's module structure and parameter names.

-Path or -LiteralPath imports a file: an ONNX model (.onnx), or a PyTorch state dict (.pth, .pt, .safetensors) for the architecture named by -Architecture. State dicts are read without running any code from the file.

To export torchvision's pretrained AlexNet or VGG16 once with Python:

python -c "import torch, torchvision; torch.save(torchvision.models.alexnet(weights='DEFAULT').state_dict(), 'alexnet.pth')"

python -c "import torch, torchvision; torch.save(torchvision.models.vgg16(weights='DEFAULT').state_dict(), 'vgg16.pth')"
'@
    Parameters  = @{
        Name         = 'The embedded pretrained model to load. resnet18 is the one that ships with ConvViz and the default.'
        Architecture = 'A built-in architecture: zfnet, alexnet, vgg16 or resnet18. Alone, it gives random weights from -Seed; with -Path, it names the architecture the state dict belongs to.'
        Seed         = 'The seed of the random initialisation (Kaiming normal for convolutions, as torchvision does). Default 0.'
        Path         = 'The model file to import, wildcards allowed (they must match exactly one file).'
        LiteralPath  = 'The model file to import, taken literally (no wildcards).'
        Device       = 'Where the model runs: cpu, cuda, cuda:N or auto (CUDA when TorchSharp reports it, else the CPU). Default auto.'
    }
    Inputs      = @(@{ Type = 'System.String'; Description = 'A path (by property name: FullName, PSPath, LiteralPath).' })
    Outputs     = 'A ConvViz.Model for -Model of the other ConvViz cmdlets.'
    Notes       = 'Models named by string (-Model resnet18 on other cmdlets) are imported once per session and reused.'
    Examples    = @(
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
    )
    Links       = @('Get-ConvLayer')
}
