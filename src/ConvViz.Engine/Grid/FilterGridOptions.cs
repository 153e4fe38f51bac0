using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>How first-layer filters are tiled (the paper's Figure 6).</summary>
public sealed record FilterGridOptions
{
    /// <summary>Tiles per row; null gives ceil(sqrt(filters)).</summary>
    public int? Columns { get; init; }

    /// <summary>Target tile side. Each weight becomes an s x s block with the INTEGER
    /// s = max(1, CellSize / max(kh, kw)), so tiles are kh*s x kw*s and every weight stays a crisp square.</summary>
    public int CellSize { get; init; } = 56;

    /// <summary>Per-filter normalisation (each filter is stretched on its own).</summary>
    public NormalizationMode Normalization { get; init; } = NormalizationMode.Symmetric;

    public int Gap { get; init; } = 2;
    public int Margin { get; init; } = 4;
    public Rgb24 Background { get; init; } = new(255, 255, 255);
}
