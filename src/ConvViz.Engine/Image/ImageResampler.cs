using System;
using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Image;

/// <summary>
/// Computes the model-input window of a resized image straight from the decoded pixels,
/// without ever making the resized image: only the Width x Height pixels the crop keeps are
/// computed, so the memory a photo of any shape takes beyond its decoded pixels is bounded by
/// the crop (a 1 x 20000 strip no longer becomes a 256 x 5,120,000 intermediate).
///
/// The filter is the triangle (bilinear) filter with Pillow's and ImageSharp's antialiasing
/// convention: output pixel j of the resized image has its centre at original coordinate
/// (j + 0.5) * Original / Resized; the kernel's radius is one output pixel when shrinking
/// (one input pixel when enlarging); weights are normalised over the pixels inside the image.
/// The decoded pixels may be a DCT-reduced copy of the original (JPEG decoded at 1/Reduction
/// of its size): reduced pixel i covers original pixels [i * Reduction, (i + 1) * Reduction),
/// so the same original coordinate is divided by Reduction and the mapping stays exact.
/// Values stay in float (no rounding to 8 bits between the passes or at the end).
/// </summary>
internal static class ImageResampler
{
    /// <summary>
    /// Writes the geometry's crop window as 3 planes (R, G, B) of InputWidth x InputHeight
    /// floats times <paramref name="scale"/> into <paramref name="destination"/>.
    /// </summary>
    public static void FitInto(Image<Rgb24> source, ImageGeometry g, int reduction, float scale, Span<float> destination)
    {
        if (reduction < 1) throw new ArgumentOutOfRangeException(nameof(reduction));
        int w = g.InputWidth, h = g.InputHeight;
        long plane = (long)w * h;
        if (destination.Length != 3 * plane) throw new ArgumentException($"Destination holds {destination.Length} floats; needs {3 * plane}.");
        var xs = Weights(g.OriginalWidth, g.ResizedWidth, g.CropLeft, w, source.Width, reduction);
        var ys = Weights(g.OriginalHeight, g.ResizedHeight, g.CropTop, h, source.Height, reduction);

        // Horizontal pass over only the source rows the window's vertical kernels reach.
        int firstRow = ys.First, lastRow = ys.Last;
        int rows = lastRow - firstRow + 1;
        var pool = ArrayPool<float>.Shared;
        var horizontal = pool.Rent(rows * w * 3);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                var row = source.DangerousGetPixelRowMemory(firstRow + r).Span;
                var outRow = horizontal.AsSpan(r * w * 3, w * 3);
                for (int x = 0; x < w; x++)
                {
                    int start = xs.Start[x];
                    var weights = xs.Values.AsSpan(xs.Offset[x], xs.Count[x]);
                    float rr = 0, gg = 0, bb = 0;
                    for (int k = 0; k < weights.Length; k++)
                    {
                        var p = row[start + k];
                        float wk = weights[k];
                        rr += p.R * wk; gg += p.G * wk; bb += p.B * wk;
                    }
                    outRow[3 * x] = rr; outRow[3 * x + 1] = gg; outRow[3 * x + 2] = bb;
                }
            }
            // Vertical pass into the planes.
            var red = destination[..(int)plane];
            var green = destination.Slice((int)plane, (int)plane);
            var blue = destination.Slice(2 * (int)plane, (int)plane);
            for (int y = 0; y < h; y++)
            {
                int start = ys.Start[y] - firstRow;
                var weights = ys.Values.AsSpan(ys.Offset[y], ys.Count[y]);
                int o = y * w;
                for (int x = 0; x < w; x++)
                {
                    float rr = 0, gg = 0, bb = 0;
                    int idx = start * w * 3 + 3 * x;
                    for (int k = 0; k < weights.Length; k++, idx += w * 3)
                    {
                        float wk = weights[k];
                        rr += horizontal[idx] * wk; gg += horizontal[idx + 1] * wk; bb += horizontal[idx + 2] * wk;
                    }
                    red[o + x] = rr * scale; green[o + x] = gg * scale; blue[o + x] = bb * scale;
                }
            }
        }
        finally
        {
            pool.Return(horizontal);
        }
    }

    /// <summary>Per output pixel: the first source pixel, how many, and their normalised weights.</summary>
    internal sealed record KernelTable(int[] Start, int[] Count, int[] Offset, float[] Values, int First, int Last);

    internal static KernelTable Weights(int original, int resized, int cropStart, int count, int sourceSize, int reduction)
    {
        // Source pixels per output pixel, and the kernel's radius in source pixels.
        double ratio = (double)original / resized / reduction;
        double support = Math.Max(1.0, ratio);
        var start = new int[count];
        var n = new int[count];
        var offset = new int[count];
        int width = (int)Math.Ceiling(support) * 2 + 2;
        var values = new float[count * width];
        int first = int.MaxValue, last = -1;
        var tmp = new double[width];
        for (int j = 0; j < count; j++)
        {
            // Centre of output pixel (cropStart + j) in source coordinates (pixel i spans [i, i+1)).
            double centre = (cropStart + j + 0.5) * original / resized / reduction;
            int lo = Math.Max(0, (int)Math.Floor(centre - support + 0.5));
            int hi = Math.Min(sourceSize, (int)Math.Floor(centre + support + 0.5));
            if (hi <= lo) { lo = Math.Clamp((int)Math.Floor(centre), 0, sourceSize - 1); hi = lo + 1; }
            double sum = 0;
            for (int i = lo; i < hi; i++)
            {
                double t = Math.Abs(i + 0.5 - centre) / support;
                double wgt = t < 1 ? 1 - t : 0;
                tmp[i - lo] = wgt;
                sum += wgt;
            }
            offset[j] = j * width;
            start[j] = lo;
            n[j] = hi - lo;
            for (int i = 0; i < hi - lo; i++) values[j * width + i] = (float)(sum > 0 ? tmp[i] / sum : 1.0 / (hi - lo));
            first = Math.Min(first, lo);
            last = Math.Max(last, hi - 1);
        }
        return new KernelTable(start, n, offset, values, first, last);
    }
}
