using System;

namespace ConvViz.Engine.Analysis;

/// <summary>The RGB value of a <see cref="FillMode"/> for one image, in the model's pixel range.</summary>
public static class FillColor
{
    /// <param name="pixels">3 x H x W floats (CHW) in [0, pixelMax].</param>
    public static float[] Of(FillMode mode, ReadOnlySpan<float> pixels, float pixelMax)
    {
        switch (mode)
        {
            case FillMode.Zero: return new float[3];
            case FillMode.Gray: return new[] { pixelMax / 2, pixelMax / 2, pixelMax / 2 };
            case FillMode.Mean:
                if (pixels.Length == 0 || pixels.Length % 3 != 0)
                    throw new ArgumentException($"An RGB image has 3 x H x W values, got {pixels.Length}.", nameof(pixels));
                int plane = pixels.Length / 3;
                var mean = new float[3];
                for (int c = 0; c < 3; c++)
                {
                    // Double accumulation: a 224 x 224 plane summed in float loses the low bits.
                    double sum = 0;
                    foreach (float v in pixels.Slice(c * plane, plane)) sum += v;
                    mean[c] = (float)(sum / plane);
                }
                return mean;
            default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fill mode.");
        }
    }
}
