using System;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Completion;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.TopK;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Scans a set of images once and keeps, for every unit of the chosen layers, the k image
/// patches where it fires most (Zeiler and Fergus's top-9).
/// </summary>
[Cmdlet(VerbsCommon.Get, "TopActivations", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[Alias("Get-TopActivation")]
[OutputType(typeof(Activation))]
public sealed class GetTopActivationsCommand : ConvVizCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private ImagePathCollector? _paths;

    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LayerNameCompleter))]
    public string[] Layer { get; set; } = { "*" };

    [Parameter]
    [ValidateNotNullOrEmpty]
    [UnitRange]
    public int[]? Unit { get; set; }

    [Parameter]
    [ValidateRange(1, 10000)]
    public int Top { get; set; } = 9;

    // A string, not the engine's enum: pwsh reflects parameter types before the engine can load.
    [Parameter]
    [ValidateSet("Activation", "PreActivation", "Pooled", IgnoreCase = true)]
    public string Stage { get; set; } = "Activation";

    [Parameter]
    [ValidateRange(1, 4096)]
    public int BatchSize { get; set; } = 16;

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "auto";

    [Parameter]
    public SwitchParameter AllowSameImage { get; set; }

    [Parameter]
    public string? StatePath { get; set; }

    /// <summary>Seconds between checkpoints of -StatePath (and one at the end); 0 writes after every batch.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public int CheckpointSeconds { get; set; } = 30;

    [Parameter]
    [ValidatePattern(@"^\d+/\d+$")]
    public string? Shard { get; set; }

    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxPixels { get; set; } = ImageDecodeOptions.DefaultMaxPixels;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _paths = new ImagePathCollector(this);
        // Everything that can be checked before reading an image is checked here.
        try
        {
            Model ??= ModelCatalog.Get(ModelCatalog.DefaultName);
            if (Shard is not null) ShardSpec.Parse(Shard);
            _ = new ActivationScanner(Model.Engine, Options());
            if (StatePath is not null) StateFiles.EnsureWritable(OutputPath(StatePath));
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e switch
            {
                LayerNotFoundException => "LayerNotFound",
                ArgumentOutOfRangeException => "UnitOutOfRange",
                UnauthorizedAccessException or System.IO.IOException => "OutputNotWritable",
                ArgumentException when StatePath is not null && e.Message.StartsWith("Output path", StringComparison.Ordinal) => "InvalidOutputPath",
                ArgumentException when Shard is not null && e.Message.StartsWith("Shard ", StringComparison.Ordinal) => "InvalidShard",
                _ => "InvalidScan",
            }, e is UnauthorizedAccessException or System.IO.IOException ? StatePath : e.Message.StartsWith("Shard ", StringComparison.Ordinal) ? Shard : Layer);
        }
    }

    protected override void ProcessRecord()
    {
        _paths!.Add(ParameterSetName == LiteralPathSet ? LiteralPath : Path, ParameterSetName == LiteralPathSet, Recurse);
    }

    protected override void EndProcessing()
    {
        var files = _paths!.Files;
        if (files.Count == 0 && StatePath is null)
        {
            WriteWarning("No images to scan.");
            return;
        }
        // -WhatIf with a state file: say what would be scanned and written, and scan nothing.
        if (StatePath is not null && !ShouldProcess(OutputPath(StatePath), $"Scan {files.Count} images ({string.Join(", ", Layer)}) and update the scan state"))
            return;
        WriteVerbose($"Scanning {files.Count} images with {Model!.Name}, layers {string.Join(", ", Layer)}, top {Top}, batch size {BatchSize}" + (StatePath is null ? "." : $", state '{StatePath}'."));
        var scanner = new ActivationScanner(Model!.Engine, Options());
        const int activity = 1;
        ScanResult result;
        try
        {
            result = scanner.Scan(files,
                p => WriteProgress(ProgressFor(p, activity)),
                e => WriteError(new ErrorRecord(e, ErrorIds.For(e), ErrorCategory.InvalidData, e.Path)),
                StopToken);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            if (e is ScanStateInUseException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "StateFileInUse", ErrorCategory.ResourceBusy, StatePath));
                return;
            }
            Fail(e, e switch { ScanStateException => "InvalidStateFile", InsufficientMemoryException => "InsufficientMemory", _ => "ScanFailed" },
                (object?)StatePath ?? Layer);
            return;
        }
        WriteProgress(new ProgressRecord(activity, "Scanning images", "Done") { RecordType = ProgressRecordType.Completed });
        if (result.Cancelled) return;
        WriteVerbose($"Scanned {result.ImagesScanned} images ({result.ImagesSkipped} already counted, {result.Errors.Count} unreadable) in {result.Elapsed.TotalSeconds:F1} s.");
        Model.KnowWeights(result.State.Model.WeightsSha256);
        var scan = (result.State.Images.Count, (TimeSpan?)result.Elapsed, (DateTimeOffset?)DateTimeOffset.Now, result.State.K);
        foreach (var a in ActivationRecords.From(result.Activations, result.State.Model, Stage, Model, scan)) WriteObject(a);
        base.EndProcessing();
    }

    private ScanOptions Options() => new()
    {
        Layers = Layer,
        Stage = Enum.Parse<Stage>(Stage, true),
        Units = Unit,
        K = Top,
        BatchSize = BatchSize,
        Device = Device,
        AllowSameImage = AllowSameImage,
        Shard = Shard is null ? null : ShardSpec.Parse(Shard),
        StatePath = StatePath is null ? null : OutputPath(StatePath),
        CheckpointSeconds = CheckpointSeconds,
        Decode = ImageDecodeOptions.Default with { MaxPixels = MaxPixels },
    };

    internal static ProgressRecord ProgressFor(ScanProgress p, int activity)
    {
        var rate = p.ImagesPerSecond;
        var record = new ProgressRecord(activity, "Scanning images",
            $"{p.ImagesDone} of {p.ImagesTotal} images, {rate:F1} images/s" + (p.ImagesFailed > 0 ? $", {p.ImagesFailed} unreadable" : ""));
        if (p.ImagesTotal > 0) record.PercentComplete = (int)Math.Min(100, 100 * (p.ImagesDone + p.ImagesFailed) / p.ImagesTotal);
        if (rate > 0) record.SecondsRemaining = (int)Math.Ceiling((p.ImagesTotal - p.ImagesDone - p.ImagesFailed) / rate);
        return record;
    }
}
