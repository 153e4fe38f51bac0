@{
    Synopsis    = 'Optimises an image from noise to drive a unit: what the unit "wants to see" (feature visualisation by optimisation).'
    Description = @'
New-FeatureVisualization follows Olah, Mordvintsev & Schubert, "Feature Visualization" (Distill 2017), as Lucid does it, through the model's own graph with autograd. For each unit it returns a ConvViz.FeatureVisualization record: the image (3 x Size x Size floats in the model's raw RGB range [0, PixelMax]), the value the unit reaches on it (Value: the objective's quantity; Max: the largest value of the unit's map) and on the random start (StartValue), the steps and the seed.

How the image is made:
- Parameterisation: 2-D real Fourier coefficients scaled by 1/frequency (decay power 1), turned into an image by the orthonormal inverse FFT, then through a fixed 3x3 colour-decorrelation matrix (the square root of the RGB covariance of the demo photos, see DEVELOPERS.md) and a sigmoid into [0, PixelMax]. The model's normalisation is part of its graph.
- Transformation robustness at each step (ranges at 224 px, scaled with -Size): pad 16 px with mid-grey; shift uniform in [-12, 12] px per axis; scale from 0.90 to 1.10 in steps of 0.02; rotation uniform in [-10, 10] degrees. -Transform None turns them off.
- Objectives: Channel, the mean of the unit's map; Neuron, the unit at the centre of its map (row H/2, column W/2). -Negative minimises instead: what suppresses the unit.
- Adam (beta 0.9 / 0.999, eps 1e-8), learning rate 0.05 (Lucid's default; -LearningRate).
- Units of one layer are optimised -BatchSize at a time in one batch (one image each; memory is bounded by the batch). Each unit has its own seeded generator for its start and its transforms, so on the CPU a seed gives the same image.

Layer and unit bind from Get-TopActivations records (Layer, Unit, Stage, Model; the k records of a unit give one image) and from Get-ConvLayer records (Name: every unit of the layer unless -Unit is given). Pipe the records to Export-PatchGrid (one panel per unit, or a column beside the unit's patches) or Export-ConvVizReport (beside each unit's top-k).
'@
    Parameters  = @{
        Model        = 'The model (a model object, a built-in name or a model file). Default resnet18. Binds from the Model property of piped records.'
        Layer        = 'The layer: a ConvViz layer name (read at -Stage) or a torchvision module name. Binds from Layer (Get-TopActivations) or Name (Get-ConvLayer).'
        Unit         = 'Units (channels) of the layer. Default: every unit of the layer.'
        Stage        = 'Activation (default), PreActivation or Pooled: where the unit is read. A dead unit after a ReLU has no gradient; PreActivation avoids that.'
        Objective    = 'Channel (default): the mean of the unit''s map. Neuron: the unit at the centre position of its map.'
        Negative     = 'Minimise the objective instead of maximising it.'
        Size         = 'Side of the square image in pixels (default: the model''s input width, 224 for resnet18). The image sits at native scale in the centre of the model''s input frame: mid-grey around it when smaller, cropped when larger.'
        Steps        = 'Optimisation steps (default 512).'
        Seed         = 'Seed of the random start and transforms (default 0). The same seed gives the same image on the CPU.'
        BatchSize    = 'Images optimised together (default 8).'
        LearningRate = 'Adam''s learning rate on the Fourier coefficients (default 0.05).'
        Transform    = 'Standard (default): random pad, shift, scale and rotation each step. None: no transforms.'
        Device       = 'cpu, cuda, cuda:N or auto (default): where the optimisation runs; the model is moved there.'
    }
    Defaults    = @{ Model = 'resnet18'; Size = 'the model''s input width' }
    Inputs      = @(@{ Type = 'ConvViz.Activation, ConvViz.Layer'; Description = 'Records whose Layer/Name, Unit, Stage and Model bind by property name.' })
    Outputs     = 'ConvViz.FeatureVisualization records.'
    Examples    = @(
        @{
            Title   = 'Four units of the first layer, small and quick'
            Code    = @'
New-FeatureVisualization -Layer conv1 -Unit 0, 1, 2, 3 -Objective Neuron -Stage PreActivation -Size 48 -Steps 8 -Seed 1 |
    Format-Table Layer, Unit, Objective, StartValue, Value
'@
            Remarks = 'Value (the centre neuron on the final image) is above StartValue (on the random start): the optimisation drove each unit up. Real use takes the defaults (the model''s input size, 512 steps).'
        }
        @{
            Title   = 'What suppresses a unit, drawn as a sheet'
            Code    = @'
$sheet = Join-Path ([IO.Path]::GetTempPath()) 'conv1-negative.png'
New-FeatureVisualization -Layer conv1 -Unit 5 -Objective Neuron -Negative -Stage PreActivation -Size 48 -Steps 8 |
    Export-PatchGrid -Path $sheet -PassThru
'@
            Remarks = 'One panel per record.'
        }
    )
    Links       = @('Get-TopActivations', 'Export-PatchGrid', 'Export-ConvVizReport', 'Get-ConvLayer')
}
