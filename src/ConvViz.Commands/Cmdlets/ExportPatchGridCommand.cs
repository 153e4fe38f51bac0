using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Grid;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Draws projections and their image patches in the layout of Zeiler and Fergus's Figure 2:
/// per unit, a grid of its top-k projections beside the grid of the matching patches.
/// A FeatureMap record is drawn as a grid of heat maps instead.
/// </summary>
[Cmdlet(VerbsData.Export, "PatchGrid", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportPatchGridCommand : ConvVizWriterCmdlet
{
    private readonly List<Projection> _projections = new();
    private readonly List<FeatureMap> _maps = new();
    private readonly List<FeatureVisualization> _visualizations = new();
    private string _target = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter]
    [ValidateRange(1, 256)]
    public int Columns { get; set; } = 4;

    [Parameter]
    [ValidateRange(8, 1024)]
    public int CellSize { get; set; } = 64;

    [Parameter]
    [ValidateSet("Projections", "Patches", "Both", IgnoreCase = true)]
    public string Layout { get; set; } = "Both";

    [Parameter]
    [ValidateSet("Robust", "Symmetric", "MinMax", "Absolute", IgnoreCase = true)]
    public string Normalization { get; set; } = "Robust";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _target = WritableOutput(Path, image: true);
    }

    protected override void ProcessRecord()
    {
        foreach (var item in InputObject)
        {
            switch (item?.BaseObject)
            {
                case Projection p: _projections.Add(p); break;
                case FeatureMap m: _maps.Add(m); break;
                case FeatureVisualization v: _visualizations.Add(v); break;
                default:
                    WriteError(new ErrorRecord(new ArgumentException($"Export-PatchGrid draws ConvViz.Projection, ConvViz.FeatureVisualization or ConvViz.FeatureMap records, not {item?.BaseObject?.GetType().FullName ?? "null"}. Pipe activations through Invoke-Deconvolution first."),
                        "UnsupportedInput", ErrorCategory.InvalidType, item));
                    break;
            }
        }
    }

    protected override void EndProcessing()
    {
        if (_projections.Count == 0 && _maps.Count == 0 && _visualizations.Count == 0) { WriteWarning("Nothing to draw."); return; }
        if ((_projections.Count > 0 || _visualizations.Count > 0) && _maps.Count > 0)
            Fail("Export-PatchGrid draws either projections or feature maps in one sheet, not both.", "MixedInput", ErrorCategory.InvalidArgument, _target);
        if (_maps.Count > 1)
            Fail($"{_maps.Count} feature maps came in; one sheet holds one. Use ForEach-Object to write one file each.", "TooManyFeatureMaps", ErrorCategory.InvalidArgument, _target);
        if (!ShouldProcess(_target, "Write patch grid")) return;
        List<UnitEntry>? units = null;
        try
        {
            var normalization = Enum.Parse<NormalizationMode>(Normalization, true);
            if (_maps.Count == 1)
                SheetFiles.SaveFeatureMaps(new FloatPlanes(_maps[0].Values, _maps[0].Channels, _maps[0].Height, _maps[0].Width),
                    new FeatureMapOptions { Columns = Columns, CellSize = CellSize }, _target);
            else
                SheetFiles.SavePatchGrid(units = GridEntries.From(_projections, _visualizations), new PatchGridOptions
                {
                    Columns = Columns, CellSize = CellSize, Layout = _projections.Count == 0 && !MyInvocation.BoundParameters.ContainsKey(nameof(Layout)) ? PatchPanels.Patches : Enum.Parse<PatchPanels>(Layout, true), Normalization = normalization,
                }, _target);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, e is IOException or UnauthorizedAccessException ? "WriteFailed" : "RenderFailed", _target);
        }
        finally
        {
            if (units is not null) GridEntries.Dispose(units);
        }
        if (PassThru) WriteFileItem(_target);
        base.EndProcessing();
    }
}
