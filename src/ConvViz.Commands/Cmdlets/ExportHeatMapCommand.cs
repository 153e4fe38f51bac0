using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Grid;

namespace ConvViz.Commands.Cmdlets;

/// <summary>Draws an occlusion map (from Measure-OcclusionSensitivity) at the image's size, alone or over the image.</summary>
[Cmdlet(VerbsData.Export, "HeatMap", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportHeatMapCommand : ConvVizWriterCmdlet
{
    private readonly HashSet<string> _written = new(StringComparer.OrdinalIgnoreCase);

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public OcclusionMap InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateSet("Probability", "Activation", "TopClass", "Distance", IgnoreCase = true)]
    public string? Map { get; set; }

    [Parameter]
    public SwitchParameter Overlay { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public float Alpha { get; set; } = 0.5f;

    protected override void ProcessRecord()
    {
        var map = InputObject;
        string target;
        try { target = OutputPathFor(Path, map.ImagePath); }
        catch (Exception e) when (e is not PipelineStoppedException) { Fail(e, OutputErrorId(e, "InvalidHeatMapPath"), Path); return; }
        if (!_written.Add(target))
        {
            WriteError(new ErrorRecord(new ArgumentException($"Heat map '{target}' was already written for another image in this pipeline; put {{0}} in -Path for one file per image."),
                "HeatMapPathReused", ErrorCategory.InvalidArgument, map));
            return;
        }
        // Classifiers show the class probability, feature extractors the output distance, unless -Map says otherwise.
        var kind = Map is null
            ? (map.Probability is not null ? OcclusionMapKind.Probability : OcclusionMapKind.Distance)
            : Enum.Parse<OcclusionMapKind>(Map, ignoreCase: true);
        if (!ShouldProcess(target, $"Write {kind} heat map of '{map.ImagePath}'")) return;
        try
        {
            OcclusionHeatMap.Save(map.Result, kind, map.ImagePath, target, Overlay.IsPresent, Alpha);
            WriteObject(new FileInfo(target));
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            WriteError(ErrorFor(e, e is ArgumentException ? "InvalidHeatMap" : "HeatMapWriteFailed", target));
        }
    }
}
