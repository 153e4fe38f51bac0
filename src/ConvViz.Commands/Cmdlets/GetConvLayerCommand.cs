using System;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;

namespace ConvViz.Commands.Cmdlets;

/// <summary>Lists a model's layers with output shape, receptive field, jump, start and parameter count.</summary>
[Cmdlet(VerbsCommon.Get, "ConvLayer")]
[OutputType(typeof(Layer))]
public sealed class GetConvLayerCommand : ConvVizCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model Model { get; set; } = null!;

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string[]? Layer { get; set; }

    protected override void ProcessRecord()
    {
        var model = Model ?? ModelOrFail();
        try
        {
            foreach (var layer in LayerRecords.For(model, Layer)) WriteObject(layer);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is Engine.Models.LayerNotFoundException ? "LayerNotFound" : "GetLayerFailed", Layer is null ? model.Name : string.Join(",", Layer));
        }
    }

    private Model ModelOrFail()
    {
        try { return ModelCatalog.Get(ModelCatalog.DefaultName); }
        catch (Exception e) { Fail(e, "ModelUnavailable", ModelCatalog.DefaultName); throw; }
    }
}
