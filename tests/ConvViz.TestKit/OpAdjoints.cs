using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.TestKit;

/// <summary>
/// Each op's adjoint (GraphOp.Project under a rule) against an independent autograd reference
/// written with plain torch functions: the exact derivative for Gradient, and the stated rule for
/// Deconvnet and GuidedBackprop (ProjectionRules): for gates, autograd with the gate detached.
/// </summary>
public static class OpAdjoints
{
    public static readonly string[] Cases =
    {
        "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Pow2", "Pow3", "Sqrt",
        "MulGateBroadcast", "MulGateSilu", "MulNoGate", "Div", "LayerNorm",
        "ReduceMeanSpatial", "ReduceSumChannels", "ReduceMaxSpatial", "ReduceMaxKeep", "Transpose", "ChannelOrder",
        "ConvGroupedStrided", "ConvDilatedAsymmetric", "ConvResNeXtGrouped", "ConvResNeXtDownsample",
    };

    /// <summary>The rule table as about_ConvViz_Models prints it: "Kind ... Gradient | Deconvnet | GuidedBackprop".</summary>
    public static string[] RuleLines()
        => ProjectionRules.Table.Select(r => $"{r.Kind}|{r.Gradient} | {r.Deconvnet} | {r.Guided}").ToArray();

    /// <summary>max |engine - reference| / max |reference| over every input's signal; +inf when one gives a signal and the other not.</summary>
    public static double Check(string name, string rule, int seed)
    {
        using var scope = NewDisposeScope();
        var r = Enum.Parse<ProjectionRule>(rule, true);
        var gen = new Generator((ulong)seed);
        Tensor R(params long[] shape) => randn(shape, generator: gen);
        bool exact = r == ProjectionRule.Gradient;
        // Each case: the op, its inputs, and the reference function of (inputs) whose autograd is the expected adjoint.
        (GraphOp Op, Tensor[] Inputs, Func<Tensor[], Tensor> Reference, bool[] Receives) c = name switch
        {
            "Sigmoid" => (new SigmoidOp(), new[] { R(2, 3, 4, 5) }, x => x[0].sigmoid(), new[] { true }),
            "HardSigmoid" => (new HardSigmoidOp(1.0 / 6, 0.5), new[] { R(2, 3, 4, 5) * 4 }, x => F.hardsigmoid(x[0]), new[] { true }),
            "HardSwish" => (new HardSwishOp(), new[] { R(2, 3, 4, 5) * 4 }, x => F.hardswish(x[0]), new[] { true }),
            "Tanh" => (new TanhOp(), new[] { R(2, 3, 4, 5) }, x => x[0].tanh(), new[] { true }),
            "Erf" => (new ErfOp(), new[] { R(2, 3, 4, 5) }, x => x[0].erf(), new[] { true }),
            "Pow2" => (new PowOp(2), new[] { R(2, 3, 4, 5) }, x => x[0].pow(2), new[] { true }),
            "Pow3" => (new PowOp(3), new[] { R(2, 3, 4, 5) }, x => x[0].pow(3), new[] { true }),
            "Sqrt" => (new SqrtOp(), new[] { R(2, 3, 4, 5).abs() + 0.1 }, x => x[0].sqrt(), new[] { true }),
            // Squeeze-and-excitation: b = sigmoid(...) broadcast over space, the gate.
            "MulGateBroadcast" => (new MulOp(1), new[] { R(2, 3, 4, 5), R(2, 3, 1, 1).sigmoid() },
                x => x[0] * (exact ? x[1] : x[1].detach()), new[] { true, exact }),
            "MulGateSilu" => (new MulOp(1), new[] { R(2, 3, 4, 5), R(2, 3, 4, 5).sigmoid() },
                x => x[0] * (exact ? x[1] : x[1].detach()), new[] { true, exact }),
            "MulNoGate" => (new MulOp(-1), new[] { R(2, 3, 4, 5), R(2, 3, 4, 5) }, x => x[0] * x[1], new[] { true, true }),
            "Div" => (new DivOp(), new[] { R(2, 3, 4, 5), R(2, 3, 4, 1).abs() + 0.5 },
                x => x[0] / (exact ? x[1] : x[1].detach()), new[] { true, exact }),
            "LayerNorm" => LayerNormCase(R(2, 4, 5, 6), R(6), R(6), exact),
            "ReduceMeanSpatial" => (new ReduceOp(ReduceKind.Mean, new long[] { 2, 3 }, false), new[] { R(2, 3, 4, 5) }, x => x[0].mean(new long[] { 2, 3 }), new[] { true }),
            "ReduceSumChannels" => (new ReduceOp(ReduceKind.Sum, new long[] { 1 }, true), new[] { R(2, 3, 4, 5) }, x => x[0].sum(new long[] { 1 }, keepdim: true), new[] { true }),
            "ReduceMaxSpatial" => (new ReduceOp(ReduceKind.Max, new long[] { 2, 3 }, false), new[] { R(2, 3, 4, 5) }, x => x[0].amax(new long[] { 2, 3 }), new[] { true }),
            "ReduceMaxKeep" => (new ReduceOp(ReduceKind.Max, new long[] { 1, 3 }, true), new[] { R(2, 3, 4, 5) }, x => x[0].amax(new long[] { 1, 3 }, keepdim: true), new[] { true }),
            "Transpose" => (new TransposeOp(new long[] { 0, 2, 3, 1 }), new[] { R(2, 3, 4, 5) }, x => x[0].permute(0, 2, 3, 1), new[] { true }),
            "ChannelOrder" => (new ChannelPermuteOp(new long[] { 2, 1, 0 }), new[] { R(2, 3, 4, 5) }, x => x[0].flip(1), new[] { true }),
            // Conv is linear: all three rules are its exact adjoint. The reference never calls libtorch's conv
            // (whose backward/deconvolution is what crashed): slices and a per-group einsum.
            "ConvGroupedStrided" => ConvCase(R(2, 8, 9, 7), R(12, 2, 3, 3), 2, 1, 4, new long[] { 1, 1, 1, 1 }),
            "ConvDilatedAsymmetric" => ConvCase(R(2, 4, 9, 8), R(6, 2, 3, 2), 1, 2, 2, new long[] { 0, 1, 2, 0 }),
            // resnext50_32x4d layer3.0 conv2 (grouped) and downsample at the 64-pixel export; libtorch's
            // conv_transpose2d of the downsample's [2, 1024, 4, 4] signal kills the process (SIGFPE in oneDNN).
            "ConvResNeXtGrouped" => ConvCase(R(2, 512, 8, 8) * 0.1, R(512, 16, 3, 3) * 0.1, 2, 1, 32, new long[] { 1, 1, 1, 1 }),
            "ConvResNeXtDownsample" => ConvCase(R(2, 512, 8, 8) * 0.1, R(1024, 512, 1, 1) * 0.1, 2, 1, 1, new long[] { 0, 0, 0, 0 }),
            _ => throw new ArgumentException($"Unknown case '{name}'."),
        };

        using var op = c.Op;
        using var tape = new SwitchTape();
        Tensor y;
        using (no_grad()) y = op.Forward(c.Inputs, tape, 1);
        var signal = randn(y.shape, generator: gen);
        var context = new ProjectionContext(r, tape, 1, c.Inputs.Select(t => t.shape.Skip(1).ToArray()).ToArray());
        var mine = op.Project(signal, context);

        Tensor?[] expected;
        using (enable_grad())
        {
            var xs = c.Inputs.Select(t => t.detach().requires_grad_(true)).ToArray();
            var outv = c.Reference(xs);
            var gs = autograd.grad(new[] { outv }, xs, new[] { signal }, allow_unused: true);
            expected = gs.Select((g, i) => c.Receives[i] && g is not null && !g.IsInvalid ? g.detach() : null).ToArray();
        }
        double worst = 0;
        for (int i = 0; i < c.Inputs.Length; i++)
        {
            if (expected[i] is null != mine[i] is null) return double.PositiveInfinity;
            if (expected[i] is null) continue;
            if (!mine[i]!.shape.SequenceEqual(expected[i]!.shape)) return double.PositiveInfinity;
            double diff = (mine[i]! - expected[i]!).abs().max().item<float>();
            double scale = expected[i]!.abs().max().item<float>();
            worst = Math.Max(worst, scale == 0 ? diff : diff / scale);
        }
        return worst;
    }

    /// <summary>Conv2dOp (padding [top, left, bottom, right]) and a conv written as strided slices of the padded input times a per-group weight matrix.</summary>
    private static (GraphOp, Tensor[], Func<Tensor[], Tensor>, bool[]) ConvCase(Tensor x, Tensor w, long stride, long dilation, long groups, long[] pad)
    {
        var op = new Conv2dOp(w, null, new[] { stride, stride }, pad, new[] { dilation, dilation }, groups);
        Tensor Reference(Tensor[] xs) => ReferenceConv.Forward(xs[0], w, null, new[] { stride, stride }, pad, new[] { dilation, dilation }, groups);
        return (op, new[] { x }, Reference, new[] { true });
    }

    private static (GraphOp, Tensor[], Func<Tensor[], Tensor>, bool[]) LayerNormCase(Tensor x, Tensor w, Tensor b, bool exact)
    {
        var op = new LayerNormOp(3, w, b, 1e-5);
        Tensor Reference(Tensor[] xs)
        {
            var v = xs[0];
            if (exact) return F.layer_norm(v, new long[] { 6 }, w, b, 1e-5);
            var mean = v.mean(new long[] { 3 }, keepdim: true);
            var sigma = (v.var(new long[] { 3 }, unbiased: false, keepdim: true) + 1e-5).sqrt().detach();
            return (v - mean) / sigma * w + b;
        }
        return (op, new[] { x }, Reference, new[] { true });
    }
}
