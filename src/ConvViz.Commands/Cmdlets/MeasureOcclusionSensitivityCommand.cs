using System;
using System.Collections.Generic;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Image;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Slides an occluding square over each image and maps how the class probability, a feature
/// map's activation and (for feature extractors) the output change (Zeiler and Fergus, section 4.2).
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "OcclusionSensitivity", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(OcclusionMap))]
public sealed class MeasureOcclusionSensitivityCommand : ConvVizWriterCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);
    private Model _model = null!;
    private int? _class;

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter]

    [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
    public string? Class { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string? Layer { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Unit { get; set; }

    [Parameter]
    [ValidateRange(1, 4096)]
    public int PatchSize { get; set; } = 32;

    [Parameter]
    [ValidateRange(1, 4096)]
    public int Stride { get; set; } = 8;

    [Parameter]
    [ValidateSet("Mean", "Gray", "Zero", IgnoreCase = true)]
    public string Fill { get; set; } = "Mean";

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 32;

    [Parameter]
    public string? HeatMapPath { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _model = ModelOrDefault(Model);
        try
        {
            if (Class is not null) _class = ModelReadout.ResolveClass(_model.Engine, Class);
            if (Layer is not null) _model.Engine.Layers.Get(Layer);
        }
        catch (Exception e)
        {
            Fail(e, e is Engine.Models.LayerNotFoundException ? "LayerNotFound" : "InvalidClass", (object?)Layer ?? Class);
        }
    }

    protected override void ProcessRecord()
    {
        var paths = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
        foreach (var file in ResolvePaths(paths, ParameterSetName == LiteralPathSet))
        {
            OcclusionMap map;
            try
            {
                map = Measure(file);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (ImageReadException e)
            {
                WriteError(ErrorFor(e, "ImageReadFailed", file));
                continue;
            }
            catch (Exception e) when (e is ArgumentException or Engine.Models.LayerNotFoundException)
            {
                // Wrong -Unit / -PatchSize / -Stride for this model: the same for every image.
                Fail(e, "InvalidOcclusionSettings", file);
                return;
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteError(ErrorFor(e, "OcclusionFailed", file));
                continue;
            }
            if (HeatMapPath is not null) DrawHeatMap(map);
            WriteObject(map);
        }
    }

    private OcclusionMap Measure(string file)
    {
        var engine = _model.Engine;
        var fitted = AnalysisImage.Load(file, engine.Input);
        var options = new OcclusionOptions
        {
            PatchSize = PatchSize,
            Stride = Stride,
            Fill = Enum.Parse<FillMode>(Fill, ignoreCase: true),
            BatchSize = BatchSize,
            Class = _class,
            Layer = Layer,
            Unit = Unit,
        };
        string activity = $"Occlusion sensitivity of {System.IO.Path.GetFileName(file)}";
        var result = OcclusionSensitivity.Run(engine, fitted, options,
            p => Progress(1, activity, $"{p.Done} of {p.Total} occluded copies", p.Done, p.Total), StopToken);
        return OcclusionMap.From(file, _model.Name, result);
    }

    private void DrawHeatMap(OcclusionMap map)
    {
        string target;
        try { target = OutputPathFor(HeatMapPath!, map.ImagePath); }
        catch (Exception e) when (e is not PipelineStoppedException) { WriteError(ErrorFor(e, OutputErrorId(e, "InvalidHeatMapPath"), HeatMapPath)); return; }
        if (!_written.Add(target))
        {
            WriteError(new ErrorRecord(new ArgumentException($"Heat map '{target}' was already written for another image in this pipeline; put {{0}} in -HeatMapPath for one file per image."),
                "HeatMapPathReused", ErrorCategory.InvalidArgument, target));
            return;
        }
        if (!ShouldProcess(target, "Write occlusion heat map")) return;
        var kind = map.Probability is not null ? OcclusionMapKind.Probability : OcclusionMapKind.Distance;
        try { Engine.Grid.OcclusionHeatMap.Save(map.Result, kind, map.ImagePath, target, overlay: true); }
        catch (Exception e) when (e is not PipelineStoppedException) { WriteError(ErrorFor(e, "HeatMapWriteFailed", target)); }
    }
}
