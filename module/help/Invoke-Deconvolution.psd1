@{
    Synopsis    = 'Projects activations back to pixel space with a deconvnet (Zeiler & Fergus), guided backpropagation or the plain gradient.'
    Description = @'
Invoke-Deconvolution takes ConvViz.Activation records (from Get-TopActivations) or one or more images with -Path, -Layer and -Unit, and returns a ConvViz.Projection for each: what in the input made that unit fire.

-Method Deconvnet follows Zeiler & Fergus (2014) exactly. The image is run forward again and the max-pool switches (the argmax of every pooling window) are recorded. All activations of the layer but the chosen one are set to zero (-KeepFeatureMap keeps the unit's whole map), and the signal goes down layer by layer: a max-pool unpools through its switches (where windows overlap, values routed to one position add up); a ReLU rectifies the signal; a convolution filters with its own weights transposed, without bias, respecting stride, padding, dilation and groups. Batch-norm contributes its linear scale, a residual add sends the signal down both branches, average pools, concatenations, slices, reshapes and linear layers apply their exact linear adjoints. Local response normalisation is passed through unchanged by Deconvnet (the paper's deconvnet has no inverse for it) and differentiated exactly by the other methods.

-Method GuidedBackprop (Springenberg et al. 2015) also masks each ReLU by its forward sign; -Method Gradient (Simonyan et al. 2014) only masks (the plain gradient). All three start from the activation's own value. Several methods (-Method Deconvnet, GuidedBackprop) come from ONE forward pass: the switches and ReLU states are recorded once and the signal goes down once per method; Method and Reconstruction are the first, Methods and Reconstructions hold each in order.

Without -Method each layer gets its default from the graph below the unit: Deconvnet when (1) every node from the input up to the unit is one of the paper's ops (convolution, ReLU, max-pool, LRN, fully connected, or an op that only moves values: padding, flatten, dropout, an adaptive average pool that keeps the size, constant input normalisation before the first convolution) -- no residual addition, concatenation, batch-norm or average pooling -- and (2) when a ReLU lies below the unit, a max-pool lies on the way down too (below the unit, or the unit's own pooled output) (its switches are what make a deconvnet projection specific to the image). GuidedBackprop otherwise. So zfnet, alexnet and vgg16 get Deconvnet and ResNet-18 gets GuidedBackprop, on which a deep unit's deconvnet projection is exact but mostly checkerboard noise.

-Crop Field (the default) cuts the projection and the patch to the unit's theoretical receptive field. -Crop Effective cuts both to the smallest box (by area) inside the field that holds -CropMass (default 0.95) of the projection's absolute mass (summed over channels; the first method's projection), grown around its centre to at least -MinCropSize model-input pixels a side (default 32, never beyond the field), and mapped back to original-image pixels through the resize and crop (edges outward). Deep fields cover the whole input; the effective box shows the part of the photo that drives the unit. InputBox and PatchBox are the box shown (model-input and original pixels), FieldInputBox and FieldPatchBox the theoretical field, CropShare the share of mass inside.

A Projection carries the activation, the reconstruction cropped to the unit's receptive field (Reconstruction: 3 x Height x Width floats, RGB, unnormalised; -IncludeFull adds FullReconstruction over the whole model input) and the matching crop of the original image (Patch, PatchHeight x PatchWidth x 3 bytes). Display scaling is done by Export-PatchGrid. Records of one image share one forward pass; images are processed -BatchSize at a time.
'@
    Parameters  = @{
        InputObject    = 'ConvViz.Activation records, usually from Get-TopActivations.'
        Path           = 'Images to project activations of (wildcards allowed), with -Layer and -Unit.'
        LiteralPath    = 'Images, taken literally.'
        Layer          = 'The layer of the unit (with -Path).'
        Unit           = 'The unit or units (with -Path).'
        Position       = 'The feature-map position y, x (with -Path). Default: the unit''s strongest position in each image.'
        Stage          = 'Activation (default), PreActivation or Pooled (with -Path).'
        Model          = 'The model. Default: the model the records carry, or resnet18.'
        Method         = 'Deconvnet, GuidedBackprop or Gradient, or several (one forward pass). Default: per layer, from the graph (see the description).'
        Crop           = 'Field (default): the theoretical receptive field. Effective: the smallest box holding -CropMass of the projection''s absolute mass.'
        CropMass       = 'With -Crop Effective: the share of the projection''s absolute mass the box holds, 0.01 to 1. Default 0.95.'
        MinCropSize    = 'With -Crop Effective: the smallest side of the box, in model-input pixels. Default 32.'
        KeepFeatureMap = 'Keep the unit''s whole feature map instead of the single activation.'
        IncludeFull    = 'Also return the projection over the whole model input (FullReconstruction).'
        BatchSize      = 'Images per forward pass. Default 8.'
    }
    Defaults    = @{ Model = 'The records'' model, else resnet18' }
    Inputs      = @(@{ Type = 'ConvViz.Activation'; Description = 'Top activations.' })
    Outputs     = 'ConvViz.Projection records.'
    Examples    = @(
        @{
            Title   = 'Project the top activations of a few units'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Get-TopActivations -Path $photos -Layer layer2.0.conv1 -Unit 0..1 -Top 3 | Invoke-Deconvolution
'@
            Remarks = 'Six projections: three per unit, each with its patch.'
        }
        @{
            Title   = 'One image, one unit, guided backprop'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Invoke-Deconvolution -Path (Join-Path $photos 'chelsea.jpg') -Layer layer3 -Unit 5 -Method GuidedBackprop |
    Select-Object Layer, Unit, Value, Height, Width, Peak
'@
            Remarks = 'Projects unit 5 of layer3 at its strongest position in the photo.'
        }
        @{
            Title   = 'Both methods side by side, cut to the effective receptive field'
            Code    = @'
$photos = Join-Path (Get-Module ConvViz).ModuleBase 'Samples'
Invoke-Deconvolution -Path (Join-Path $photos 'chelsea.jpg') -Layer layer4 -Unit 7 -Method Deconvnet, GuidedBackprop -Crop Effective |
    Select-Object Methods, Value, InputBox, PatchBox, FieldPatchBox, CropShare
'@
            Remarks = 'One forward pass, two projections; the patch is the part of the photo holding 95% of the projection, not the whole photo.'
        }
    )
    Links       = @('Get-TopActivations', 'Export-PatchGrid')
}
