using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// First-layer filters as colour tiles: weights [out, in, kh, kw] (in = 3 draws RGB,
/// in = 1 grey), each filter normalised on its own, enlarged by nearest neighbour.
/// </summary>
public static class FilterGridRenderer
{
    public static TileGridLayout LayoutFor(int outChannels, int kernelHeight, int kernelWidth, FilterGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int scale = ScaleFor(kernelHeight, kernelWidth, options);
        return new TileGridLayout(outChannels, options.Columns ?? TileGridLayout.SquareColumns(outChannels),
            kernelWidth * scale, kernelHeight * scale, options.Gap, options.Margin);
    }

    /// <summary>Pixels per weight: max(1, CellSize / max(kh, kw)), integer.</summary>
    public static int ScaleFor(int kernelHeight, int kernelWidth, FilterGridOptions options)
    {
        if (kernelHeight < 1 || kernelWidth < 1) throw new ArgumentOutOfRangeException(nameof(kernelHeight), "Kernels need positive size.");
        if (options.CellSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.CellSize, "CellSize must be positive.");
        return Math.Max(1, options.CellSize / Math.Max(kernelHeight, kernelWidth));
    }

    public static Image<Rgb24> Render(float[] weights, int outChannels, int inChannels, int kernelHeight, int kernelWidth, FilterGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        options ??= new FilterGridOptions();
        if (inChannels != 1 && inChannels != 3)
            throw new ArgumentException($"Filters drawn as pictures need 1 or 3 input channels (a first layer), got {inChannels}.", nameof(inChannels));
        long perFilter = (long)inChannels * kernelHeight * kernelWidth;
        if (outChannels < 1 || perFilter * outChannels != weights.Length)
            throw new ArgumentException($"Weights of {outChannels} x {inChannels} x {kernelHeight} x {kernelWidth} need {perFilter * outChannels} values, got {weights.Length}.", nameof(weights));
        var layout = LayoutFor(outChannels, kernelHeight, kernelWidth, options);
        int s = ScaleFor(kernelHeight, kernelWidth, options);
        var sheet = new Image<Rgb24>(layout.Width, layout.Height, options.Background);
        for (int f = 0; f < outChannels; f++)
        {
            var slice = new float[perFilter];
            Array.Copy(weights, f * perFilter, slice, 0, perFilter);
            using var tile = DisplayNormalization.ToImage(new FloatPlanes(slice, inChannels, kernelHeight, kernelWidth), options.Normalization);
            var rect = layout.Tile(f);
            // Integer block enlargement by hand: exact, unlike a general resampler.
            for (int y = 0; y < rect.Height; y++)
            {
                Span<Rgb24> src = tile.DangerousGetPixelRowMemory(y / s).Span;
                Span<Rgb24> dst = sheet.DangerousGetPixelRowMemory(rect.Y + y).Span.Slice(rect.X, rect.Width);
                for (int x = 0; x < rect.Width; x++) dst[x] = src[x / s];
            }
        }
        return sheet;
    }
}
