using static TorchSharp.torch;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// The fixed 3x3 matrix that maps decorrelated colour coordinates to RGB before the sigmoid,
/// so that each optimised coordinate moves pixels along a principal direction of natural
/// colour variation rather than along R, G and B separately (Olah et al., "Feature
/// Visualization", Distill 2017, "decorrelated space").
/// </summary>
/// <remarks>
/// Derivation (computed once, offline, with numpy; the numbers are constants here so the
/// optimisation does not depend on which photos are installed): the RGB covariance C of every
/// pixel of the four demo photos in module/Samples (astronaut, chelsea, coffee, rocket; 360,704
/// pixels, values scaled to [0, 1]) is
///   [[0.07445, 0.04729, 0.02573], [0.04729, 0.04550, 0.03725], [0.02573, 0.03725, 0.04133]].
/// Its eigen-decomposition C = U S U^T gives the square root U sqrt(S) (columns: principal
/// directions scaled by their standard deviation; sign chosen so the first, luminance column
/// is positive). Dividing by the largest column norm (0.36118) keeps a unit step in the
/// decorrelated space at most a unit step in RGB. A white-noise start in the decorrelated space
/// therefore has the colour statistics of those photos, up to that scale.
/// </remarks>
public static class ColorDecorrelation
{
    /// <summary>Row c, column k: the contribution of decorrelated coordinate k to RGB channel c.</summary>
    public static readonly float[,] Matrix =
    {
        { 0.68881165f,  0.30863289f,  0.03170079f },
        { 0.57632443f, -0.10367464f, -0.07686377f },
        { 0.43975978f, -0.34755271f,  0.05107924f },
    };

    /// <summary>RGB = Matrix x t for every pixel of an N x 3 x H x W tensor.</summary>
    public static Tensor ToRgb(Tensor decorrelated)
    {
        var flat = new float[9];
        for (int c = 0; c < 3; c++) for (int k = 0; k < 3; k++) flat[c * 3 + k] = Matrix[c, k];
        using var m = tensor(flat, new long[] { 3, 3 }, device: decorrelated.device);
        return einsum("ck,nkhw->nchw", m, decorrelated);
    }
}
