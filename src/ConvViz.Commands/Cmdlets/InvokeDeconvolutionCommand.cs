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

    [Parameter(ParameterSetName = ActivationSet, Mandatory = true, ValueFromPipeline = true)]
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

    [Parameter]
    [ValidateSet("Deconvnet", "GuidedBackprop", "Gradient", IgnoreCase = true)]
    public string Method { get; set; } = "Deconvnet";

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
        var rule = Enum.Parse<ProjectionRule>(Method, true);
        if (ParameterSetName == ActivationSet)
        {
            foreach (var group in _records.GroupBy(r => ModelFor(r)))
                Run(group.Key, group.Select(a => (Request(a), (Activation?)a)).ToList(), rule, null);
        }
        else
        {
            var requests = _paths!.Files.SelectMany(f => Unit.Select(u =>
                (new ProjectionRequest(f, Layer, ParseStage(Stage), u, Position?[0] ?? -1, Position?[1] ?? -1, KeepFeatureMap), (Activation?)null))).ToList();
            Run(Model!, requests, rule, Stage);
        }
        base.EndProcessing();
    }

    private ProjectionRequest Request(Activation a)
        => new(a.ImagePath, a.Layer, ParseStage(a.Stage), a.Unit, a.Position.Y, a.Position.X, KeepFeatureMap);

    private void Run(Model model, List<(ProjectionRequest Request, Activation? Activation)> work, ProjectionRule rule, string? stage)
    {
        var byRequest = new Dictionary<ProjectionRequest, Queue<Activation?>>();
        foreach (var (r, a) in work)
        {
            if (!byRequest.TryGetValue(r, out var q)) byRequest[r] = q = new Queue<Activation?>();
            q.Enqueue(a);
        }
        int done = 0;
        WriteVerbose($"Projecting {work.Count} activations of {model.Name} by {rule} ({work.Select(w => w.Request.ImagePath).Distinct().Count()} images, batch size {BatchSize}).");
        try
        {
            foreach (var p in ImageProjector.Run(model.Engine, work.Select(w => w.Request), rule, BatchSize,
                         badImage: e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)),
                         cancellationToken: StopToken))
            {
                var activation = byRequest[p.Request].Dequeue() ?? ProjectionRecords.ActivationFor(p, model, stage ?? "Activation");
                WriteObject(ProjectionRecords.From(p, activation, rule.ToString(), IncludeFull));
                if (++done % 8 == 0 || done == work.Count)
                    WriteProgress(new ProgressRecord(2, "Projecting activations", $"{done} of {work.Count}") { PercentComplete = 100 * done / Math.Max(1, work.Count) });
            }
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is LayerNotFoundException ? "LayerNotFound" : "ProjectionFailed", model.Name);
        }
        WriteProgress(new ProgressRecord(2, "Projecting activations", "Done") { RecordType = ProgressRecordType.Completed });
        WriteVerbose($"Projected {done} of {work.Count} activations.");
    }

    private Model ModelFor(Activation a)
    {
        if (Model is not null) return Model;
        if (a.Model is not null) return a.Model;
        try { return ModelCatalog.Get(a.ModelName); }
        catch (Exception e)
        {
            Fail(new ArgumentException($"Activation of model '{a.ModelName}' carries no model; pass it with -Model.", e), "ModelRequired", a);
            throw;
        }
    }

    private static Stage ParseStage(string stage) => Enum.Parse<Stage>(stage, true);
}
