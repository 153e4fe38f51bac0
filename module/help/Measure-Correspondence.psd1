@{
    Synopsis    = 'Measures how consistently occluding the same object part changes a model''s features across images (Zeiler & Fergus 2014, section 4.3, Table 1).'
    Description = @'
Correspondence analysis asks whether a network, without being told, finds the same object part in different images. Give several images and, for each, the region (X, Y, Width, Height in pixels of the upright original image) where the part is, for example the left eye of five dog faces. For each image Measure-Correspondence occludes the region with -Fill and computes, at each layer, the change of the features epsilon = x - x_occluded, keeping only its signs. For every pair of images it counts the features whose signs differ (the Hamming distance) and divides by the number of features. Consistency is the mean of that over the pairs: 0 means that occluding the part moved every image's features the same way; lower is more consistent.

The paper's control is the same measure for squares of the same size at random places: each image is also occluded -RandomTrials times (default 10) at uniformly random positions inside the model input, seeded by -Seed so a run can be repeated. RandomConsistency is the mean over the trials, RandomStdDev the spread of the trial means, and Ratio = Consistency / RandomConsistency: clearly below 1 when the network treats the part as one thing across images.

Images can differ in size: each region is mapped to the model input through the image's own resize and crop, and a region the crop cuts away is an error for that image. A change smaller than 1e-5 of the layer's largest activation counts as no change, so float round-off where the occluder cannot reach is not read as a sign. The unoccluded image shares every batch with its occluded copies for the same reason.

Images stream in from the pipeline, grouped by -Part (a CSV with columns Path, Part and Region binds by property name; Region may be the text "x,y,w,h"). Only the sign vectors are kept: (1 + RandomTrials) bytes per feature, image and layer. The results come when the input ends, one record per part and layer. Layers default to the top layer with a C x H x W output and the model's last layer (the paper used layers 5 and 7).
'@
    Parameters  = @{
        Path         = 'The images, wildcards allowed. Accepts strings from the pipeline, or objects with a Path property (Import-Csv).'
        LiteralPath  = 'The images, taken literally (no wildcards). Accepts FileInfo objects from Get-ChildItem by property name.'
        Region       = 'Where the part is in each image: X, Y, Width, Height in pixels of the original (EXIF-upright) image, as 4 integers or the text "x,y,w,h". Binds by property name.'
        Part         = 'The name of the part (for example left-eye). Images with the same part are compared with each other; give several parts in one pipeline to measure each. Binds by property name. Default "part".'
        Layer        = 'The layers to measure, names or wildcards. Default: the top layer with a C x H x W output and the last layer of the model.'
        Model        = 'A ConvViz.Model from Import-ConvModel, the path of an ONNX file, or a built-in name (resnet18, or an architecture of Import-ConvModel -Architecture with seed 0). Default resnet18, the embedded pretrained network.'
        Fill         = 'What covers the region: Mean (the image''s mean colour, the default), Gray (the paper''s grey square) or Zero (black).'
        RandomTrials = 'How many random placements of a square of the part''s size per image, the control (0 to 1000, default 10). 0 skips the control.'
        Seed         = 'Seeds the random placements (default 0): the same seed and input give the same result.'
        BatchSize    = 'How many occluded copies go through the model together, plus the unoccluded image; bounds memory. Default 16.'
    }
    Defaults    = @{ Model = 'resnet18'; Layer = 'The top C x H x W layer and the last layer' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'Image paths, or objects with Path (or FullName/PSPath), Part and Region properties.' })
    Outputs     = 'ConvViz.Correspondence records, one per part and layer: ModelName, Part, Layer, Images, Pairs, Features, Consistency, ConsistencyStdDev, RandomTrials, RandomConsistency, RandomStdDev, Ratio, Fill, ImagePaths.'
    Notes       = 'This is the paper''s section 4.3 (Table 1). Consistency is the mean normalised Hamming distance per pair of images rather than the paper''s unnormalised sum over pairs, so layers of different sizes can be compared. Read it with the control: with few images there are few pairs, and because the random squares are elsewhere while an annotated part often sits at a similar place in every image, part of the agreement is positional, as in the paper''s own control. Errors: ImageReadFailed and InvalidRegion (per image; the rest go on), TooFewImages (a part with one image, when the input ends), LayerNotFound and InvalidCorrespondenceSettings (terminating), CorrespondenceFailed.'
    Examples    = @(
        @{
            Title   = 'The same region of three photos against random placements'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-ChildItem -LiteralPath $photos -Filter *.jpg | Select-Object -First 3 |
    Measure-Correspondence -Region 100, 100, 60, 60 -Model zfnet -RandomTrials 3
'@
            Remarks = 'One record per layer (conv5 and fc8 by default): how alike the sign changes of the three photos are when the same 60x60 square is covered, beside the same for random squares.'
        }
        @{
            Title   = 'Parts annotated in a CSV file, as in the paper''s Table 1'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
$csv = Join-Path ([IO.Path]::GetTempPath()) 'parts.csv'
@(
    [pscustomobject]@{ Path = (Join-Path $photos 'chelsea.jpg'); Part = 'centre'; Region = '200,120,50,50' }
    [pscustomobject]@{ Path = (Join-Path $photos 'coffee.jpg');  Part = 'centre'; Region = '250,150,50,50' }
    [pscustomobject]@{ Path = (Join-Path $photos 'astronaut.jpg'); Part = 'centre'; Region = '100,100,50,50' }
) | Export-Csv -LiteralPath $csv -NoTypeInformation
Import-Csv -LiteralPath $csv | Measure-Correspondence -Model zfnet -Layer conv5 -RandomTrials 2 -Fill Gray
'@
            Remarks = 'Each CSV row binds Path, Part and Region by property name. Real use would annotate one part (an eye, a wheel) per row in many images.'
        }
    )
    Links       = @('Measure-OcclusionSensitivity', 'Measure-Invariance', 'Import-ConvModel')
}
