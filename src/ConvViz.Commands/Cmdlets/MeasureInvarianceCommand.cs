using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Image;
using ConvViz.Engine.Report;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Measures how a model's layers and its class probability change as an image is translated,
/// scaled or rotated (Zeiler and Fergus, Figure 5).
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Invariance", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(InvariancePoint))]
public sealed class MeasureInvarianceCommand : ConvVizWriterCmdlet
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

    [Parameter(Mandatory = true)]
    [ValidateSet("Translate", "Scale", "Rotate", IgnoreCase = true)]
    public string Transform { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public double[]? Range { get; set; }

    [Parameter]
    [ValidateSet("Vertical", "Horizontal", "Both", IgnoreCase = true)]
    public string Direction { get; set; } = "Vertical";

    [Parameter]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    [SupportsWildcards]
    public string[]? Layer { get; set; }

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter]

    [ArgumentCompleter(typeof(Completion.ClassNameCompleter))]
    public string? Class { get; set; }

    [Parameter]
    [ValidateSet("Mean", "Gray", "Zero", IgnoreCase = true)]
    public string Fill { get; set; } = "Mean";

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 16;

    [Parameter]
    public string? ChartPath { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _model = ModelOrDefault(Model);
        try
        {
            if (Class is not null) _class = ModelReadout.ResolveClass(_model.Engine, Class);
            if (Layer is not null) _model.Engine.Layers.Resolve(Layer);
        }
        catch (Exception e)
        {
            Fail(e, e is Engine.Models.LayerNotFoundException ? "LayerNotFound" : "InvalidClass", Layer is null ? Class : string.Join(",", Layer));
        }
    }

    protected override void ProcessRecord()
    {
        var paths = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
        foreach (var file in ResolvePaths(paths, ParameterSetName == LiteralPathSet))
        {
            IReadOnlyList<InvarianceMeasurement> points;
            try
            {
                points = Measure(file);
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
            catch (Exception e) when (e is ArgumentException)
            {
                // A bad -Range / -Class for this model: the same for every image.
                Fail(e, "InvalidInvarianceSettings", file);
                return;
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteError(ErrorFor(e, "InvarianceFailed", file));
                continue;
            }
            if (ChartPath is not null) DrawChart(file, points);
            bool translate = points.Count > 0 && points[0].Transform == InvarianceTransform.Translate;
            foreach (var p in points)
            {
                WriteObject(new InvariancePoint
                {
                    ImagePath = file,
                    ModelName = _model.Name,
                    Transform = p.Transform.ToString(),
                    Direction = translate ? Direction : "",
                    Amount = p.Amount,
                    Layer = p.Layer,
                    Distance = p.Distance,
                    Class = p.Class,
                    ClassName = p.ClassName,
                    Probability = p.Probability,
                });
            }
        }
    }

    private IReadOnlyList<InvarianceMeasurement> Measure(string file)
    {
        var options = new InvarianceOptions
        {
            Transform = Enum.Parse<InvarianceTransform>(Transform, ignoreCase: true),
            Direction = Enum.Parse<TranslateDirection>(Direction, ignoreCase: true),
            Amounts = Range,
            Layers = Layer,
            Class = _class,
            Fill = Enum.Parse<FillMode>(Fill, ignoreCase: true),
            BatchSize = BatchSize,
        };
        string activity = $"{Transform} invariance of {System.IO.Path.GetFileName(file)}";
        return InvarianceAnalysis.Run(_model.Engine, file, options,
            p => Progress(2, activity, $"{p.Done} of {p.Total} transformed copies", p.Done, p.Total), StopToken);
    }

    private void DrawChart(string file, IReadOnlyList<InvarianceMeasurement> points)
    {
        string target;
        try { target = OutputPathFor(ChartPath!, file); }
        catch (Exception e) when (e is not PipelineStoppedException) { WriteError(ErrorFor(e, OutputErrorId(e, "InvalidChartPath"), ChartPath)); return; }
        if (!_written.Add(target))
        {
            WriteError(new ErrorRecord(new ArgumentException($"Chart '{target}' was already written for another image in this pipeline; put {{0}} in -ChartPath for one file per image."),
                "ChartPathReused", ErrorCategory.InvalidArgument, target));
            return;
        }
        if (!ShouldProcess(target, "Write invariance chart")) return;
        try { InvarianceCharts.Save(points, target); }
        catch (Exception e) when (e is not PipelineStoppedException) { WriteError(ErrorFor(e, "ChartWriteFailed", target)); }
    }
}
