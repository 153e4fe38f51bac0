using System.Collections.Generic;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Grid;
using ConvViz.Engine.Image;

namespace ConvViz.Engine.Report;

/// <summary>
/// Builds the report's analysis sections from engine results, with signatures free of
/// ImageSharp types (the cmdlets must not name them) and one place that frees the images.
/// </summary>
public static class ReportSections
{
    /// <summary>An occlusion heat map over its photo, at the photo's size.</summary>
    public static OcclusionEntry Occlusion(OcclusionResult result, OcclusionMapKind kind, string imagePath, string title, string? caption = null)
        => new(title, ImageDecoder.Decode(imagePath), OcclusionHeatMap.AtImageSize(result, kind), caption);

    /// <summary>The maps a result has, most telling first: class probability, else feature distance, then the feature map.</summary>
    public static IEnumerable<OcclusionMapKind> KindsOf(OcclusionResult result)
    {
        foreach (var kind in new[] { OcclusionMapKind.Probability, OcclusionMapKind.Distance, OcclusionMapKind.Activation })
        {
            bool has;
            try { OcclusionHeatMap.Values(result, kind); has = true; }
            catch (System.ArgumentException) { has = false; }
            if (has) yield return kind;
        }
    }

    /// <summary>The first-layer filters of a model as the report draws them (see <see cref="Projection.EffectiveFilters"/>).</summary>
    public static ReportFilters Filters(Models.ConvModel model, string layer)
    {
        var spec = model.Layers.Get(layer);
        var (weights, units, height, width) = Projection.EffectiveFilters.Of(model, spec);
        return new ReportFilters($"Filters of {spec.Name}", weights, units, height, width);
    }

    public static void Release(ConvVizReport report)
    {
        foreach (var o in report.Occlusion) o.Image.Dispose();
    }
}
