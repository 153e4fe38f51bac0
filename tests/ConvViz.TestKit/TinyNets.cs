using System;
using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>Small hand-built networks with known weights, for checks against hand computation and autograd.</summary>
public static class TinyNets
{
    /// <summary>One conv (given weights, no bias) then one max-pool; layer "conv" taps the pool output at every stage.</summary>
    public static ConvModel ConvPool(float[] weight, long outChannels, long inChannels, long kernel, long height, long width,
        long convStride, long convPad, long poolKernel, long poolStride)
    {
        var g = new GraphBuilder(inChannels, height, width);
        var w = tensor(weight).reshape(outChannels, inChannels, kernel, kernel);
        int conv = g.Add("conv", new Conv2dOp(w, null, new[] { convStride, convStride }, new[] { convPad, convPad }, new long[] { 1, 1 }, 1), g.Input);
        int pool = g.Add("pool", new MaxPoolOp(new[] { poolKernel, poolKernel }, new[] { poolStride, poolStride }, new long[] { 0, 0 }), conv);
        return Wrap(g, new[] { new LayerSpec("conv", "Conv", pool, pool, pool, Array.Empty<string>(), 0) }, height, width);
    }

    /// <summary>
    /// A random chain with the given op sequence ("conv", "relu", "pool", "pool-overlap", "bn", "avg", "lrn", "conv-s2", "conv-dil", "conv-group", "pad-asym"), 8 channels.
    /// Layers "l0", "l1", ... tap each op output.
    /// </summary>
    public static ConvModel Chain(string[] ops, long size, long seed)
    {
        var gen = new Generator((ulong)seed);
        var g = new GraphBuilder(3, size, size);
        int x = g.Input; long c = 3;
        var layers = new List<LayerSpec>();
        for (int i = 0; i < ops.Length; i++)
        {
            GraphOp op = ops[i] switch
            {
                "conv" => Conv(gen, c, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, 1),
                "conv-s2" => Conv(gen, c, 8, 3, 2, new long[] { 1, 1 }, new long[] { 1, 1 }, 1),
                "conv-dil" => Conv(gen, c, 8, 3, 1, new long[] { 2, 2 }, new long[] { 2, 2 }, 1),
                "conv-group" => Conv(gen, c, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, c % 2 == 0 ? 2 : 1),
                "pad-asym" => Conv(gen, c, 8, 3, 2, new long[] { 1, 0, 0, 1 }, new long[] { 1, 1 }, 1),
                "relu" => new ReluOp(),
                "leaky" => new ReluOp(0.1),
                "pool" => new MaxPoolOp(new long[] { 2, 2 }, new long[] { 2, 2 }, new long[] { 0, 0 }),
                "pool-overlap" => new MaxPoolOp(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }),
                "pool-ceil" => new MaxPoolOp(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 0, 0 }, ceilMode: true),
                // Asymmetric padding [top, left, bottom, right]: pooled on a hand-padded frame.
                "pool-asym" => new MaxPoolOp(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 0, 2, 1 }),
                "bn" => new BatchNormOp(rand(new[] { c }, generator: gen) + 0.5, randn(new[] { c }, generator: gen),
                    randn(new[] { c }, generator: gen), rand(new[] { c }, generator: gen) + 0.5, 1e-5),
                "avg" => new AvgPoolOp(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, false, false),
                "lrn" => new LrnOp(5, 1e-2, 0.75, 2.0),
                _ => throw new ArgumentException($"Unknown op '{ops[i]}'."),
            };
            x = g.Add($"n{i}", op, x);
            if (op is Conv2dOp cv) c = cv.OutChannels;
            layers.Add(new LayerSpec($"l{i}", "Conv", x, x, x, Array.Empty<string>(), 0));
        }
        return Wrap(g, layers, size, size);
    }

    /// <summary>A residual block: conv-relu-conv plus identity, then ReLU; layers "branch", "block".</summary>
    public static ConvModel Residual(long size, long seed)
    {
        var gen = new Generator((ulong)seed);
        var g = new GraphBuilder(3, size, size);
        int stem = g.Add("stem", Conv(gen, 3, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), g.Input);
        int r0 = g.Add("relu0", new ReluOp(), stem);
        int c1 = g.Add("c1", Conv(gen, 8, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), r0);
        int r1 = g.Add("relu1", new ReluOp(), c1);
        int c2 = g.Add("c2", Conv(gen, 8, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), r1);
        int add = g.Add("add", new AddOp(), new[] { c2, r0 });
        int r2 = g.Add("relu2", new ReluOp(), add);
        int pool = g.Add("pool", new MaxPoolOp(new long[] { 3, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }), r2);
        int c3 = g.Add("c3", Conv(gen, 8, 8, 3, 1, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), pool);
        int r3 = g.Add("relu3", new ReluOp(), c3);
        var layers = new[]
        {
            new LayerSpec("block", "Block", add, r2, pool, Array.Empty<string>(), 0),
            new LayerSpec("top", "Conv", c3, r3, r3, Array.Empty<string>(), 0),
        };
        return Wrap(g, layers, size, size);
    }

    private static Conv2dOp Conv(Generator gen, long cin, long cout, long k, long stride, long[] pad, long[] dilation, long groups)
        => new(randn(new[] { cout, cin / groups, k, k }, generator: gen) * 0.3, randn(new[] { cout }, generator: gen) * 0.1,
            new[] { stride, stride }, pad, dilation, groups);

    private static ConvModel Wrap(GraphBuilder g, IEnumerable<LayerSpec> layers, long height, long width)
        => new("tiny", "test:tiny", g.Build(), new LayerTable(layers, "tiny"),
            new InputSpec((int)width, (int)height, ResizeMode.Stretch, (int)width, 1f), ModelOutputKind.Features);
}
