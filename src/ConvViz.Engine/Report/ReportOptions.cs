using ConvViz.Engine.Grid;

namespace ConvViz.Engine.Report;

/// <summary>How the report draws its pictures and splits long layers.</summary>
public sealed record ReportOptions
{
    /// <summary>Cell side of the unit thumbnails; null picks per layer from the size of its crops:
    /// 48 px for small crops (up to 48 px), else 96 px, so deep layers show structure.</summary>
    public int? ThumbnailCellSize { get; init; }

    public PatchPanels Layout { get; init; } = PatchPanels.Both;
    public NormalizationMode Normalization { get; init; } = NormalizationMode.Symmetric;

    /// <summary>Units per collapsible page inside a layer; keeps big layers responsive.</summary>
    public int UnitsPerPage { get; init; } = 100;

    /// <summary>Photos, patches, projections and thumbnails as JPEG (several times smaller than PNG,
    /// slightly lossy); filters, heat maps and charts stay PNG. False writes PNG everywhere.</summary>
    public bool JpegThumbnails { get; init; } = true;

    public int JpegQuality { get; init; } = 85;

    /// <summary>Write the pictures as files in a folder beside the HTML (name_files/) instead of
    /// data: URIs: the HTML stays small and the browser loads only what is shown.</summary>
    public bool ExternalImages { get; init; }

    /// <summary>A per-unit detail view with each of the top-k at the model's input size.</summary>
    public bool Details { get; init; } = true;

    /// <summary>Longest side of the occlusion pictures.</summary>
    public int OcclusionSize { get; init; } = 224;

    public float OcclusionAlpha { get; init; } = 0.5f;
    public int ChartWidth { get; init; } = 640;
    public int ChartHeight { get; init; } = 400;
}
