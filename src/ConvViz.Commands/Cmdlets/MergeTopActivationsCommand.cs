using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.TopK;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Combines the scan states of shards (Get-TopActivations -Shard i/n -StatePath ...) into
/// exactly the top-k one scan over all their images gives.
/// </summary>
[Cmdlet(VerbsData.Merge, "TopActivations", SupportsShouldProcess = true)]
[OutputType(typeof(Activation))]
public sealed class MergeTopActivationsCommand : ConvVizWriterCmdlet
{
    private readonly List<string> _states = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string[] StatePath { get; set; } = Array.Empty<string>();

    /// <summary>Where to write the merged state (it can be resumed or merged again).</summary>
    [Parameter]
    public string? OutputStatePath { get; set; }

    [Parameter]
    [ModelArgument]
    [ArgumentCompleter(typeof(Completion.ModelNameCompleter))]
    public Model? Model { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var p in StatePath) _states.Add(GetUnresolvedProviderPathFromPSPath(p));
    }

    protected override void EndProcessing()
    {
        ScanState merged;
        try
        {
            var states = _states.Select(ScanStateFile.Load).ToList();
            merged = ScanState.Merge(states);
            if (OutputStatePath is not null)
            {
                var target = OutputPath(OutputStatePath);
                if (ShouldProcess(target, "Write merged scan state"))
                {
                    StateFiles.EnsureWritable(target);
                    ScanStateFile.Save(merged, target);
                }
            }
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e switch
            {
                ScanStateException => "InvalidStateFile",
                OutputExistsException => "OutputExists",
                ArgumentException when OutputStatePath is not null && e.Message.StartsWith("Output path", StringComparison.Ordinal) => "InvalidOutputPath",
                _ => "MergeFailed",
            }, string.Join(", ", _states));
            return;
        }
        // The records carry the state's weight identity; a -Model with other weights is refused, not attached.
        // Without -Model, Invoke-Deconvolution finds the model with those weights or refuses.
        if (Model is not null)
        {
            try { ModelResolver.For(merged.Model.Name, merged.Model.Source, merged.Model.WeightsSha256, Model, null, $"The scan state {string.Join(", ", _states)}"); }
            catch (ModelMismatchException e) { Fail(e, e.ErrorId, Model.Name); }
        }
        foreach (var a in ActivationRecords.From(merged.ToActivations(), merged.Model, merged.Stage.ToString(), Model, (merged.Images.Count, null, null, merged.K))) WriteObject(a);
        base.EndProcessing();
    }
}
