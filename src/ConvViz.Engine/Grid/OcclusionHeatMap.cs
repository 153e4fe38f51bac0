using System;
using System.Linq;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Image;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Occlusion maps as pictures the size of the original image. Every original pixel takes the
/// value of the grid cell its centre falls in (nearest, so the drawn cells are the true cells);
/// pixels outside the model's view (cropped away by the fitting) take the unoccluded baseline,
/// since occluding there could not have changed anything.
/// </summary>
public static class OcclusionHeatMap
{
    /// <summary>The chosen map, Rows x Cols row-major; throws when the model did not produce it.</summary>
    public static float[] Values(OcclusionResult result, OcclusionMapKind kind)
    {
        ArgumentNullException.ThrowIfNull(result);
        return kind switch
        {
            OcclusionMapKind.Activation => result.Activation,
            OcclusionMapKind.Probability => result.Probability ?? throw Missing(kind, "feature extractors have no class probabilities"),
            OcclusionMapKind.TopClass => result.TopClass?.Select(c => (float)c).ToArray() ?? throw Missing(kind, "feature extractors have no classes"),
            OcclusionMapKind.Distance => result.Distance ?? throw Missing(kind, "classifiers are mapped by Probability, not Distance"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown map."),
        };
    }

    /// <summary>The value pixels outside the model's view get.</summary>
    public static float Baseline(OcclusionResult result, OcclusionMapKind kind) => kind switch
    {
        OcclusionMapKind.Activation => result.BaselineActivation,
        OcclusionMapKind.Probability => result.BaselineProbability ?? 0f,
        OcclusionMapKind.TopClass => result.BaselineTopClass ?? 0,
        _ => 0f,
    };

    /// <summary>
    /// A 1 x height x width map over the original image (its size given by the grid's geometry,
    /// or the model input when there is none).
    /// </summary>
    public static FloatPlanes AtImageSize(OcclusionResult result, OcclusionMapKind kind)
    {
        var values = Values(result, kind);
        float baseline = Baseline(result, kind);
        var grid = result.Grid;
        var g = grid.Geometry ?? new ImageGeometry(grid.InputWidth, grid.InputHeight, grid.InputWidth, grid.InputHeight, 0, 0, grid.InputWidth, grid.InputHeight);
        int width = g.OriginalWidth, height = g.OriginalHeight;
        // Column of the grid for every original x, once; -1 outside the crop.
        var cols = new int[width];
        for (int x = 0; x < width; x++) cols[x] = CellOf(x, g.OriginalWidth, g.ResizedWidth, g.CropLeft, g.InputWidth, grid.Stride);
        var data = new float[(long)width * height];
        for (int y = 0; y < height; y++)
        {
            int row = CellOf(y, g.OriginalHeight, g.ResizedHeight, g.CropTop, g.InputHeight, grid.Stride);
            var line = data.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
                line[x] = row < 0 || cols[x] < 0 ? baseline : values[row * grid.Cols + cols[x]];
        }
        return FloatPlanes.Map(data, height, width);
    }

    /// <summary>The heat map at the original image's size, alone or blended over the image.</summary>
    public static Image<Rgb24> Draw(OcclusionResult result, OcclusionMapKind kind, Image<Rgb24>? original, bool overlay, float alpha = 0.5f)
    {
        var map = AtImageSize(result, kind);
        if (!overlay) return HeatMapRenderer.Render(map);
        ArgumentNullException.ThrowIfNull(original);
        if (original.Width != map.Width || original.Height != map.Height)
            throw new ArgumentException($"The image is {original.Width}x{original.Height} but the occlusion was measured on a {map.Width}x{map.Height} image.", nameof(original));
        return HeatMapRenderer.Overlay(original, map, alpha);
    }

    /// <summary>Draws and saves (PNG or JPEG by extension, atomically). The image is re-read from <paramref name="imagePath"/> for an overlay.</summary>
    public static (int Width, int Height) Save(OcclusionResult result, OcclusionMapKind kind, string? imagePath, string outputPath, bool overlay, float alpha = 0.5f)
    {
        if (overlay && string.IsNullOrEmpty(imagePath))
            throw new ArgumentException("An overlay needs the image the occlusion was measured on, and no image path is known.", nameof(imagePath));
        using var original = overlay ? ImageDecoder.Decode(imagePath!) : null;
        using var sheet = Draw(result, kind, original, overlay, alpha);
        SheetWriter.Save(sheet, outputPath);
        return (sheet.Width, sheet.Height);
    }

    // Original pixel centre -> model-input pixel -> grid cell, in integers: floor((2p + 1) * resized / (2 * original)) - crop.
    private static int CellOf(int p, int original, int resized, int crop, int input, int stride)
    {
        long v = (2L * p + 1) * resized / (2L * original) - crop;
        return v < 0 || v >= input ? -1 : (int)(v / stride);
    }

    private static ArgumentException Missing(OcclusionMapKind kind, string why)
        => new($"This occlusion result has no {kind} map: {why}.", nameof(kind));
}
