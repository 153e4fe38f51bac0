using System;
using System.Linq;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// Brute-force receptive fields: set one input pixel to NaN, run the network, and see which
/// units of a layer become NaN. NaN spreads through every op that reads the pixel (ReLU and
/// max-pool keep it), so the NaN units are exactly those whose field contains the pixel.
/// </summary>
public static class ReceptiveFieldProbe
{
    /// <summary>For each (y, x) pixel, the [yMin, yMax, xMin, xMax] of affected units (inclusive), or -1s when none.</summary>
    public static long[][] AffectedUnits(ConvModel model, string layer, long[] pixelY, long[] pixelX)
    {
        var spec = model.Layers.Get(layer);
        int node = spec.Activation;
        using var scope = NewDisposeScope();
        int n = pixelY.Length;
        var shape = model.Graph.InputShape;
        var input = full(new[] { n, shape[0], shape[1], shape[2] }, model.Input.PixelMax / 2, device: model.Device);
        for (int i = 0; i < n; i++) input[i, .., pixelY[i], pixelX[i]] = float.NaN;
        var output = ForwardPass.Run(model.Graph, input, new[] { node })[node];
        var nan = output.isnan().any(1).cpu(); // N x H x W: any channel
        var result = new long[n][];
        for (int i = 0; i < n; i++)
        {
            var hit = nan[i].nonzero();
            if (hit.shape[0] == 0) { result[i] = new long[] { -1, -1, -1, -1 }; continue; }
            var ys = hit[.., 0]; var xs = hit[.., 1];
            result[i] = new[] { ys.min().item<long>(), ys.max().item<long>(), xs.min().item<long>(), xs.max().item<long>() };
        }
        return result;
    }
}
