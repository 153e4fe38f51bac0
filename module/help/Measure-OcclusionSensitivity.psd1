@{
    Synopsis    = 'Maps how much each part of an image matters to a model, by sliding an occluding square over it (Zeiler & Fergus 2014, section 4.2).'
    Description = @'
Measure-OcclusionSensitivity fits each image to the model input (as every ConvViz cmdlet does: EXIF orientation, the model's resize and centre crop), then covers it, one position at a time, with a square of -PatchSize pixels filled with -Fill, and runs the model on every occluded copy, -BatchSize copies per forward pass.

The positions form a grid over the model input: cells of -Stride x -Stride pixels, row-major, Rows = ceil(height / Stride) and Cols = ceil(width / Stride), the last row and column narrower when Stride does not divide the size. The cells tile the input exactly. For each cell the occluder is the PatchSize square centred on the cell, clipped to the input (near the border part of it falls outside, as in the paper). Cells lists, for each cell, its box and the occluder's box in model-input pixels and in the original image's pixels.

For each position the result holds:
- Probability: the probability of -Class (default: the top class of the unoccluded image) and TopClass: the most probable class, for classifiers (models whose output is logits or probabilities).
- Activation: the total (summed) activation of one feature map, for every model: -Layer and -Unit, by default the last layer with a C x H x W output and its unit with the largest summed activation on the unoccluded image (the paper's "strongest feature map").
- Distance: for feature extractors (such as the embedded pretrained ResNet-18, which outputs 512 features), the cosine distance of the output vector from the unoccluded one.

-HeatMapPath draws the Probability map (Distance for feature extractors) over the image, at the image's size; Export-HeatMap draws any of the maps.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        Path        = 'The images, wildcards allowed. Accepts strings from the pipeline.'
        LiteralPath = 'The images, taken literally (no wildcards). Accepts FileInfo objects from Get-ChildItem by property name.'
        Model       = 'A ConvViz.Model from Import-ConvModel, the path of an ONNX file, or a built-in name (resnet18, or an architecture of Import-ConvModel -Architecture with seed 0). Default resnet18, the embedded pretrained network.'
        Class       = 'The class whose probability is mapped: an index or a class name (classifiers only). Default: the top class of the unoccluded image.'
        Layer       = 'The layer of the feature map whose total activation is mapped. Default: the last layer with a C x H x W output.'
        Unit        = 'The unit (channel) of -Layer. Default: the unit with the largest summed activation on the unoccluded image.'
        PatchSize   = 'The side of the occluding square, in model-input pixels. Default 32.'
        Stride      = 'The distance between occluder positions, and the side of a grid cell, in model-input pixels. Default 8.'
        Fill        = 'What the square is filled with: Mean (the image''s own mean colour, the default), Gray (half the pixel range, the paper''s grey square) or Zero (black).'
        BatchSize   = 'How many occluded copies go through the model together; bounds memory. Default 32.'
        HeatMapPath = 'Also draws the map over the image and saves it here (.png or .jpg). {0} in the path becomes the image''s file name without extension, for one file per image. Honours -WhatIf.'
    }
    Defaults    = @{ Model = 'resnet18'; Class = 'The top class of the unoccluded image'; Layer = 'The last layer with a C x H x W output'; Unit = 'The unit with the largest summed activation' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'Image paths (by value, or by property name: FullName, PSPath, LiteralPath).' })
    Outputs     = 'One ConvViz.OcclusionMap per image: ImagePath, ModelName, Class and ClassName, BaselineProbability, Layer, Unit, BaselineActivation, Rows, Cols, PatchSize, Stride, Fill, the maps Probability, TopClass, Activation and Distance as [row, col] arrays, and Cells.'
    Notes       = 'Correspondence analysis (the paper''s section 4.3, Table 1) is Measure-Correspondence. Errors: ImageReadFailed (per image, the message names the file and the reason), InvalidClass, LayerNotFound, InvalidOcclusionSettings (terminating), OcclusionFailed, HeatMapWriteFailed.'
    Examples    = @(
        @{
            Title   = 'Where ZFNet looks in a photo'
            Code    = @'
$photo = Join-Path (Get-Module ConvViz).ModuleBase 'Samples/chelsea.jpg'
Measure-OcclusionSensitivity -Path $photo -Model zfnet -PatchSize 48 -Stride 32 -Fill Gray
'@
            Remarks = 'Occludes a 7 x 7 grid of positions with a grey 48-pixel square and returns the map of the top class''s probability, the top class per position and the activation of the strongest conv5 map.'
        }
        @{
            Title   = 'A heat map over the image'
            Code    = @'
$photo = Join-Path (Get-Module ConvViz).ModuleBase 'Samples/chelsea.jpg'
$map = Measure-OcclusionSensitivity -Path $photo -Model zfnet -Layer conv3 -PatchSize 64 -Stride 56
$map | Export-HeatMap -Path (Join-Path ([IO.Path]::GetTempPath()) 'chelsea-conv3.png') -Map Activation -Overlay
'@
            Remarks = 'Maps the total activation of the strongest conv3 feature map and draws it over the photo, at the photo''s size.'
        }
    )
    Links       = @('Export-HeatMap', 'Measure-Invariance', 'Import-ConvModel')
}
