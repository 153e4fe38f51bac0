using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.FeatureVisualization;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Feature visualisation by optimisation (Olah et al., Distill 2017): for each unit, an image
/// optimised from noise to drive the unit, through the model's own graph. Layer and unit bind
/// from Get-TopActivations records (Layer, Unit, Stage, Model) and Get-ConvLayer records (Name:
/// every unit of the layer unless -Unit is given). Units are collected, deduplicated and
/// optimised -BatchSize at a time once the input ends.
/// </summary>
[Cmdlet(VerbsCommon.New, "FeatureVisualization")]
[OutputType(typeof(FeatureVisualization))]
public sealed class NewFeatureVisualizationCommand : ConvVizCmdlet
{
    private readonly List<(Model Model, string Layer, string Stage, int[]? Units)> _work = new();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ModelArgument]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string Layer { get; set; } = "";

    /// <summary>Units (channels) of the layer; all of them when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [UnitRange]
    public int[]? Unit { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Activation", "PreActivation", "Pooled", IgnoreCase = true)]
    public string Stage { get; set; } = "Activation";

    /// <summary>Channel: the mean of the unit's whole map. Neuron: the unit at the centre of its map.</summary>
    [Parameter]
    [ValidateSet("Channel", "Neuron", IgnoreCase = true)]
    public string Objective { get; set; } = "Channel";

    /// <summary>Minimise instead of maximise: what suppresses the unit.</summary>
    [Parameter]
    public SwitchParameter Negative { get; set; }

    [Parameter]
    [ValidateRange(8, 1024)]
    public int Size { get; set; }

    [Parameter]
    [ValidateRange(1, 100000)]
    public int Steps { get; set; } = 512;

    [Parameter]
    public int Seed { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Adam's learning rate on the Fourier coefficients.</summary>
    [Parameter]
    [ValidateRange(1e-6, 10.0)]
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Standard: random pad, shift, scale and rotation each step (see help). None: off (tests of the parameterisation).</summary>
    [Parameter]
    [ValidateSet("Standard", "None", IgnoreCase = true)]
    public string Transform { get; set; } = "Standard";

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "auto";

    protected override void ProcessRecord()
    {
        var model = ModelOrDefault(Model);
        try
        {
            var layer = model.Engine.Layers.Get(Layer);
            layer.NodeFor(Enum.Parse<Stage>(Stage, true)); // a module name has no stages: refuse before any work
            _work.Add((model, layer.Name, Stage, Unit is { Length: > 0 } ? Unit.ToArray() : null));
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is LayerNotFoundException ? "LayerNotFound" : "InvalidArgument", Layer);
        }
    }

    protected override void EndProcessing()
    {
        var options = new VisualizationOptions
        {
            Size = Size, Steps = Steps, Seed = Seed, BatchSize = BatchSize, LearningRate = LearningRate,
            Transforms = !Transform.Equals("None", StringComparison.OrdinalIgnoreCase), Device = Device,
        };
        var objective = Enum.Parse<VisualizationObjective>(Objective, true);
        foreach (var group in _work.GroupBy(w => w.Model))
        {
            var model = group.Key;
            // Default: the model's input width (the image then fills the input; see help).
            options = options with { Size = MyInvocation.BoundParameters.ContainsKey(nameof(Size)) ? Size : model.InputWidth };
            var requests = new List<VisualizationRequest>();
            var stages = new Dictionary<VisualizationRequest, string>();
            try
            {
                foreach (var (_, layerName, stage, units) in group)
                {
                    var layer = model.Engine.Layers.Get(layerName);
                    int node = layer.NodeFor(Enum.Parse<Stage>(stage, true));
                    var shape = model.Engine.Graph.ShapeOf(node);
                    long channels = shape.Length == 0 ? 1 : shape[0];
                    foreach (var u in units ?? Enumerable.Range(0, (int)channels).ToArray())
                    {
                        if (u < 0 || u >= channels)
                            throw new ArgumentOutOfRangeException(nameof(Unit), u, $"Unit {u} is out of range for layer '{layer.Name}' of model '{model.Name}', which has {channels} units (valid: 0..{channels - 1}).");
                        var r = new VisualizationRequest(layer.Name, node, u, objective, Negative);
                        if (stages.ContainsKey(r)) continue; // k records of one unit: one visualisation
                        stages[r] = stage;
                        requests.Add(r);
                    }
                }
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                Fail(e, e switch { LayerNotFoundException => "LayerNotFound", ArgumentOutOfRangeException => "UnitOutOfRange", _ => "InvalidArgument" }, Layer);
            }
            WriteVerbose($"Optimising {requests.Count} images of model '{model.Name}' ({objective}{(Negative ? ", negative" : "")}, {options.Size} px, {Steps} steps, seed {Seed}, batch size {BatchSize}, transforms {Transform}, learning rate {LearningRate}).");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            double last = double.NegativeInfinity;
            try
            {
                foreach (var r in FeatureVisualizer.Run(model.Engine, requests, options, p =>
                         {
                             var seconds = clock.Elapsed.TotalSeconds;
                             if (seconds - last < 0.25 && p.StepsDone < p.StepsTotal) return;
                             last = seconds;
                             var record = new ProgressRecord(3, "Optimising feature visualisations", $"batch {Math.Min(p.BatchesDone + 1, p.Batches)} of {p.Batches}, {p.StepsDone} of {p.StepsTotal} image-steps")
                             {
                                 PercentComplete = (int)(100L * p.StepsDone / Math.Max(1, p.StepsTotal)),
                             };
                             var rate = p.StepsDone / Math.Max(seconds, 1e-3);
                             if (rate > 0) record.SecondsRemaining = (int)Math.Ceiling((p.StepsTotal - p.StepsDone) / rate);
                             WriteProgress(record);
                         }, StopToken))
                {
                    WriteObject(new FeatureVisualization
                    {
                        ModelName = model.Name, WeightsSha256 = model.WeightsSha256, ModelSource = model.Source, Model = model,
                        Layer = r.Request.Layer, Stage = stages[r.Request], Unit = r.Request.Unit, Objective = r.Request.Objective.ToString(),
                        Negative = r.Request.Negative, Width = r.Size, Height = r.Size, PixelMax = r.PixelMax, Pixels = r.Pixels,
                        Value = r.Value, Max = r.Max, StartValue = r.StartValue, Steps = r.Steps, Seed = r.Seed, Transforms = options.Transforms,
                    });
                }
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                Fail(e, e is ArgumentException && e.Message.Contains("device", StringComparison.OrdinalIgnoreCase) ? "DeviceUnavailable" : "FeatureVisualizationFailed", Layer);
            }
        }
        WriteProgress(new ProgressRecord(3, "Optimising feature visualisations", "Done") { RecordType = ProgressRecordType.Completed });
        base.EndProcessing();
    }
}
