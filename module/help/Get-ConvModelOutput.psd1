@{
    Synopsis    = 'Returns a model''s final output for images: class probabilities for a classifier, the feature vector for an extractor.'
    Description = @'
Get-ConvModelOutput fits each image to the model's input (its size and preprocessing are part of the model) and runs it through. For a model that ends in a classifier it returns the -Top most probable classes as ConvViz.Prediction records, with ImageNet class names for 1000-class models. For a feature extractor, such as the embedded ResNet-18 (512 features after the global pool), it returns a ConvViz.FeatureVector; its CosineSimilarity method compares two images.
'@
    Parameters  = @{
        Path        = 'Images (wildcards allowed).'
        LiteralPath = 'Images, taken literally.'
        Model       = 'The model. Default resnet18.'
        Top         = 'Classes per image for classifiers. Default 5.'
        BatchSize   = 'Images per forward pass. Default 16.'
    }
    Defaults    = @{ Model = 'resnet18' }
    Inputs      = @(@{ Type = 'System.String'; Description = 'Image paths.' })
    Outputs     = 'ConvViz.Prediction or ConvViz.FeatureVector records.'
    Examples    = @(
        @{
            Title   = 'Nearest neighbours by cosine similarity of the pretrained features'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
$v = Get-ChildItem $photos -File | Get-ConvModelOutput
$left = $v | Where-Object { $_.ImagePath -like '*chelsea*' }
$v | Where-Object { $_ -ne $left } | Sort-Object { -$left.CosineSimilarity($_) } | Select-Object -First 3 ImagePath, @{ n = 'Similarity'; e = { $left.CosineSimilarity($_) } }
'@
            Remarks = 'Ranks the other sample photos by how close their 512 pretrained features are to the cat''s; on a folder of your own photos (Get-ChildItem ~/Pictures -File), the nearest ones show the same kind of object.'
        }
        @{
            Title   = 'Class probabilities of a classifier'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-ConvModelOutput -Path (Join-Path $photos 'chelsea.jpg') -Model (Import-ConvModel -Architecture alexnet) -Top 3
'@
            Remarks = 'With random weights the classes mean nothing; load a state dict with Import-ConvModel -Path alexnet.pth -Architecture alexnet for real ones.'
        }
    )
    Links       = @('Import-ConvModel')
}
