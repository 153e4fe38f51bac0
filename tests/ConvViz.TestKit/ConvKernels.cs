using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.TopK;
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
    public static string[] Check(int seed) => Check(seed, false);

    /// <summary>
    /// The same, with the input in channels-last strides (the scan's layout, <c>ActivationScanner.ScanLayout</c>):
    /// oneDNN takes other kernels for it, and Conv2dOp computes its 1x1 convolutions as matrix products.
    /// </summary>
    public static string[] Check(int seed, bool channelsLast)
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
                            if (channelsLast) x = ActivationScanner.ScanLayout(x);
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

    /// <summary>
    /// 1x1 convolutions of channels-last inputs at the five (in, out) channel pairs whose oneDNN 1x1 kernel
    /// divides by zero on CPUs without AMX (a process that reaches libtorch's own kernel dies of SIGFPE:
    /// run this in a child process), strided and not, against float64: one line "cin cout stride | error".
    /// </summary>
    public static string[] CheckPointwiseChannelsLast(int seed)
    {
        var lines = new List<string>();
        var gen = new Generator((ulong)seed);
        foreach (var (cin, cout) in new (long, long)[] { (256, 1024), (512, 1024), (512, 2048), (1024, 512), (1024, 2048) })
            foreach (long stride in new long[] { 1, 2 })
            {
                using var scope = NewDisposeScope();
                var x = ActivationScanner.ScanLayout(randn(new long[] { 4, cin, 4, 4 }, generator: gen));
                var w = randn(new long[] { cout, cin, 1, 1 }, generator: gen) / Math.Sqrt(cin);
                var b = randn(new long[] { cout }, generator: gen);
                using var op = new Conv2dOp(w.clone(), b.clone(), new[] { stride, stride }, new long[] { 0, 0 }, new long[] { 1, 1 }, 1);
                var y = op.Forward(new[] { x }, null, 1);
                var y64 = F.conv2d(x.to_type(ScalarType.Float64), w.to_type(ScalarType.Float64), b.to_type(ScalarType.Float64), new[] { stride, stride });
                lines.Add($"{cin} {cout} {stride} | {Error(y, y64):E2}");
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
