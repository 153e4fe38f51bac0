using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Projection;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Projects activations back to pixel space: the deconvnet of Zeiler and Fergus (default),
/// guided backpropagation, or the plain gradient.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "Deconvolution", DefaultParameterSetName = ActivationSet)]
[OutputType(typeof(Projection))]
public sealed class InvokeDeconvolutionCommand : ConvVizCmdlet
{
    private const string ActivationSet = "Activation";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly List<Activation> _records = new();
    private ImagePathCollector? _paths;

    /// <summary>Activation records, or objects with their properties (from Import-Csv, Import-Clixml, Receive-Job).</summary>
    [Parameter(ParameterSetName = ActivationSet, Mandatory = true, ValueFromPipeline = true)]
    [ActivationArgument]
    public Activation[] InputObject { get; set; } = Array.Empty<Activation>();

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true)]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string Layer { get; set; } = "";

    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true)]
    [UnitRange]
    public int[] Unit { get; set; } = Array.Empty<int>();

    /// <summary>Feature-map position (y, x); default: the unit's strongest position in each image.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateCount(2, 2)]
    public int[]? Position { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("Activation", "PreActivation", "Pooled", IgnoreCase = true)]
    public string Stage { get; set; } = "Activation";

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    /// <summary>One or more methods, all from one forward pass; default: per layer, from the graph (see help).</summary>
    [Parameter]
    [ValidateSet("Deconvnet", "GuidedBackprop", "Gradient", IgnoreCase = true)]
    public string[]? Method { get; set; }

    /// <summary>Field (the theoretical receptive field) or Effective (the box holding -CropMass of the projection).</summary>
    [Parameter]
    [ValidateSet("Field", "Effective", IgnoreCase = true)]
    public string Crop { get; set; } = "Field";

    [Parameter]
    [ValidateRange(0.01, 1.0)]
    public double CropMass { get; set; } = 0.95;

    [Parameter]
    [ValidateRange(1, 4096)]
    public int MinCropSize { get; set; } = 32;

    /// <summary>Keep the unit's whole feature map instead of the one activation.</summary>
    [Parameter]
    public SwitchParameter KeepFeatureMap { get; set; }

    /// <summary>Also keep the projection over the whole model input (FullReconstruction).</summary>
    [Parameter]
    public SwitchParameter IncludeFull { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int BatchSize { get; set; } = 8;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _paths = new ImagePathCollector(this);
        if (ParameterSetName == ActivationSet) return;
        try
        {
            Model ??= ModelCatalog.Get(ModelCatalog.DefaultName);
            var layer = Model.Engine.Layers.Get(Layer);
            var channels = Model.Engine.Graph.ShapeOf(layer.NodeFor(ParseStage(Stage)))[0];
            var bad = Unit.Where(u => u < 0 || u >= channels).ToList();
            if (bad.Count > 0)
                throw new ArgumentOutOfRangeException(nameof(Unit), $"Unit {string.Join(", ", bad)} is out of range for layer '{layer.Name}' of model '{Model.Name}', which has {channels} units (valid: 0..{channels - 1}).");
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e switch { LayerNotFoundException => "LayerNotFound", ArgumentOutOfRangeException => "UnitOutOfRange", _ => "InvalidProjection" }, Layer);
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ActivationSet) _records.AddRange(InputObject);
        else _paths!.Add(ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet, recurse: false);
    }

    protected override void EndProcessing()
    {
        var rule = ProjectionRecords.Settings(Method, Crop, CropMass, MinCropSize);
        if (ParameterSetName == ActivationSet)
        {
            // Every record is checked against the weights it came from before anything is projected.
            var resolved = new Dictionary<(string, Model?), Model>();
            var groups = new List<(Model Model, List<(ProjectionRequest, Activation?)> Work)>();
            foreach (var a in _records)
            {
                if (!resolved.TryGetValue((a.WeightsSha256, a.Model), out var model)) resolved[(a.WeightsSha256, a.Model)] = model = ModelFor(a);
                var group = groups.FindIndex(g => ReferenceEquals(g.Model, model));
                if (group < 0) { groups.Add((model, new())); group = groups.Count - 1; }
                groups[group].Work.Add((Request(a), a));
            }
            _records.Clear();
            var progress = new ProgressCounter(groups.Sum(g => g.Work.Count));
            foreach (var (model, work) in groups) Run(model, work, rule, null, progress);
        }
        else
        {
            var requests = _paths!.Files.SelectMany(f => Unit.Select(u =>
                (new ProjectionRequest(f, Layer, ParseStage(Stage), u, Position?[0] ?? -1, Position?[1] ?? -1, KeepFeatureMap), (Activation?)null))).ToList();
            Run(Model!, requests, rule, Stage, new ProgressCounter(requests.Count));
        }
        WriteProgress(new ProgressRecord(2, "Projecting activations", "Done") { RecordType = ProgressRecordType.Completed });
        base.EndProcessing();
    }

    private ProjectionRequest Request(Activation a)
        => new(a.ImagePath, a.Layer, ParseStage(a.Stage), a.Unit, a.Position.Y, a.Position.X, KeepFeatureMap);

    private sealed class ProgressCounter
    {
        public ProgressCounter(int total) { Total = total; }
        public int Total { get; }
        public int Done;
        public readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();
        public double LastReport = double.NegativeInfinity;
    }

    // Streams: each projection is written as soon as its chunk is computed (never a whole batch
    // held back), with progress at most a few times a second, and Ctrl+C stops before the next chunk.
    private void Run(Model model, List<(ProjectionRequest Request, Activation? Activation)> work, ProjectionSettings rule, string? stage, ProgressCounter progress)
    {
        var byRequest = new Dictionary<ProjectionRequest, Queue<Activation?>>();
        foreach (var (r, a) in work)
        {
            if (!byRequest.TryGetValue(r, out var q)) byRequest[r] = q = new Queue<Activation?>();
            q.Enqueue(a);
        }
        WriteVerbose($"Projecting {work.Count} activations of {model.Name} by {(Method is { Length: > 0 } ? string.Join(" and ", Method) : "each layer's default method")} ({work.Select(w => w.Request.ImagePath).Distinct().Count()} images, batch size {BatchSize}).");
        try
        {
            foreach (var p in ImageProjector.Run(model.Engine, work.Select(w => w.Request), rule, BatchSize,
                         badImage: e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)),
                         cancellationToken: StopToken, keepFull: IncludeFull))
            {
                var activation = byRequest[p.Request].Dequeue()?.WithModel(model) ?? ProjectionRecords.ActivationFor(p, model, stage ?? "Activation");
                WriteObject(ProjectionRecords.From(p, activation, IncludeFull));
                progress.Done++;
                var seconds = progress.Clock.Elapsed.TotalSeconds;
                if (seconds - progress.LastReport >= 0.25 || progress.Done == progress.Total)
                {
                    progress.LastReport = seconds;
                    var rate = progress.Done / Math.Max(seconds, 1e-3);
                    var record = new ProgressRecord(2, "Projecting activations", $"{progress.Done} of {progress.Total} records, {rate:F1} records/s")
                    {
                        PercentComplete = (int)(100L * progress.Done / Math.Max(1, progress.Total)),
                    };
                    if (rate > 0) record.SecondsRemaining = (int)Math.Ceiling((progress.Total - progress.Done) / rate);
                    WriteProgress(record);
                }
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is LayerNotFoundException ? "LayerNotFound" : "ProjectionFailed", model.Name);
        }
        WriteProgress(new ProgressRecord(2, "Projecting activations", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Projected {progress.Done} of {progress.Total} activations.");
    }

    // The model a record is projected through: never one with other weights than the record's.
    private Model ModelFor(Activation a)
    {
        try { return ModelResolver.For(a, Model); }
        catch (ModelMismatchException e)
        {
            Fail(e, e.ErrorId, a);
            throw;
        }
    }

    private static Stage ParseStage(string stage) => Enum.Parse<Stage>(stage, true);
}
