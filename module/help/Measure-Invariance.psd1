@{
    Synopsis    = 'Measures how a model''s layers and class probability change as an image is translated, scaled or rotated (Zeiler & Fergus 2014, Figure 5).'
    Description = @'
For each amount in -Range, Measure-Invariance transforms the ORIGINAL image with ImageSharp (so a zoom shows real detail), fits the result to the model input like any photo, and runs the model, -BatchSize images per forward pass. For each layer it reports the Euclidean distance between the flattened activations of the transformed image and of the untransformed one, and for classifiers the probability of -Class (default: the top class of the untransformed image).

-Transform Translate shifts by Amount model-input pixels (converted to whole original pixels: round(Amount / scale)), down for -Direction Vertical (the default, as in the paper), right for Horizontal, both for Both; negative amounts go up or left. Default range -60..60 in steps of 10.
-Transform Scale scales about the image centre by the factor Amount (above 1 zooms in); default 0.6..1.8 in steps of 0.1.
-Transform Rotate rotates about the centre by Amount degrees, clockwise on screen; default 0..350 in steps of 10.

The area a transform uncovers is painted with -Fill: the image's mean colour by default (so no new colour or hard edge appears), mid grey, or black (Zero, which a zero-padded conv net cannot tell from its padding). Scale and rotation resample bicubically and blend the edge into the fill; translation moves whole pixels without resampling. Amounts of no change (0 pixels, factor 1, multiples of 360 degrees) give the untransformed image exactly, so their distance is 0 up to float rounding between batch sizes.

Layers default to a low, a middle and the top layer of the model (its first, middle and last layer). -ChartPath draws the curves with ScottPlot: one chart of distance per layer, and for classifiers one of the probability, stacked in one image.
'@
    Parameters  = @{
        NoClobber = 'Refuse to replace an existing output file (error OutputExists); by default an existing file is replaced.'
        Force = 'Create the output folder when it does not exist, and replace a read-only output file.'
        Path        = 'The images, wildcards allowed. Accepts strings from the pipeline.'
        LiteralPath = 'The images, taken literally (no wildcards). Accepts FileInfo objects from Get-ChildItem by property name.'
        Transform   = 'Translate, Scale or Rotate.'
        Range       = 'The amounts to measure: model-input pixels (Translate), factors (Scale) or degrees (Rotate). Defaults as in the description.'
        Direction   = 'For Translate: Vertical (the default), Horizontal or Both (diagonal).'
        Layer       = 'The layers to compare, names or wildcards. Default: the first, middle and last layer of the model.'
        Model       = 'A ConvViz.Model from Import-ConvModel, the path of an ONNX file, or a built-in name (resnet18, or an architecture of Import-ConvModel -Architecture with seed 0). Default resnet18, the embedded pretrained network.'
        Class       = 'The class whose probability is reported: an index or a class name (classifiers only). Default: the top class of the untransformed image.'
        Fill        = 'What fills the area a transform uncovers: Mean (the image''s mean colour, the default), Gray or Zero (black).'
        BatchSize   = 'How many transformed images go through the model together; bounds memory. Default 16.'
        ChartPath   = 'Also draws the invariance curves and saves them here (.png or .jpg). {0} in the path becomes the image''s file name without extension. Honours -WhatIf.'
    }
    Defaults    = @{ Model = 'resnet18'; Layer = 'The first, middle and last layer'; Class = 'The top class of the untransformed image'; Range = 'Depends on -Transform (see the description)' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'Image paths (by value, or by property name: FullName, PSPath, LiteralPath).' })
    Outputs     = 'ConvViz.InvariancePoint records, one per amount and layer: ImagePath, ModelName, Transform, Direction, Amount, Layer, Distance, Class, ClassName, Probability.'
    Notes       = 'Errors: ImageReadFailed (per image), InvalidClass, LayerNotFound and InvalidInvarianceSettings (terminating), InvarianceFailed, ChartWriteFailed.'
    Examples    = @(
        @{
            Title   = 'Vertical translation, as in Figure 5'
            Code    = @'
$photo = Join-Path (Get-Module ConvViz).ModuleBase 'Samples/chelsea.jpg'
Measure-Invariance -Path $photo -Model zfnet -Transform Translate -Range -40, -20, 0, 20, 40 -Layer conv1, conv5, fc8
'@
            Remarks = 'The distance of conv1, conv5 and fc8 activations from the untranslated image''s, and the probability of the top class, for five shifts.'
        }
        @{
            Title   = 'Rotation curves as a chart'
            Code    = @'
$photo = Join-Path (Get-Module ConvViz).ModuleBase 'Samples/chelsea.jpg'
$chart = Join-Path ([IO.Path]::GetTempPath()) 'chelsea-rotate.png'
$points = Measure-Invariance -Path $photo -Model zfnet -Transform Rotate -Range 0, 45, 90, 180 -ChartPath $chart
$points | Group-Object Layer | ForEach-Object { [pscustomobject]@{ Layer = $_.Name; MaxDistance = ($_.Group.Distance | Measure-Object -Maximum).Maximum } }
'@
            Remarks = 'Writes the distance and probability curves to chelsea-rotate.png and summarises the largest distance per layer.'
        }
    )
    Links       = @('Measure-OcclusionSensitivity', 'Import-ConvModel')
}
