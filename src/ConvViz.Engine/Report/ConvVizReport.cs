using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>Everything one HTML report shows. Sections other than the metadata are optional.</summary>
public sealed record ConvVizReport(string Title, RunMetadata Metadata)
{
    /// <summary>The model's layer geometry (name, kind, shape, receptive field...), as strings.</summary>
    public ReportTable? Geometry { get; init; }
    public IReadOnlyList<ReportLayer> Layers { get; init; } = Array.Empty<ReportLayer>();
    public IReadOnlyList<OcclusionEntry> Occlusion { get; init; } = Array.Empty<OcclusionEntry>();
    public IReadOnlyList<InvarianceChart> Charts { get; init; } = Array.Empty<InvarianceChart>();
    public FeatureEvolution? Evolution { get; init; }
}
