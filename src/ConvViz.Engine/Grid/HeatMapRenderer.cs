using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Single-channel maps (occlusion sensitivity, activations) as colour images. Values are
/// stretched min -> 0, max -> 1 unless a fixed range is given (to compare maps on one scale).
/// </summary>
public static class HeatMapRenderer
{
    /// <summary>The map at its own resolution, one pixel per value.</summary>
    public static Image<Rgb24> Render(FloatPlanes map, Colormap? colormap = null, float? min = null, float? max = null)
        => Render(map, map.Width, map.Height, colormap, min, max, smooth: false);

    /// <summary>
    /// The map resampled to width x height. <paramref name="smooth"/> interpolates the VALUES
    /// bilinearly (pixel-centre aligned) before colouring, so no false colours appear between
    /// table entries; otherwise nearest neighbour shows the map's true cells.
    /// </summary>
    public static Image<Rgb24> Render(FloatPlanes map, int width, int height, Colormap? colormap = null,
        float? min = null, float? max = null, bool smooth = true)
    {
        ArgumentNullException.ThrowIfNull(map);
        RequireSingle(map);
        var cmap = colormap ?? Colormap.Viridis;
        var (lo, hi) = Range(map.Data, min, max);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            Span<Rgb24> row = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < width; x++)
            {
                float v = Sample(map, x, y, width, height, smooth);
                row[x] = cmap.Map(hi > lo ? (v - lo) / (hi - lo) : 0.5f);
            }
        }
        return image;
    }

    /// <summary>
    /// The map coloured and blended over <paramref name="background"/> (stretched to its size):
    /// out = (1 - alpha) * background + alpha * colour. Returns a new image.
    /// </summary>
    public static Image<Rgb24> Overlay(Image<Rgb24> background, FloatPlanes map, float alpha = 0.5f,
        Colormap? colormap = null, float? min = null, float? max = null)
    {
        ArgumentNullException.ThrowIfNull(background);
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in [0, 1].");
        using var heat = Render(map, background.Width, background.Height, colormap, min, max, smooth: true);
        var result = background.Clone();
        for (int y = 0; y < result.Height; y++)
        {
            Span<Rgb24> row = result.DangerousGetPixelRowMemory(y).Span;
            Span<Rgb24> top = heat.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < row.Length; x++)
                row[x] = new Rgb24(Blend(row[x].R, top[x].R, alpha), Blend(row[x].G, top[x].G, alpha), Blend(row[x].B, top[x].B, alpha));
        }
        return result;
    }

    internal static void RequireSingle(FloatPlanes map)
    {
        if (map.Channels != 1) throw new ArgumentException($"A heat map has one channel, got {map.Channels}.", nameof(map));
    }

    internal static (float Lo, float Hi) Range(ReadOnlySpan<float> data, float? min, float? max)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in data)
        {
            if (!float.IsFinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (lo > hi) { lo = 0; hi = 0; }
        return (min ?? lo, max ?? hi);
    }

    private static float Sample(FloatPlanes map, int x, int y, int width, int height, bool smooth)
    {
        float[] d = map.Data;
        int w = map.Width, h = map.Height;
        if (!smooth)
        {
            int sx = Math.Min(w - 1, (int)((long)x * w / width));
            int sy = Math.Min(h - 1, (int)((long)y * h / height));
            return Finite(d[sy * w + sx]);
        }
        float fx = Math.Clamp((x + 0.5f) * w / width - 0.5f, 0, w - 1);
        float fy = Math.Clamp((y + 0.5f) * h / height - 0.5f, 0, h - 1);
        int x0 = (int)fx, y0 = (int)fy, x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
        float ax = fx - x0, ay = fy - y0;
        float top = Finite(d[y0 * w + x0]) * (1 - ax) + Finite(d[y0 * w + x1]) * ax;
        float bottom = Finite(d[y1 * w + x0]) * (1 - ax) + Finite(d[y1 * w + x1]) * ax;
        return top * (1 - ay) + bottom * ay;
    }

    private static float Finite(float v) => float.IsFinite(v) ? v : 0f;

    private static byte Blend(byte under, byte over, float alpha) => (byte)MathF.Round(under * (1 - alpha) + over * alpha);
}
