using System;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// Transformation robustness (Olah et al. 2017; Lucid's standard_transforms): at every step the
/// image is padded with mid-grey, then shifted, scaled and rotated at random before the model
/// sees it, so the optimum is a pattern the unit answers to wherever and however large it is,
/// not a pixel-exact adversarial texture. Ranges at 224 px (scaled by Size / 224, at least 1 px):
/// pad 16 px; shift uniform integer in [-12, 12] px on each axis (Lucid's jitter 8 then 4);
/// scale uniform from {0.90, 0.92, ..., 1.10}; rotation uniform integer degrees in [-10, 10].
/// All four are one affine resampling (bilinear, border = the grey pad) into the model's input
/// frame. The image keeps its own Size: it sits at native scale in the centre of the input
/// (grey around it when smaller, cropped when larger), since some graphs take only their input
/// size (the pretrained ResNet-18 subtracts a 224 x 224 mean image).
/// </summary>
public sealed class RobustTransforms
{
    public const int PadAt224 = 16;
    public const int ShiftAt224 = 12;
    public const int MaxRotationDegrees = 10;
    public static readonly double[] Scales = { 0.90, 0.92, 0.94, 0.96, 0.98, 1.00, 1.02, 1.04, 1.06, 1.08, 1.10 };

    public RobustTransforms(int size)
    {
        Size = size;
        Pad = Math.Max(1, (int)Math.Round(PadAt224 * size / 224.0));
        Shift = Math.Max(1, (int)Math.Round(ShiftAt224 * size / 224.0));
    }

    public int Size { get; }
    public int Pad { get; }
    public int Shift { get; }

    /// <summary>One random draw per image: (shift y, shift x, scale, rotation in degrees).</summary>
    public (int Dy, int Dx, double Scale, int Degrees) Draw(Random random)
        => (random.Next(-Shift, Shift + 1), random.Next(-Shift, Shift + 1), Scales[random.Next(Scales.Length)], random.Next(-MaxRotationDegrees, MaxRotationDegrees + 1));

    /// <summary>
    /// The N x 3 x Size x Size images in the model's input frame (outH x outW), each under its own
    /// draw: placed at native scale in the centre of a canvas of the input size plus the pad on
    /// every side (mid-grey <paramref name="grey"/> around it, or cropped when larger), then
    /// sampled back to outH x outW through the draw's shift, scale and rotation (in pixels about
    /// the centre). The identity draw returns <see cref="Place"/>(images, outH, outW) exactly.
    /// </summary>
    public Tensor Apply(Tensor images, (int Dy, int Dx, double Scale, int Degrees)[] draws, double grey, int outH, int outW)
    {
        int n = (int)images.shape[0];
        if (draws.Length != n) throw new ArgumentException($"{draws.Length} transform draws for {n} images.", nameof(draws));
        int fullH = outH + 2 * Pad, fullW = outW + 2 * Pad;
        using var canvas = Place(images, fullH, fullW, grey);
        var theta = new float[n * 6];
        for (int i = 0; i < n; i++)
        {
            // grid_sample maps normalised output coordinates to normalised canvas coordinates; in
            // pixels about the centre, source = rotation / scale x output + shift.
            var (dy, dx, s, deg) = draws[i];
            double r = deg * Math.PI / 180, c = Math.Cos(r) / s, sn = Math.Sin(r) / s;
            theta[i * 6 + 0] = (float)(c * outW / fullW); theta[i * 6 + 1] = (float)(-sn * outH / fullW); theta[i * 6 + 2] = (float)(2.0 * dx / fullW);
            theta[i * 6 + 3] = (float)(sn * outW / fullH); theta[i * 6 + 4] = (float)(c * outH / fullH); theta[i * 6 + 5] = (float)(2.0 * dy / fullH);
        }
        using var t = tensor(theta, new long[] { n, 2, 3 }, device: images.device);
        using var grid = F.affine_grid(t, new long[] { n, 3, outH, outW }, align_corners: false);
        return F.grid_sample(canvas, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    /// <summary>
    /// Centres N x 3 x h x w images in an outH x outW frame at native scale: padded with
    /// <paramref name="grey"/>, or cropped, the odd pixel going to the bottom/right.
    /// </summary>
    public static Tensor Place(Tensor images, int outH, int outW, double grey)
    {
        long h = images.shape[2], w = images.shape[3];
        long top = (outH - h) / 2, left = (outW - w) / 2;
        if (top == 0 && left == 0 && h == outH && w == outW) return images.alias();
        // constant_pad_nd crops where a pad is negative.
        return F.pad(images, new long[] { left, outW - w - left, top, outH - h - top }, TorchSharp.PaddingModes.Constant, grey);
    }
}
