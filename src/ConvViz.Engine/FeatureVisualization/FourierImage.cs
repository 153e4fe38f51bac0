using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// Images parameterised by their 2-D real Fourier coefficients, each scaled by 1 / frequency
/// (decay power 1, as Lucid's fft_image), so that the optimiser's steps are equally large at
/// every spatial frequency in the natural-image sense: plain pixel gradients are dominated by
/// high frequencies and make the familiar adversarial noise. Coefficients are N x 3 x H x
/// (W/2+1) x 2 (real, imaginary); the image is their orthonormal inverse real FFT divided by 4
/// (keeps the start near grey after the sigmoid; Lucid's constant).
/// </summary>
public static class FourierImage
{
    public const double DecayPower = 1.0;
    /// <summary>Standard deviation of the random start of each coefficient.</summary>
    public const double InitialStd = 0.01;

    public static long[] ShapeOf(int batch, int height, int width) => new long[] { batch, 3, height, width / 2 + 1, 2 };

    /// <summary>1 / max(frequency, 1 / max(H, W))^decay for every coefficient, shaped H x (W/2+1) x 1.</summary>
    public static Tensor Scale(int height, int width, Device device)
    {
        int wf = width / 2 + 1;
        var s = new float[height * wf];
        double floor = 1.0 / Math.Max(height, width);
        for (int y = 0; y < height; y++)
        {
            // numpy's fftfreq: 0, 1/H, ..., then the negative frequencies.
            double fy = (y <= (height - 1) / 2 ? y : y - height) / (double)height;
            for (int x = 0; x < wf; x++)
            {
                double fx = x / (double)width; // rfftfreq
                double f = Math.Max(Math.Sqrt(fy * fy + fx * fx), floor);
                s[y * wf + x] = (float)(1.0 / Math.Pow(f, DecayPower));
            }
        }
        return tensor(s, new long[] { height, wf, 1 }, device: device);
    }

    /// <summary>The decorrelated-space image (N x 3 x H x W, unbounded) of the coefficients.</summary>
    public static Tensor ToSpatial(Tensor coefficients, Tensor scale, int height, int width)
    {
        using var scaled = coefficients * scale;
        using var complex = view_as_complex(scaled);
        using var image = fft.irfft2(complex, new long[] { height, width }, new long[] { -2, -1 }, TorchSharp.FFTNormType.Ortho);
        return image / 4.0;
    }

    /// <summary>A seeded random start (Gaussian, <see cref="InitialStd"/>) for one image, from a managed generator.</summary>
    public static float[] RandomStart(Random random, int height, int width)
    {
        int n = 3 * height * (width / 2 + 1) * 2;
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            // Box-Muller: the same numbers on every machine and device for a given seed.
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = (float)(InitialStd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return values;
    }
}
