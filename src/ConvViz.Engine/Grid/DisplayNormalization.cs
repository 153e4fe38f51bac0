using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Per-image contrast stretch of a reconstruction for display, as in Zeiler &amp; Fergus's
/// figures. The statistics (max |v|, min, max) are taken over ALL channels of one image
/// together, so the colour balance of the projection is kept.
/// <list type="bullet">
/// <item><see cref="NormalizationMode.Symmetric"/>: t = 0.5 + v / (2 m), m = max |v|.
///   0 maps to 0.5 (byte 128); the value with the largest magnitude maps to exactly 1 (if
///   positive) or 0 (if negative); -m -> 0, +m -> 1.</item>
/// <item><see cref="NormalizationMode.MinMax"/>: t = (v - min) / (max - min); min -> 0, max -> 1.</item>
/// <item><see cref="NormalizationMode.Absolute"/>: t = |v| / m; 0 -> 0, +-m -> 1.</item>
/// <item><see cref="NormalizationMode.Robust"/>: t = clamp(0.5 + v / (2 p)), p = the 99th
///   percentile (nearest rank) of the non-zero |v|; 0 -> 0.5, |v| >= p -> 0 or 1.</item>
/// </list>
/// Degenerate images (all zero for Symmetric/Absolute, constant for MinMax) map to 0.5,
/// 0 and 0.5 respectively. NaN and infinities count as 0 (a display must never throw).
/// Bytes are round(255 t), so 0.5 gives 128.
/// </summary>
public static class DisplayNormalization
{
    /// <summary>Maps every value to [0, 1] according to <paramref name="mode"/>.</summary>
    public static float[] Normalize(ReadOnlySpan<float> values, NormalizationMode mode)
    {
        var result = new float[values.Length];
        float min = float.PositiveInfinity, max = float.NegativeInfinity, absMax = 0;
        foreach (float raw in values)
        {
            float v = Finite(raw);
            if (v < min) min = v;
            if (v > max) max = v;
            float a = MathF.Abs(v);
            if (a > absMax) absMax = a;
        }
        float robust = mode == NormalizationMode.Robust ? Percentile99(values, absMax) : 0;
        for (int i = 0; i < values.Length; i++)
        {
            float v = Finite(values[i]);
            float t = mode switch
            {
                NormalizationMode.Robust => robust > 0 ? 0.5f + v / (2 * robust) : 0.5f,
                NormalizationMode.Symmetric => absMax > 0 ? 0.5f + v / (2 * absMax) : 0.5f,
                NormalizationMode.MinMax => max > min ? (v - min) / (max - min) : 0.5f,
                NormalizationMode.Absolute => absMax > 0 ? MathF.Abs(v) / absMax : 0f,
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown normalization."),
            };
            result[i] = Math.Clamp(t, 0f, 1f);
        }
        return result;
    }

    // Nearest-rank 99th percentile of the non-zero magnitudes; falls back to the maximum.
    private static float Percentile99(ReadOnlySpan<float> values, float absMax)
    {
        var mags = new System.Collections.Generic.List<float>(values.Length);
        foreach (float raw in values) { float a = MathF.Abs(Finite(raw)); if (a > 0) mags.Add(a); }
        if (mags.Count == 0) return 0;
        mags.Sort();
        int rank = (int)Math.Ceiling(0.99 * mags.Count) - 1;
        float p = mags[Math.Clamp(rank, 0, mags.Count - 1)];
        return p > 0 ? p : absMax;
    }

    /// <summary>[0, 1] to a byte: round(255 t), clamped.</summary>
    public static byte ToByte(float t) => (byte)Math.Clamp((int)MathF.Round(t * 255f, MidpointRounding.AwayFromZero), 0, 255);

    /// <summary>
    /// A 3 x H x W reconstruction (or 1 x H x W, drawn grey) to an RGB image of H x W pixels.
    /// </summary>
    public static Image<Rgb24> ToImage(FloatPlanes planes, NormalizationMode mode = NormalizationMode.Symmetric)
    {
        ArgumentNullException.ThrowIfNull(planes);
        if (planes.Channels != 3 && planes.Channels != 1)
            throw new ArgumentException($"A displayable image has 1 or 3 channels, got {planes.Channels}.", nameof(planes));
        float[] t = Normalize(planes.Data, mode);
        int h = planes.Height, w = planes.Width, n = planes.PlaneSize;
        bool grey = planes.Channels == 1;
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
        {
            Span<Rgb24> row = image.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                byte r = ToByte(t[i]);
                row[x] = grey ? new Rgb24(r, r, r) : new Rgb24(r, ToByte(t[n + i]), ToByte(t[2 * n + i]));
            }
        }
        return image;
    }

    private static float Finite(float v) => float.IsFinite(v) ? v : 0f;
}
