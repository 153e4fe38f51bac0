using System;
using ConvViz.Engine.Graph;

namespace ConvViz.Engine.Projection;

/// <summary>
/// The effective receptive field of one projection: the smallest box (by area) inside the
/// theoretical field that holds a given share of the projection's absolute mass, grown to a
/// minimum size. Deep units have fields larger than the input; this box shows the part of the
/// photo that actually drives the activation.
/// <para>Mass of a pixel = sum over channels of |value|. The search is exact: for every band
/// of rows [top, bottom), a two-pointer sweep over the column sums of the band finds the
/// narrowest column range that holds the share (column sums are non-negative, so the right
/// edge only moves right as the left edge does). Bands are tried by increasing height and
/// stop once a band's height alone reaches the best area found. Ties keep the first box in
/// the order height, top, left. An all-zero projection keeps the whole field.</para>
/// </summary>
public static class EffectiveCrop
{
    /// <param name="planes">C x height x width floats (the projection over the whole model input).</param>
    /// <param name="field">The theoretical field in model-input pixels; the result lies inside it.</param>
    /// <param name="massShare">Share of the absolute mass in (0, 1].</param>
    /// <param name="minSize">Minimum side in pixels (capped at the field's side).</param>
    /// <returns>The box, and the share of the field's mass it holds.</returns>
    public static (PixelBox Box, double Share) Of(float[] planes, int height, int width, PixelBox field, double massShare, int minSize)
    {
        ArgumentNullException.ThrowIfNull(planes);
        if (height < 1 || width < 1 || planes.Length % (height * width) != 0)
            throw new ArgumentException($"A projection of {planes.Length} floats is not C x {height} x {width}.", nameof(planes));
        if (!(massShare > 0 && massShare <= 1)) throw new ArgumentOutOfRangeException(nameof(massShare), massShare, "The share must be in (0, 1].");
        int channels = planes.Length / (height * width);
        int top0 = (int)field.Top, left0 = (int)field.Left, h = (int)field.Height, w = (int)field.Width;
        if (h < 1 || w < 1) return (field, 0);

        // colPrefix[y * w + x]: mass of column x over rows [0, y) of the field.
        var colPrefix = new double[(h + 1) * w];
        var rowPrefix = new double[h + 1];
        for (int y = 0; y < h; y++)
        {
            double row = 0;
            for (int x = 0; x < w; x++)
            {
                double m = 0;
                for (int c = 0; c < channels; c++) m += Math.Abs(planes[((long)c * height + top0 + y) * width + left0 + x]);
                colPrefix[(y + 1) * w + x] = colPrefix[y * w + x] + m;
                row += m;
            }
            rowPrefix[y + 1] = rowPrefix[y] + row;
        }
        // The total the same way a band's sum is formed below, so the whole field always qualifies at share 1.
        var band = new double[w + 1];
        double total = BandPrefix(colPrefix, w, 0, h, band);
        if (!(total > 0)) return (field, 0);
        double target = massShare * total;

        long bestArea = (long)h * w;
        int bestTop = 0, bestBottom = h, bestLeft = 0, bestRight = w;
        for (int bh = 1; bh <= h && bh < bestArea; bh++)
        {
            for (int t = 0; t + bh <= h; t++)
            {
                if (rowPrefix[t + bh] - rowPrefix[t] < target * (1 - 1e-12)) continue;
                if (BandPrefix(colPrefix, w, t, t + bh, band) < target) continue;
                int r = 0;
                for (int l = 0; l < w; l++)
                {
                    if (r < l) r = l;
                    while (r < w && band[r] - band[l] < target) r++;
                    if (band[r] - band[l] < target) break;   // no range from l on holds it
                    long area = (long)bh * (r - l);
                    if (area < bestArea) { bestArea = area; bestTop = t; bestBottom = t + bh; bestLeft = l; bestRight = r; }
                }
            }
        }
        var (y0, y1) = Grow(bestTop, bestBottom, h, minSize);
        var (x0, x1) = Grow(bestLeft, bestRight, w, minSize);
        BandPrefix(colPrefix, w, y0, y1, band);
        double held = band[x1] - band[x0];
        return (new PixelBox(top0 + y0, left0 + x0, top0 + y1, left0 + x1), held / total);
    }

    // band[x] = mass of columns [0, x) over rows [top, bottom); returns the band's total.
    private static double BandPrefix(double[] colPrefix, int w, int top, int bottom, double[] band)
    {
        band[0] = 0;
        for (int x = 0; x < w; x++) band[x + 1] = band[x] + (colPrefix[bottom * w + x] - colPrefix[top * w + x]);
        return band[w];
    }

    // Widens [a, b) around its centre to at least min(minSize, limit), kept inside [0, limit).
    private static (int, int) Grow(int a, int b, int limit, int minSize)
    {
        int need = Math.Min(Math.Max(1, minSize), limit);
        if (b - a >= need) return (a, b);
        int extra = need - (b - a);
        a -= extra / 2; b += extra - extra / 2;
        if (a < 0) { b -= a; a = 0; }
        if (b > limit) { a -= b - limit; b = limit; }
        return (a, b);
    }
}
