using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Grid;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;

namespace ConvViz.Commands.Cmdlets;

/// <summary>Returns the activation maps of one layer for each image (the slide's "6×6×256").</summary>
[Cmdlet(VerbsCommon.Get, "FeatureMap", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(FeatureMap))]
public sealed class GetFeatureMapCommand : ConvVizWriterCmdlet
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

    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string Layer { get; set; } = "";

    [Parameter]
    [ValidateSet("Activation", "PreActivation", "Pooled", IgnoreCase = true)]
    public string Stage { get; set; } = "Activation";

    /// <summary>Also draw each image's maps as a grid of heat maps into this folder (one PNG per image).</summary>
    [Parameter]
    public string? HeatMapFolder { get; set; }

    private LayerSpec? _layer;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _paths = new ImagePathCollector(this);
        try
        {
            Model ??= ModelCatalog.Get(ModelCatalog.DefaultName);
            _layer = Model.Engine.Layers.Get(Layer);
            _layer.NodeFor(Enum.Parse<Stage>(Stage, true)); // a module name has no stages: refuse before any work
            if (HeatMapFolder is not null && !Directory.Exists(GetUnresolvedProviderPathFromPSPath(HeatMapFolder)))
                throw new DirectoryNotFoundException($"Heat-map folder '{HeatMapFolder}' does not exist.");
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is LayerNotFoundException ? "LayerNotFound" : "InvalidArgument", Layer);
        }
    }

    protected override void ProcessRecord()
        => _paths!.Add(ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet, recurse: false);

    protected override void EndProcessing()
    {
        int node = _layer!.NodeFor(Enum.Parse<Stage>(Stage, true));
        try
        {
            foreach (var t in ImageTaps.Run(Model!.Engine, _paths!.Files, new[] { node },
                         badImage: e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)),
                         cancellationToken: StopToken))
            {
                int c = (int)t.Shape[0], h = t.Shape.Length > 1 ? (int)t.Shape[1] : 1, w = t.Shape.Length > 2 ? (int)t.Shape[2] : 1;
                int plane = h * w, strongest = 0;
                double best = double.NegativeInfinity;
                for (int u = 0; u < c; u++)
                {
                    double sum = 0;
                    for (int i = 0; i < plane; i++) sum += t.Values[u * plane + i];
                    if (sum > best) { best = sum; strongest = u; }
                }
                var map = new FeatureMap
                {
                    ModelName = Model.Name, ImagePath = t.ImagePath, Layer = _layer.Name, Stage = Stage,
                    Channels = c, Height = h, Width = w, Values = t.Values, StrongestUnit = strongest, Max = t.Values.Max(),
                };
                if (HeatMapFolder is not null) Draw(map);
                WriteObject(map);
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, "FeatureMapFailed", Layer);
        }
        base.EndProcessing();
    }

    private void Draw(FeatureMap map)
    {
        // The folder is an output path (literal, -Force creates it); the file name comes from the image.
        var file = OutputPath(System.IO.Path.Combine(HeatMapFolder!, WildcardPattern.Escape($"{System.IO.Path.GetFileNameWithoutExtension(map.ImagePath)}.{map.Layer}.png")));
        if (!ShouldProcess(file, "Write feature-map heat maps")) return;
        SheetFiles.SaveFeatureMaps(new FloatPlanes(map.Values, map.Channels, map.Height, map.Width), new FeatureMapOptions(), file);
    }
}
