using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Correspondence analysis (Zeiler and Fergus, section 4.3): occludes the same object part in
/// several images and measures how consistently that changes each layer's features, against
/// squares of the same size at random places. Images stream in; results come at the end.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Correspondence", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Correspondence))]
public sealed class MeasureCorrespondenceCommand : ConvVizCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private Model _model = null!;
    private CorrespondenceAnalysis _analysis = null!;
    private int _added;

    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Region]
    public int[] Region { get; set; } = Array.Empty<int>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Part { get; set; } = "part";

    [Parameter]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    [SupportsWildcards]
    public string[]? Layer { get; set; }

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter]
    [ValidateSet("Mean", "Gray", "Zero", IgnoreCase = true)]
    public string Fill { get; set; } = "Mean";

    [Parameter]
    [ValidateRange(0, 1000)]
    public int RandomTrials { get; set; } = 10;

    [Parameter]
    public int Seed { get; set; }

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 16;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _model = ModelOrDefault(Model);
        try
        {
            _analysis = new CorrespondenceAnalysis(_model.Engine, new CorrespondenceOptions
            {
                Layers = Layer,
                Fill = Enum.Parse<FillMode>(Fill, ignoreCase: true),
                RandomTrials = RandomTrials,
                Seed = Seed,
                BatchSize = BatchSize,
            });
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is Engine.Models.LayerNotFoundException ? "LayerNotFound" : "InvalidCorrespondenceSettings", Layer is null ? null : string.Join(",", Layer));
        }
    }

    protected override void ProcessRecord()
    {
        var paths = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
        // Region is X, Y, Width, Height; the engine takes a half-open box.
        var region = new PixelBox(Region[1], Region[0], (long)Region[1] + Region[3], (long)Region[0] + Region[2]);
        foreach (var file in ResolvePaths(paths, ParameterSetName == LiteralPathSet))
        {
            Progress(3, $"Correspondence of part '{Part}'", $"{_added} image(s) occluded; now {System.IO.Path.GetFileName(file)}", 0, 1);
            try
            {
                var fitted = AnalysisImage.Load(file, _model.Engine.Input);
                _analysis.Add(Part, fitted, region, file, StopToken);
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
            catch (ArgumentException e)
            {
                // This image's region: the other images go on.
                WriteError(ErrorFor(e, "InvalidRegion", file));
                continue;
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteError(ErrorFor(e, "CorrespondenceFailed", file));
                continue;
            }
            _added++;
        }
    }

    protected override void EndProcessing()
    {
        Progress(3, "Correspondence", "done", 1, 1);
        foreach (var (part, count) in _analysis.ImagesPerPart)
        {
            if (count >= 2) continue;
            WriteError(new ErrorRecord(new InvalidOperationException(
                $"Part '{part}' has {count} image; correspondence compares pairs of images, so a part needs at least 2. Give more images with -Part '{part}'."),
                "TooFewImages", ErrorCategory.InvalidData, part));
        }
        foreach (var r in _analysis.Results(skipIncomplete: true))
        {
            WriteObject(new Correspondence
            {
                ModelName = _model.Name,
                Part = r.Part,
                Layer = r.Layer,
                Images = r.Images,
                Pairs = r.Pairs,
                Features = r.Features,
                Consistency = r.Consistency,
                ConsistencyStdDev = r.ConsistencyStdDev,
                RandomTrials = r.RandomTrials,
                RandomConsistency = r.RandomConsistency,
                RandomStdDev = r.RandomStdDev,
                Fill = Fill,
                ImagePaths = r.ImagePaths.ToArray(),
            });
        }
        base.EndProcessing();
    }
}
