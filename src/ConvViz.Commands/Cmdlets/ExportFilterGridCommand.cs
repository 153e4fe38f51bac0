using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Grid;
using ConvViz.Engine.Projection;

namespace ConvViz.Commands.Cmdlets;

/// <summary>Draws a model's first-layer filters as colour tiles (Zeiler and Fergus, Figure 6).</summary>
[Cmdlet(VerbsData.Export, "FilterGrid", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportFilterGridCommand : ConvVizWriterCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    /// <summary>The layer to draw; default the model's first conv layer.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string? Layer { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int Columns { get; set; } = 16;

    [Parameter]
    [ValidateRange(4, 512)]
    public int CellSize { get; set; } = 56;

    [Parameter]
    [ValidateSet("Symmetric", "MinMax", "Absolute", IgnoreCase = true)]
    public string Normalization { get; set; } = "Symmetric";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string target = WritableOutput(Path, image: true);
        try
        {
            var model = Model ?? ModelCatalog.Get(ModelCatalog.DefaultName);
            var layer = Layer is null ? model.Engine.Layers.All.First(l => l.IsConv) : model.Engine.Layers.Get(Layer);
            if (!ShouldProcess(target, $"Write the filters of {model.Name} {layer.Name}")) return;
            var (weights, units, h, w) = EffectiveFilters.Of(model.Engine, layer);
            SheetFiles.SaveFilterGrid(weights, units, 3, h, w, new FilterGridOptions
            {
                Columns = Columns, CellSize = CellSize, Normalization = Enum.Parse<NormalizationMode>(Normalization, true),
            }, target);
            if (PassThru) WriteFileItem(target);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e switch
            {
                Engine.Models.LayerNotFoundException => "LayerNotFound",
                IOException => "WriteFailed",
                _ => "FilterGridFailed",
            }, target);
        }
    }
}
