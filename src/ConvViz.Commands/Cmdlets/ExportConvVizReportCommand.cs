using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Grid;
using ConvViz.Engine.Projection;
using ConvViz.Engine.Report;
using ConvViz.Engine.TopK;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Writes one self-contained HTML report: the model's layer geometry, per layer the unit grids
/// with their patches, and the run's metadata. From projections in the pipeline, from a scan
/// state, or, with several models, the same units side by side per checkpoint.
/// </summary>
[Cmdlet(VerbsData.Export, "ConvVizReport", DefaultParameterSetName = RecordSet, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportConvVizReportCommand : ConvVizWriterCmdlet
{
    private const string RecordSet = "Records";
    private const string StateSet = "State";
    private const string EvolutionSet = "Evolution";
    private readonly List<object> _records = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _target = "";

    [Parameter(ParameterSetName = RecordSet, Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter(ParameterSetName = StateSet, Mandatory = true)]
    public string[] StatePath { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter(ParameterSetName = RecordSet)]
    [Parameter(ParameterSetName = StateSet)]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    /// <summary>Checkpoints of one network (feature evolution, the paper's Figure 4).</summary>
    [Parameter(ParameterSetName = EvolutionSet, Mandatory = true)]
    public Model[] Checkpoint { get; set; } = Array.Empty<Model>();

    [Parameter(ParameterSetName = EvolutionSet, Mandatory = true)]
    public string ImagePath { get; set; } = "";

    /// <summary>Evolution: the layers to show. State: only these layers of the scan (default: all).</summary>
    [Parameter(ParameterSetName = EvolutionSet, Mandatory = true)]
    [Parameter(ParameterSetName = StateSet)]
    [ArgumentCompleter(typeof(Completion.LayerNameCompleter))]
    public string[] Layer { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = EvolutionSet)]
    [Parameter(ParameterSetName = StateSet)]
    [UnitRange]
    public int[]? Unit { get; set; }

    [Parameter]
    public string Title { get; set; } = "ConvViz report";

    /// <summary>When the run began, for the report's "time taken" (default: when this command started).</summary>
    [Parameter]
    public DateTime? Started { get; set; }

    /// <summary>Projection method(s) when the report projects (state, evolution); default: per layer, from the graph.</summary>
    [Parameter(ParameterSetName = StateSet)]
    [Parameter(ParameterSetName = EvolutionSet)]
    [ValidateSet("Deconvnet", "GuidedBackprop", "Gradient", IgnoreCase = true)]
    public string[]? Method { get; set; }

    [Parameter]
    [ValidateRange(1, 10000)]
    public int UnitsPerPage { get; set; } = 100;

    [Parameter]
    [ValidateSet("Robust", "Symmetric", "MinMax", "Absolute", IgnoreCase = true)]
    public string Normalization { get; set; } = "Robust";

    /// <summary>Draw this first layer's filters (the paper's Figure 6) at the top of the report.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.LayerNameCompleter))]
    public string? FilterLayer { get; set; }

    /// <summary>Write the pictures as files in a folder beside the HTML (name_files) instead of embedding them.</summary>
    [Parameter]
    public SwitchParameter ExternalImages { get; set; }

    /// <summary>Thumbnail cell side in pixels; default per layer (48 for small crops, 96 for deep layers).</summary>
    [Parameter]
    [ValidateRange(16, 512)]
    public int ThumbnailSize { get; set; }

    /// <summary>Embed every picture as PNG (lossless) instead of JPEG.</summary>
    [Parameter]
    public SwitchParameter Lossless { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _target = WritableOutput(Path, image: false);
    }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            if (item?.BaseObject is Projection or FeatureVisualization or OcclusionMap or InvariancePoint or Correspondence) _records.Add(item.BaseObject);
            else WriteError(new ErrorRecord(new ArgumentException($"Export-ConvVizReport takes ConvViz.Projection, ConvViz.FeatureVisualization, ConvViz.OcclusionMap, ConvViz.InvariancePoint and ConvViz.Correspondence records, not {item?.BaseObject?.GetType().FullName ?? "null"}."),
                "UnsupportedInput", ErrorCategory.InvalidType, item));
        }
    }

    protected override void EndProcessing()
    {
        // Asked first: under -WhatIf nothing is projected, rendered or written.
        if (!ShouldProcess(_target, "Write HTML report")) return;
        ConvVizReport? report = null;
        var units = new List<UnitEntry>();
        try
        {
            WriteVerbose($"Building the report from {ParameterSetName switch { StateSet => "scan states", EvolutionSet => "checkpoints", _ => $"{_records.Count} records" }}.");
            report = ParameterSetName switch
            {
                StateSet => FromState(units),
                EvolutionSet => Evolution(units),
                _ => FromRecords(_records.OfType<Projection>().ToList(), Model, units, null),
            };
            WriteVerbose($"Adding the analyses; {units.Count} unit grids drawn.");
            report = WithAnalyses(report);
            if (!ShouldProcess(_target, "Write HTML report")) return;
            WriteVerbose($"Writing '{_target}'.");
            HtmlReport.Save(report, _target, new ReportOptions
            {
                UnitsPerPage = UnitsPerPage,
                Normalization = Enum.Parse<Engine.Grid.NormalizationMode>(Normalization, true),
                ExternalImages = ExternalImages,
                ThumbnailCellSize = ThumbnailSize > 0 ? ThumbnailSize : null,
                JpegThumbnails = !Lossless,
            });
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e switch
            {
                ModelMismatchException m => m.ErrorId,
                Engine.Models.LayerNotFoundException => "LayerNotFound",
                ArgumentOutOfRangeException => "UnitOutOfRange",
                ScanStateException => "InvalidStateFile",
                IOException or UnauthorizedAccessException => "WriteFailed",
                _ => "ReportFailed",
            }, _target);
            return;
        }
        finally
        {
            GridEntries.Dispose(units);
            if (report is not null) ReportSections.Release(report);
        }
        if (PassThru) WriteFileItem(_target);
        base.EndProcessing();
    }

    private ConvVizReport FromRecords(List<Projection> projections, Model? model, List<UnitEntry> owned, int? imageCount)
    {
        // Every projection must come from the weights whose geometry the report shows.
        // Feature visualisations (New-FeatureVisualization) join their unit's row as its first cells.
        var visualizations = _records.OfType<FeatureVisualization>().ToList();
        if (projections.Count == 0) model ??= visualizations.FirstOrDefault()?.Model ?? ModelCatalog.Get(ModelCatalog.DefaultName);

        foreach (var group in projections.GroupBy(p => (p.Activation.WeightsSha256, p.Activation.Model)))
        {
            var first = group.First().Activation;
            var resolved = ModelResolver.For(first, model, $"Projection '{group.First()}'");
            if (model is null) model = resolved;
            else if (resolved != model && resolved.WeightsSha256 != model.WeightsSha256)
                throw new ModelMismatchException($"The projections come from several models ('{model.Name}' and '{resolved.Name}', other weights); one report shows one model's: filter them with Where-Object, or report each with its own -Model.");
        }
        foreach (var v in visualizations)
            if (v.WeightsSha256.Length > 0 && !string.Equals(v.WeightsSha256, model!.WeightsSha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelMismatchException($"Feature visualisation '{v}' was optimised through other weights ({v.ModelSource}) than the report's model '{model.Name}' ({model.Source}); report each model on its own.");
        var entries = GridEntries.From(projections, visualizations);
        owned.AddRange(entries);
        var order = model!.Engine.Layers.All.Select((l, i) => (l.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var layers = entries.GroupBy(u => u.Layer)
            .OrderBy(g => order.TryGetValue(g.Key, out var i) ? i : int.MaxValue)
            .Select(g => new ReportLayer(g.Key, g.OrderBy(u => u.Unit).ToList(),
                $"{g.Count()} units, {string.Join(" and ", projections.FirstOrDefault(p => p.Layer == g.Key)?.Methods ?? new[] { "Deconvnet" })} projections"))
            .ToList();
        return new ConvVizReport(Title, Metadata(projections.Select(p => p.Activation).ToList(), model, imageCount))
        {
            Geometry = GeometryTable(model),
            Layers = layers,
            Filters = FilterLayer is { Length: > 0 } f ? ReportSections.Filters(model.Engine, f) : null,
            InputSize = Math.Max(model.Engine.Input.Width, model.Engine.Input.Height),
        };
    }

    // The scan's own figures when the records carry them (Get-TopActivations sets them), else what
    // the records show; the report cmdlet's own run time is never reported as the scan's.
    private RunMetadata Metadata(List<Activation> activations, Model model, int? imageCount)
    {
        var scanned = activations.Where(a => a.ScannedImages > 0).ToList();
        int images = imageCount ?? (scanned.Count > 0 ? scanned.Max(a => a.ScannedImages) : activations.Select(a => a.ImagePath).Distinct(StringComparer.Ordinal).Count());
        var time = activations.Select(a => a.ScanTime).FirstOrDefault(t => t is not null);
        var at = activations.Select(a => a.ScannedAt).FirstOrDefault(t => t is not null);
        int k = activations.Select(a => a.TopK).DefaultIfEmpty(0).Max();
        if (k == 0 && activations.Count > 0) k = activations.Max(a => a.Rank);
        var extra = new List<KeyValuePair<string, string>>();
        if (Started is { } started) extra.Add(new("Run time (since -Started)", HtmlReport.FormatElapsed(DateTime.Now - started.ToLocalTime())));
        if (scanned.Count == 0 && imageCount is null) extra.Add(new("Note", "The records carry no scan figures: 'Images scanned' counts the images that appear in them."));
        return new RunMetadata(at ?? DateTimeOffset.Now, images, time ?? TimeSpan.Zero, model.Name, model.Source)
        {
            ElapsedKnown = time is not null,
            TopK = k > 0 ? k : null,
            Extra = extra,
        };
    }

    private ConvVizReport FromState(List<UnitEntry> owned)
    {
        var states = StatePath.Select(p => ScanStateFile.Load(GetUnresolvedProviderPathFromPSPath(p))).ToList();
        var state = states.Count == 1 ? states[0] : ScanState.Merge(states);
        var model = ModelResolver.For(state.Model.Name, state.Model.Source, state.Model.WeightsSha256, Model, null, $"The scan state {string.Join(", ", StatePath)}");
        var activations = ActivationRecords.From(state.ToActivations(), state.Model, state.Stage.ToString(), model).ToList();
        if (Layer.Length > 0)
        {
            var scanned = activations.Select(a => a.Layer).Distinct(StringComparer.Ordinal).ToList();
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in Layer)
            {
                var canonical = model.Engine.Layers.Get(name).Name;
                if (!scanned.Contains(canonical))
                    throw new Engine.Models.LayerNotFoundException(name, $"{model.Name} (scan state)", Array.Empty<string>(), scanned);
                wanted.Add(canonical);
            }
            activations = activations.Where(a => wanted.Contains(a.Layer)).ToList();
        }
        if (Unit is { Length: > 0 })
        {
            var units = new HashSet<int>(Unit);
            var missing = Unit.Where(u => !activations.Any(a => a.Unit == u)).ToList();
            if (missing.Count > 0)
                throw new ArgumentOutOfRangeException(nameof(Unit), $"Unit {string.Join(", ", missing)} is not in the scan state for {(Layer.Length > 0 ? "layer " + string.Join(", ", Layer) : "any layer")}.");
            activations = activations.Where(a => units.Contains(a.Unit)).ToList();
        }
        var projections = Project(model, activations);
        return FromRecords(projections, model, owned, state.Images.Count);
    }

    private List<Projection> Project(Model model, List<Activation> activations)
    {
        var rule = ProjectionRecords.Settings(Method, "Field", 0.95, 32);
        var requests = activations.Select(a => new ProjectionRequest(a.ImagePath, a.Layer, Enum.Parse<Engine.Models.Stage>(a.Stage), a.Unit, a.Position.Y, a.Position.X)).ToList();
        var byRequest = requests.Zip(activations).GroupBy(x => x.First).ToDictionary(g => g.Key, g => new Queue<Activation>(g.Select(x => x.Second)));
        var result = new List<Projection>();
        foreach (var p in ImageProjector.Run(model.Engine, requests, rule,
                     badImage: e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)), cancellationToken: StopToken, keepFull: false))
        {
            result.Add(ProjectionRecords.From(p, byRequest[p.Request].Dequeue(), includeFull: false));
            WriteProgress(new ProgressRecord(3, "Projecting for the report", $"{result.Count} of {requests.Count}") { PercentComplete = 100 * result.Count / Math.Max(1, requests.Count) });
        }
        return result;
    }

    private ConvVizReport Evolution(List<UnitEntry> owned)
    {
        var folder = GetUnresolvedProviderPathFromPSPath(ImagePath);
        var files = Directory.Exists(folder) ? Engine.Image.ImageFileTypes.InDirectory(folder, recurse: true).ToList() : new List<string> { folder };
        var rows = new Dictionary<(string, int), UnitEntry?[]>();
        for (int m = 0; m < Checkpoint.Length; m++)
        {
            var model = Checkpoint[m];
            var scan = new ActivationScanner(model.Engine, new ScanOptions { Layers = Layer, Units = Unit, K = 1, Device = model.Engine.DeviceName })
                .Scan(files, p => WriteProgress(GetTopActivationsCommand.ProgressFor(p, 4)),
                    e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)), StopToken);
            var activations = ActivationRecords.From(scan.Activations, scan.State.Model, "Activation", model).ToList();
            foreach (var entry in GridEntries.From(Project(model, activations)))
            {
                owned.Add(entry);
                if (!rows.TryGetValue((entry.Layer, entry.Unit), out var cells)) rows[(entry.Layer, entry.Unit)] = cells = new UnitEntry?[Checkpoint.Length];
                cells[m] = entry;
            }
        }
        var first = Checkpoint[0];
        var names = Checkpoint.Select((c, i) => $"{i + 1}: {c.Name} ({c.Source})").ToList();
        return new ConvVizReport(Title, new RunMetadata(DateTimeOffset.Now, files.Count, Elapsed, first.Name, first.Source) { TopK = 1 })
        {
            Geometry = GeometryTable(first),
            Evolution = new FeatureEvolution("Feature evolution: the strongest patch of each unit, per checkpoint", names,
                rows.OrderBy(r => r.Key.Item1, StringComparer.Ordinal).ThenBy(r => r.Key.Item2)
                    .Select(r => new FeatureEvolutionRow(r.Key.Item1, r.Key.Item2, r.Value)).ToList()),
        };
    }

    // Occlusion heat maps and invariance charts that came down the pipeline.
    private ConvVizReport WithAnalyses(ConvVizReport report)
    {
        var occlusion = new List<OcclusionEntry>();
        foreach (var o in _records.OfType<OcclusionMap>())
            foreach (var kind in ReportSections.KindsOf(o.Result))
            {
                var what = kind switch
                {
                    Engine.Analysis.OcclusionMapKind.Probability => $"probability of {o.ClassName ?? o.Class?.ToString()}",
                    Engine.Analysis.OcclusionMapKind.Distance => "cosine distance of the features from the unoccluded image",
                    _ => $"total activation of {o.Layer} unit {o.Unit}",
                };
                occlusion.Add(ReportSections.Occlusion(o.Result, kind, o.ImagePath, $"{System.IO.Path.GetFileName(o.ImagePath)}: {what}",
                    $"{o.PatchSize}×{o.PatchSize} occluder, stride {o.Stride}, {o.Fill} fill; model {o.ModelName}"));
            }
        var points = _records.OfType<InvariancePoint>().Select(p => new Engine.Analysis.InvarianceMeasurement(
            Enum.Parse<Engine.Analysis.InvarianceTransform>(p.Transform, true), p.Amount, p.Layer, p.Distance, p.Class, p.ClassName, p.Probability)).ToList();
        var charts = points.Count > 0 ? InvarianceCharts.From(points) : Array.Empty<InvarianceChart>();
        var correspondence = _records.OfType<Correspondence>().ToList();
        var table = correspondence.Count == 0 ? report.Correspondence : new ReportTable(
            new[] { "Part", "Layer", "Images", "Consistency", "± std", "Random squares", "± std", "Ratio" },
            correspondence.Select(c => (IReadOnlyList<string>)new[]
            {
                c.Part, c.Layer, c.Images.ToString(System.Globalization.CultureInfo.InvariantCulture), F(c.Consistency), F(c.ConsistencyStdDev),
                F(c.RandomConsistency), F(c.RandomStdDev), F(c.Ratio),
            }).ToList());
        return report with { Occlusion = report.Occlusion.Concat(occlusion).ToList(), Charts = report.Charts.Concat(charts).ToList(), Correspondence = table };

        static string F(double? v) => v is double d ? d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "";
    }

    private TimeSpan Elapsed => Started is { } t ? DateTime.Now - t.ToLocalTime() : _clock.Elapsed;

    private static ReportTable GeometryTable(Model model)
    {
        var rows = LayerRecords.For(model, null).Select(l => (IReadOnlyList<string>)new[]
        {
            l.Name, l.Kind, l.OutputShape, l.PooledShape,
            l.Global ? "all" : $"{l.ReceptiveField}×{l.ReceptiveFieldWidth}",
            l.Global ? "" : l.Jump.ToString(), l.Global ? "" : l.Start.ToString(), l.Parameters.ToString("N0"),
        }).ToList();
        return new ReportTable(new[] { "Layer", "Kind", "Output (C×H×W)", "Pooled", "Receptive field", "Jump", "Start", "Parameters" }, rows);
    }
}
