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
public sealed class MergeTopActivationsCommand : ConvVizCmdlet
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
                var target = GetUnresolvedProviderPathFromPSPath(OutputStatePath);
                StateFiles.EnsureWritable(target);
                if (ShouldProcess(target, "Write merged scan state")) ScanStateFile.Save(merged, target);
            }
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is ScanStateException ? "InvalidStateFile" : "MergeFailed", string.Join(", ", _states));
            return;
        }
        if (Model is not null && Model.Name != merged.Model.Name)
            WriteWarning($"The states were made with model '{merged.Model.Name}', not '{Model.Name}'.");
        foreach (var a in ActivationRecords.From(merged.ToActivations(), merged.Model.Name, merged.Stage.ToString(), Model, (merged.Images.Count, null, null, merged.K))) WriteObject(a);
        base.EndProcessing();
    }
}
