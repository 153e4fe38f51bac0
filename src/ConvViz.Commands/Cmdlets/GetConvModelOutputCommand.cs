using System;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Runs images through a model and returns its final output: the most probable classes for a
/// classifier (with ImageNet names for 1000-class models), the feature vector for an extractor.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ConvModelOutput", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Prediction), typeof(FeatureVector))]
public sealed class GetConvModelOutputCommand : ConvVizCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private ImagePathCollector? _paths;

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    /// <summary>How many classes to return per image (classifiers only).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Top { get; set; } = 5;

    [Parameter]
    [ValidateRange(1, 1024)]
    public int BatchSize { get; set; } = 16;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _paths = new ImagePathCollector(this);
        try { Model ??= ModelCatalog.Get(ModelCatalog.DefaultName); }
        catch (Exception e) when (e is not PipelineStoppedException) { Fail(e, "ModelUnavailable", ModelCatalog.DefaultName); }
    }

    protected override void ProcessRecord()
        => _paths!.Add(ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet, recurse: false);

    protected override void EndProcessing()
    {
        var engine = Model!.Engine;
        try
        {
            foreach (var t in ImageTaps.Run(engine, _paths!.Files, new[] { engine.Graph.OutputNode }, BatchSize,
                         badImage: e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)),
                         cancellationToken: StopToken))
            {
                if (engine.Output == ModelOutputKind.Features) WriteObject(Vector(t));
                else foreach (var p in Predictions(engine, t)) WriteObject(p);
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
        catch (Exception e) when (e is not PipelineStoppedException) { Fail(e, "ModelOutputFailed", Model.Name); }
        base.EndProcessing();
    }

    private FeatureVector Vector(TappedImage t)
        => new() { ModelName = Model!.Name, ImagePath = t.ImagePath, Values = t.Values, Norm = Math.Sqrt(t.Values.Sum(v => (double)v * v)) };

    private System.Collections.Generic.IEnumerable<Prediction> Predictions(ConvModel engine, TappedImage t)
    {
        var v = t.Values;
        double[] p;
        if (engine.Output == ModelOutputKind.Probabilities) p = v.Select(x => (double)x).ToArray();
        else
        {
            double max = v.Max();
            var e = v.Select(x => Math.Exp(x - max)).ToArray();
            double sum = e.Sum();
            p = e.Select(x => x / sum).ToArray();
        }
        var names = engine.ClassNames;
        return p.Select((prob, i) => (prob, i)).OrderByDescending(x => x.prob).ThenBy(x => x.i).Take(Top)
            .Select((x, rank) => new Prediction
            {
                ModelName = Model!.Name, ImagePath = t.ImagePath, Rank = rank + 1, Class = x.i,
                ClassName = names is not null && x.i < names.Count ? names[x.i] : $"class {x.i}", Probability = (float)x.prob,
            });
    }
}
