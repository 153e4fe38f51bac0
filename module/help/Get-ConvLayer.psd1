@{
    Synopsis    = 'Lists the layers of a model with output shape, receptive field, jump and parameter count.'
    Description = @'
Get-ConvLayer returns one ConvViz.Layer record per layer of the model: its name (the names -Layer accepts everywhere, with aliases), its kind (Conv, Linear, Block, Stage), its output shape C×H×W for the model's input size (and, where a max-pool follows the layer, the pooled shape: the default view's Pooled column), the receptive field of one unit in input pixels, the jump (effective stride: the input pixels between neighbouring units), the start (where unit 0's field begins; negative inside the padding), and the number of learnable parameters.

This is the table on the "What are deep ConvNets learning?" slide: why units of higher layers see larger patches.
'@
    Parameters  = @{
        Model = 'The model: a ConvViz.Model from Import-ConvModel, the path of an ONNX file, or a built-in name (resnet18 is the embedded pretrained network; zfnet, alexnet, the vggs and the other resnets are random-initialised, see Import-ConvModel). Default resnet18.'
        Layer = 'Names or wildcard patterns of the layers to list; tab completion offers the model''s names. Default: all layers.'
    }
    Defaults    = @{ Model = 'resnet18'; Layer = 'All layers' }
    Inputs      = @(@{ Type = 'ConvViz.Model'; Description = 'A model from Import-ConvModel.' })
    Outputs     = 'ConvViz.Layer records.'
    Examples    = @(
        @{
            Title   = 'The geometry of ZFNet'
            Code    = @'
Import-ConvModel -Architecture zfnet | Get-ConvLayer
'@
            Remarks = 'Shows the output shapes from 96×110×110 after conv1 to 256×13×13 after conv5, the Pooled column the shape after the max-pool that follows a layer (96×55×55 after conv1, 256×6×6 after conv5, the slide''s 6×6×256), and how the receptive field grows from 7 pixels to most of the image.'
        }
        @{
            Title   = 'Receptive fields of chosen layers'
            Code    = @'
$m = Import-ConvModel -Architecture resnet18
Get-ConvLayer -Model $m -Layer layer*.0.conv1 | Select-Object Name, OutputShape, ReceptiveField, Jump
'@
            Remarks = 'Uses a wildcard to pick the first conv of each ResNet stage.'
        }
    )
    Links       = @('Import-ConvModel')
}
