using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>Activation maps C x H x W as a grid of heat maps, map c in tile c.</summary>
public static class FeatureMapRenderer
{
    public static TileGridLayout LayoutFor(FloatPlanes maps, FeatureMapOptions options)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CellSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.CellSize, "CellSize must be positive.");
        return new TileGridLayout(maps.Channels, options.Columns ?? TileGridLayout.SquareColumns(maps.Channels),
            options.CellSize, options.CellSize, options.Gap, options.Margin);
    }

    public static Image<Rgb24> Render(FloatPlanes maps, FeatureMapOptions? options = null)
    {
        options ??= new FeatureMapOptions();
        var layout = LayoutFor(maps, options);
        float? lo = null, hi = null;
        if (options.SharedScale) (lo, hi) = HeatMapRenderer.Range(maps.Data, null, null);
        var sheet = new Image<Rgb24>(layout.Width, layout.Height, options.Background);
        for (int c = 0; c < maps.Channels; c++)
        {
            var tile = layout.Tile(c);
            PixelOps.Fill(sheet, tile, options.CellBackground);
            var fit = PatchGridLayout.Fit(maps.Width, maps.Height, tile);
            var plane = FloatPlanes.Map(maps.Plane(c).ToArray(), maps.Height, maps.Width);
            using var heat = HeatMapRenderer.Render(plane, fit.Width, fit.Height, options.Colormap, lo, hi, smooth: false);
            PixelOps.Blit(sheet, heat, fit.X, fit.Y);
        }
        return sheet;
    }
}
