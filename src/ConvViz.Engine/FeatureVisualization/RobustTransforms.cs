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
/// All four are one affine resampling (bilinear, border = the grey pad) back to Size x Size.
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

    /// <summary>Applies one draw per image of the N x 3 x Size x Size batch (pixel values; grey = <paramref name="grey"/>).</summary>
    public Tensor Apply(Tensor images, (int Dy, int Dx, double Scale, int Degrees)[] draws, double grey)
    {
        int n = (int)images.shape[0];
        if (draws.Length != n) throw new ArgumentException($"{draws.Length} transform draws for {n} images.", nameof(draws));
        using var padded = F.pad(images, new long[] { Pad, Pad, Pad, Pad }, TorchSharp.PaddingModes.Constant, grey);
        double full = Size + 2.0 * Pad;
        var theta = new float[n * 6];
        for (int i = 0; i < n; i++)
        {
            // grid_sample's normalised coordinates span the padded image; an output of Size pixels at
            // scale 1 covers Size / full of it. Output -> source: rotate, divide by the scale, shift.
            var (dy, dx, s, deg) = draws[i];
            double a = Size / full / s, r = deg * Math.PI / 180;
            theta[i * 6 + 0] = (float)(a * Math.Cos(r)); theta[i * 6 + 1] = (float)(-a * Math.Sin(r)); theta[i * 6 + 2] = (float)(2.0 * dx / full);
            theta[i * 6 + 3] = (float)(a * Math.Sin(r)); theta[i * 6 + 4] = (float)(a * Math.Cos(r)); theta[i * 6 + 5] = (float)(2.0 * dy / full);
        }
        using var t = tensor(theta, new long[] { n, 2, 3 }, device: images.device);
        using var grid = F.affine_grid(t, new long[] { n, 3, Size, Size }, align_corners: false);
        return F.grid_sample(padded, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }
}
