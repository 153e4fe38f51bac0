using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>Everything one HTML report shows. Sections other than the metadata are optional.</summary>
public sealed record ConvVizReport(string Title, RunMetadata Metadata)
{
    /// <summary>The model's layer geometry (name, kind, shape, receptive field...), as strings.
    /// Rows whose first cell names a shown layer are shown; the full table is collapsed.</summary>
    public ReportTable? Geometry { get; init; }
    public IReadOnlyList<ReportLayer> Layers { get; init; } = Array.Empty<ReportLayer>();
    public IReadOnlyList<OcclusionEntry> Occlusion { get; init; } = Array.Empty<OcclusionEntry>();
    public IReadOnlyList<InvarianceChart> Charts { get; init; } = Array.Empty<InvarianceChart>();
    public FeatureEvolution? Evolution { get; init; }

    /// <summary>First-layer filters (the paper's Figure 6).</summary>
    public ReportFilters? Filters { get; init; }

    /// <summary>The correspondence analysis (the paper's Table 1).</summary>
    public ReportTable? Correspondence { get; init; }

    /// <summary>Side of the model input: the detail view shows every picture at this size.</summary>
    public int InputSize { get; init; } = 224;
}

/// <summary>Filter weights, units x 3 x height x width (RGB as seen from the input).</summary>
public sealed record ReportFilters(string Title, float[] Weights, int Units, int Height, int Width);
