using ConvViz.Engine.Grid;

namespace ConvViz.Engine.Report;

/// <summary>How the report draws its pictures and splits long layers.</summary>
public sealed record ReportOptions
{
    /// <summary>Cell side of the unit thumbnails. Size matters: each unit is one embedded image,
    /// about 20-60 KB of base64 at 40 px with both panels, so 2,000 units make a 40-120 MB file.</summary>
    public int ThumbnailCellSize { get; init; } = 40;

    public PatchPanels Layout { get; init; } = PatchPanels.Both;
    public NormalizationMode Normalization { get; init; } = NormalizationMode.Symmetric;

    /// <summary>Units per collapsible page inside a layer; keeps big layers responsive.</summary>
    public int UnitsPerPage { get; init; } = 100;

    /// <summary>Embed thumbnails as JPEG instead of PNG (several times smaller, slightly lossy).</summary>
    public bool JpegThumbnails { get; init; }

    /// <summary>Longest side of the occlusion pictures.</summary>
    public int OcclusionSize { get; init; } = 224;

    public float OcclusionAlpha { get; init; } = 0.5f;
    public int ChartWidth { get; init; } = 640;
    public int ChartHeight { get; init; } = 400;
}
