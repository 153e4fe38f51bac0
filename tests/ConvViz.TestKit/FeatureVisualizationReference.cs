using System;
using System.Linq;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.TestKit;

/// <summary>
/// Independent checks for New-FeatureVisualization: filters in RGB pixel space by finite
/// differences through the forward pass (no autograd, no projector), and correlations of an
/// optimised image with a filter (tiled, or at its best position).
/// </summary>
public static class FeatureVisualizationReference
{
    /// <summary>
    /// Each unit's filter as seen from the RGB input (units x 3 x k x k, k the field side at the
    /// centre position): the change of the layer's pre-activation at its centre position when one
    /// input pixel of the field steps from mid-grey by a quarter of the pixel range. Exact for a
    /// layer that is affine in the input (a first conv with its batch-norm and normalisation).
    /// </summary>
    public static float[] FiniteDifferenceFilters(ConvModel model, string layer, out int units, out int kernel)
    {
        var graph = model.Graph;
        int node = model.Layers.Get(layer).PreActivation;
        var shape = graph.ShapeOf(node);
        long cy = shape[1] / 2, cx = shape[2] / 2;
        var box = graph.FieldOf(node).BoxOf(cy, cx, graph.InputShape[1], graph.InputShape[2]);
        if (box.Height != box.Width) throw new ArgumentException($"Field {box.Height}x{box.Width} at the centre is clipped; pick a larger input.");
        int k = (int)box.Height, u = (int)shape[0];
        long h = graph.InputShape[1], w = graph.InputShape[2];
        float grey = model.Input.PixelMax / 2, step = model.Input.PixelMax / 4;
        int probes = 3 * k * k;
        var result = new float[u * probes];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        float[] Responses(int first, int count)
        {
            using var inner = NewDisposeScope();
            var x = full(new long[] { count, 3, h, w }, grey, device: model.Device);
            for (int i = 0; i < count; i++)
            {
                int p = first + i - 1; // -1: the grey base image
                if (p < 0) continue;
                int c = p / (k * k), y = p / k % k, xx = p % k;
                x[i, c, box.Top + y, box.Left + xx] = grey + step;
            }
            var act = ForwardPass.Run(graph, x, new[] { node })[node];
            return act.select(2, cy).select(2, cx).contiguous().cpu().data<float>().ToArray(); // count x u
        }
        var baseline = Responses(0, 1);
        for (int first = 1; first <= probes; first += 16)
        {
            int count = Math.Min(16, probes + 1 - first);
            var r = Responses(first, count);
            for (int i = 0; i < count; i++)
                for (int unit = 0; unit < u; unit++)
                    result[unit * probes + first - 1 + i] = (r[i * u + unit] - baseline[unit]) / step;
        }
        units = u; kernel = k;
        return result;
    }

    /// <summary>
    /// For each of <paramref name="units"/> filters (units x 3 x k x k): the largest Pearson
    /// correlation between the filter and a k x k window of the 3 x size x size image, over every
    /// window (sums over windows by forward convolutions in float64; a window without variance scores 0).
    /// </summary>
    public static double[] BestWindowCorrelations(float[] image, int size, float[] filters, int units, int k)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(image, new long[] { 1, 3, size, size }, ScalarType.Float64);
        var f = tensor(filters, new long[] { units, 3, k, k }, ScalarType.Float64);
        var fc = f - f.mean(new long[] { 1, 2, 3 }, keepdim: true);
        var fnorm = fc.square().sum(new long[] { 1, 2, 3 }).sqrt().reshape(1, units, 1, 1);
        var window = ones(new long[] { 1, 3, k, k }, ScalarType.Float64);
        int n = 3 * k * k;
        var num = F.conv2d(x, fc);
        var s1 = F.conv2d(x, window);
        var s2 = F.conv2d(x.square(), window);
        var variance = (s2 - s1.square() / n).clamp_min(0);
        var den = variance.sqrt() * fnorm;
        var r = where(den.gt(1e-9), num / den.clamp_min(1e-9), zeros_like(num));
        return r.amax(new long[] { 0, 2, 3 }).data<double>().ToArray();
    }

    /// <summary>
    /// The input gradient of a layer's channel mean, as feature visualisation computes it (every convolution
    /// through the engine's own adjoint), against libtorch's autograd through the same forward pass:
    /// max |difference| / max |autograd|. A random input in the pixel range, batch of 2.
    /// </summary>
    public static double OwnConvolutionAdjointError(ConvModel model, string layer, int unit, int seed)
    {
        using var scope = NewDisposeScope();
        var graph = model.Graph;
        int node = model.Layers.Get(layer).PreActivation;
        var gen = new Generator((ulong)seed);
        var x0 = rand(new long[] { 2, 3, graph.InputShape[1], graph.InputShape[2] }, generator: gen) * model.Input.PixelMax;
        Tensor Gradient(bool own)
        {
            using var _ = enable_grad();
            var x = x0.clone().requires_grad_(true);
            var y = ConvViz.Engine.FeatureVisualization.GradientForward.Run(graph, x, node, own);
            var loss = y.select(1, unit).mean();
            return autograd.grad(new[] { loss }, new[] { x })[0];
        }
        var mine = Gradient(true);
        var theirs = Gradient(false);
        return (mine - theirs).abs().max().item<float>() / theirs.abs().max().item<float>();
    }

    /// <summary>
    /// Pearson correlation between the 3 x size x size image and the 3 x k x k filter tiled over
    /// it, at the best of the k x k phases (the optimisation may settle on any).
    /// </summary>
    public static double TiledCorrelation(float[] image, int size, float[] filter, int k)
    {
        double best = double.NegativeInfinity;
        int n = 3 * size * size;
        double mi = image.Average(v => (double)v);
        for (int py = 0; py < k; py++)
            for (int px = 0; px < k; px++)
            {
                var t = new double[n];
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < size; y++)
                        for (int x = 0; x < size; x++)
                            t[(c * size + y) * size + x] = filter[(c * k + (y + py) % k) * k + (x + px) % k];
                double mt = t.Average(), sab = 0, saa = 0, sbb = 0;
                for (int i = 0; i < n; i++)
                {
                    double a = image[i] - mi, b = t[i] - mt;
                    sab += a * b; saa += a * a; sbb += b * b;
                }
                best = Math.Max(best, saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb));
            }
        return best;
    }
}
