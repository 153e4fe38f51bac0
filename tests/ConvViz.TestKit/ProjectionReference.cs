using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using ConvViz.Engine.Projection;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// Independent references for projections, by autograd: the whole network differentiated at
/// once (Gradient; Deconvnet on ReLU-free nets), and a node-by-node autograd walk that masks
/// every ReLU's backward by the sign of the incoming signal (GuidedBackprop's definition).
/// All start from the chosen activation's value, as the projector does.
/// </summary>
public static class ProjectionReference
{
    /// <summary>a * da/dx for activation a = layer(unit, y, x) of a 1 x C x H x W input.</summary>
    public static float[] Gradient(ConvModel model, float[] input, string layer, long unit, long y, long x)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var node = model.Layers.Get(layer).Activation;
        var shape = model.Graph.InputShape;
        var xin = tensor(input).reshape(1, shape[0], shape[1], shape[2]).requires_grad_(true);
        var values = ForwardWithGraph(model.Graph, xin, node);
        var a = Pick(values[node], unit, y, x);
        var g = autograd.grad(new[] { a }, new[] { xin })[0];
        return (g * a.detach()).detach().cpu().data<float>().ToArray();
    }

    /// <summary>
    /// a * da/dx by autograd, with every node's value pinned to the engine's own forward value
    /// (value = engine value, derivative = autograd of the reference op at that value). Two float32
    /// forward implementations differ in the last bits, which flips ReLUs whose input is near zero
    /// and changes the gradient there; pinning the values removes that, so this checks the
    /// projector's adjoints and their composition only.
    /// </summary>
    public static float[] GradientAtEngineValues(ConvModel model, float[] input, string layer, long unit, long y, long x)
    {
        using var scope = NewDisposeScope();
        var graph = model.Graph;
        int node = model.Layers.Get(layer).Activation;
        var engine = EngineValues(model, input, node);
        using var grad = enable_grad();
        var values = new Tensor[node + 1];
        values[0] = engine[0].clone().requires_grad_(true);
        for (int i = 1; i <= node; i++)
        {
            var reference = ReferenceConv.NodeForward(graph.Nodes[i].Op, graph.Nodes[i].Inputs.Select(j => values[j]).ToArray(), i);
            values[i] = reference.requires_grad ? engine[i] + (reference - reference.detach()) : engine[i];
        }
        var a = Pick(values[node], unit, y, x);
        var g = autograd.grad(new[] { a }, new[] { values[0] })[0];
        return (g * a.detach()).detach().cpu().data<float>().ToArray();
    }

    /// <summary>Guided backpropagation by a per-node autograd walk; ReLUs pass relu(signal) * (x > 0).</summary>
    public static float[] Guided(ConvModel model, float[] input, string layer, long unit, long y, long x)
    {
        using var scope = NewDisposeScope();
        var graph = model.Graph;
        int node = model.Layers.Get(layer).Activation;
        var values = EngineValues(model, input, node);

        var signals = new Tensor?[node + 1];
        var seed = zeros_like(values[node]);
        var a = Pick(values[node], unit, y, x);
        if (values[node].dim() == 2) seed[0, unit] = a; else seed[0, unit, y, x] = a;
        signals[node] = seed;
        for (int i = node; i >= 1; i--)
        {
            var s = signals[i];
            if (s is null) continue;
            var n = graph.Nodes[i];
            Tensor[] down;
            if (n.Op is ReluOp { Slope: 0 })
            {
                down = new[] { nn.functional.relu(s) * values[n.Inputs[0]].gt(0).to_type(s.dtype) };
            }
            else
            {
                using var grad = enable_grad();
                var ins = n.Inputs.Select(j => values[j].detach().requires_grad_(true)).ToArray();
                var outv = ReferenceConv.NodeForward(n.Op, ins, i);
                down = autograd.grad(new[] { outv }, ins, new[] { s }, allow_unused: true).Select(t => t.detach()).ToArray();
            }
            for (int k = 0; k < n.Inputs.Length; k++)
            {
                int j = n.Inputs[k];
                if (down[k] is null || down[k].IsInvalid) continue;
                signals[j] = signals[j] is null ? down[k] : signals[j]! + down[k];
            }
        }
        return signals[0]!.cpu().data<float>().ToArray();
    }

    /// <summary>The projector under test on a 1 x C x H x W input, for comparison.</summary>
    public static float[] Projector(ConvModel model, float[] input, string layer, long unit, long y, long x, string rule, bool keepFeatureMap = false)
    {
        using var scope = NewDisposeScope();
        var shape = model.Graph.InputShape;
        var images = tensor(input).reshape(1, shape[0], shape[1], shape[2]);
        var target = new ProjectionTarget(0, model.Layers.Get(layer).Activation, unit, y, x, keepFeatureMap);
        return BatchProjector.Project(model, images, new[] { target }, Enum.Parse<ProjectionRule>(rule, true))[0];
    }

    /// <summary>
    /// Projections of several single-position targets in one chunk (rows from several images), once on
    /// windows and once on whole maps: the largest absolute difference over every rule's result, relative
    /// to the largest magnitude of the whole-map results (0 when they agree bit for bit).
    /// </summary>
    public static double WindowedAgainstWhole(ConvModel model, float[][] inputs, string layer, int[] images, long[] units, long[] ys, long[] xs, string[] rules)
    {
        using var scope = NewDisposeScope();
        var shape = model.Graph.InputShape;
        var batch = cat(inputs.Select(i => tensor(i).reshape(1, shape[0], shape[1], shape[2])).ToArray(), 0);
        int node = model.Layers.Get(layer).Activation;
        var targets = images.Select((image, k) => new ProjectionTarget(image, node, units[k], ys[k], xs[k])).ToArray();
        var parsed = rules.Select(r => Enum.Parse<ProjectionRule>(r, true)).ToArray();
        var windowed = BatchProjector.ProjectActivations(model, batch, targets, _ => parsed, targets.Length, windowed: true);
        var whole = BatchProjector.ProjectActivations(model, batch, targets, _ => parsed, targets.Length, windowed: false);
        double largest = 0, difference = 0;
        for (int k = 0; k < targets.Length; k++)
            for (int r = 0; r < parsed.Length; r++)
            {
                var a = windowed[k].ByRule[r];
                var b = whole[k].ByRule[r];
                if (a.Length != b.Length) throw new InvalidOperationException($"Target {k}: {a.Length} values windowed, {b.Length} whole.");
                for (int i = 0; i < a.Length; i++)
                {
                    largest = Math.Max(largest, Math.Abs(b[i]));
                    difference = Math.Max(difference, Math.Abs(a[i] - b[i]));
                }
            }
        if (largest == 0) throw new InvalidOperationException("Every whole-map projection is zero: nothing to compare.");
        return difference / largest;
    }

    /// <summary>The activation map of one layer for a 1 x C x H x W input: [C, H, W] and the values.</summary>
    public static float[] Activation(ConvModel model, float[] input, string layer, out long[] shape)
    {
        using var scope = NewDisposeScope();
        var s = model.Graph.InputShape;
        var images = tensor(input).reshape(1, s[0], s[1], s[2]);
        int node = model.Layers.Get(layer).Activation;
        var v = ConvViz.Engine.Taps.ForwardPass.Run(model.Graph, images, new[] { node })[node];
        shape = v.shape.Skip(1).ToArray();
        return v.cpu().data<float>().ToArray();
    }

    /// <summary>Where a C x H x W map is non-zero: [count, yMin, yMax, xMin, xMax, nonFinite].</summary>
    public static long[] Support(float[] map, long channels, long height, long width)
    {
        long count = 0, y0 = long.MaxValue, y1 = -1, x0 = long.MaxValue, x1 = -1, bad = 0;
        for (long i = 0; i < map.Length; i++)
        {
            if (!float.IsFinite(map[i])) bad++;
            if (map[i] == 0) continue;
            long y = i % (height * width) / width, x = i % width;
            count++; y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); x0 = Math.Min(x0, x); x1 = Math.Max(x1, x);
        }
        return new[] { count, y0, y1, x0, x1, bad };
    }

    public static float[] RandomInput(ConvModel model, long seed)
    {
        var s = model.Graph.InputShape;
        using var t = rand(new[] { 1, s[0], s[1], s[2] }, generator: new Generator((ulong)seed)) * model.Input.PixelMax;
        return t.data<float>().ToArray();
    }

    /// <summary>
    /// Every node's value up to <paramref name="node"/> by the engine's own ops, under the projector's
    /// thread split: other thread counts pick other kernels and flip other near-zero ReLUs.
    /// </summary>
    private static Tensor[] EngineValues(ConvModel model, float[] input, int node)
    {
        var graph = model.Graph;
        var shape = graph.InputShape;
        var values = new Tensor[node + 1];
        values[0] = tensor(input).reshape(1, shape[0], shape[1], shape[2]);
        using (ConvViz.Engine.Runtime.ThreadPlan.For(model.Device).Apply())
        using (no_grad())
            for (int i = 1; i <= node; i++)
                values[i] = graph.Nodes[i].Op.Forward(graph.Nodes[i].Inputs.Select(j => values[j]).ToArray(), null, i);
        return values;
    }

    private static Dictionary<int, Tensor> ForwardWithGraph(ConvGraph graph, Tensor input, int last)
    {
        var values = new Dictionary<int, Tensor> { [0] = input };
        for (int i = 1; i <= last; i++)
            values[i] = ReferenceConv.NodeForward(graph.Nodes[i].Op, graph.Nodes[i].Inputs.Select(j => values[j]).ToArray(), i);
        return values;
    }

    private static Tensor Pick(Tensor v, long unit, long y, long x) => v.dim() == 2 ? v[0, unit] : v[0, unit, y, x];
}
