using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.TestKit;

/// <summary>
/// Conv2dOp's forward and adjoint in float32 against libtorch's float64 convolution and its autograd
/// (float64 never takes the oneDNN path), over channel counts that oneDNN's blocked kernels get wrong.
/// </summary>
public static class ConvKernels
{
    /// <summary>One line per shape: "cin cout k stride groups | forward error | adjoint error | raw F.conv2d error".</summary>
    public static string[] Check(int seed)
    {
        var lines = new List<string>();
        var gen = new Generator((ulong)seed);
        foreach (long cin in new long[] { 3, 12, 16, 17, 24, 52, 80 })
            foreach (long cout in new long[] { 3, 24 })
                foreach (long k in new long[] { 1, 3, 5, 7 })
                    foreach (long stride in new long[] { 1, 2 })
                        foreach (long groups in new long[] { 1, 2 })
                        {
                            if (cin % groups != 0 || cout % groups != 0) continue;
                            using var scope = NewDisposeScope();
                            var x = randn(new long[] { 2, cin, 12, 12 }, generator: gen);
                            var w = randn(new long[] { cout, cin / groups, k, k }, generator: gen) / Math.Sqrt(cin * k * k);
                            var b = randn(new long[] { cout }, generator: gen);
                            long p = k / 2;
                            using var op = new Conv2dOp(w.clone(), b.clone(), new[] { stride, stride }, new[] { p, p }, new long[] { 1, 1 }, groups);
                            var y = op.Forward(new[] { x }, null, 1);
                            var signal = randn(y.shape, generator: gen);
                            var context = new ProjectionContext(ProjectionRule.Gradient, null!, 1, new[] { x.shape.Skip(1).ToArray() });
                            var back = op.Project(signal, context)[0]!;

                            Tensor y64, back64;
                            using (enable_grad())
                            {
                                var x64 = x.to_type(ScalarType.Float64).requires_grad_(true);
                                y64 = F.conv2d(x64, w.to_type(ScalarType.Float64), b.to_type(ScalarType.Float64), new[] { stride, stride }, new[] { p, p }, new long[] { 1, 1 }, groups);
                                back64 = autograd.grad(new[] { y64 }, new[] { x64 }, new[] { signal.to_type(ScalarType.Float64) })[0];
                            }
                            var raw = F.conv2d(x, w, b, new[] { stride, stride }, new[] { p, p }, new long[] { 1, 1 }, groups);
                            lines.Add($"{cin} {cout} {k} {stride} {groups} | {Error(y, y64):E2} | {Error(back, back64):E2} | {Error(raw, y64):E2}");
                        }
        return lines.ToArray();
    }

    /// <summary>max |a - b| / max |b|; +inf for a non-finite value.</summary>
    private static double Error(Tensor a, Tensor reference)
    {
        var d = (a.to_type(ScalarType.Float64) - reference.detach()).abs().max().item<double>();
        var scale = reference.detach().abs().max().item<double>();
        return double.IsFinite(d) ? d / scale : double.PositiveInfinity;
    }
}
