using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>How a stack of activation maps is tiled as heat maps.</summary>
public sealed record FeatureMapOptions
{
    /// <summary>Tiles per row; null gives ceil(sqrt(channels)).</summary>
    public int? Columns { get; init; }

    /// <summary>Square tile side; each map is fitted inside keeping its aspect (nearest neighbour).</summary>
    public int CellSize { get; init; } = 64;

    public Colormap Colormap { get; init; } = Colormap.Viridis;

    /// <summary>One min/max over all maps (compare strengths) instead of one per map (see shapes).</summary>
    public bool SharedScale { get; init; }

    public int Gap { get; init; } = 2;
    public int Margin { get; init; } = 4;
    public Rgb24 Background { get; init; } = new(255, 255, 255);
    public Rgb24 CellBackground { get; init; } = new(32, 32, 32);
}
