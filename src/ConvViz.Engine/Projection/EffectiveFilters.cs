using System;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.Engine.Projection;

/// <summary>
/// The first conv layer's filters as seen from the model input: each unit's gradient with
/// respect to the input pixels under its field. Channel swaps and scalings that the graph
/// applies before the conv (a BGR model, mean and std) are folded in, so the tiles show the
/// RGB pattern each filter matches (the paper's Figure 6), whatever the model's preprocessing.
/// </summary>
public static class EffectiveFilters
{
    /// <returns>Weights as units x 3 x kernelHeight x kernelWidth floats, and the kernel size.</returns>
    public static (float[] Weights, int Units, int Height, int Width) Of(ConvModel model, LayerSpec layer)
    {
        var graph = model.Graph;
        int node = ConvOf(graph, layer);
        if (graph.InputShape[0] != 3)
            throw new ArgumentException($"Model '{model.Name}' takes {graph.InputShape[0]} input channels; filter tiles need 3 (RGB).");
        if (!OnlyLinearBefore(graph, node))
            throw new ArgumentException($"Layer '{layer.Name}' of model '{model.Name}' is not a first layer: a ReLU or pool lies between it and the input, so it has no fixed filter in pixel space.");
        var shape = graph.ShapeOf(node);
        if (shape.Length != 3) throw new ArgumentException($"Layer '{layer.Name}' is not a convolution (its output is {string.Join("x", shape)}).");
        long units = shape[0], cy = shape[1] / 2, cx = shape[2] / 2;
        var box = graph.FieldOf(node).BoxOf(cy, cx, graph.InputShape[1], graph.InputShape[2]);

        using var scope = NewDisposeScope();
        using var tape = new SwitchTape();
        var input = zeros(new[] { 1L }.Concat(graph.InputShape).ToArray(), device: model.Device);
        ForwardPass.Run(graph, input, new[] { node }, tape);
        var seed = zeros(new[] { units }.Concat(shape).ToArray(), device: model.Device);
        for (long u = 0; u < units; u++) seed[u, u, cy, cx] = 1f;
        using var rows = tape.Select(zeros(units, ScalarType.Int64, model.Device));
        var g = Projector.Project(graph, node, seed, rows, ProjectionRule.Gradient);
        var crop = g.narrow(2, box.Top, box.Height).narrow(3, box.Left, box.Width).contiguous().cpu();
        return (crop.data<float>().ToArray(), (int)units, (int)box.Height, (int)box.Width);
    }

    // The layer's own convolution: the pre-activation node, or the nearest conv feeding it (through a batch-norm).
    private static int ConvOf(ConvGraph graph, LayerSpec layer)
    {
        int i = layer.PreActivation;
        while (i > 0 && graph.Nodes[i].Op is not Graph.Ops.Conv2dOp) i = graph.Nodes[i].Inputs.Length > 0 ? graph.Nodes[i].Inputs[0] : 0;
        return i > 0 ? i : throw new ArgumentException($"Layer '{layer.Name}' has no convolution.");
    }

    private static bool OnlyLinearBefore(ConvGraph graph, int node)
    {
        var stack = new System.Collections.Generic.Stack<int>(graph.Nodes[node].Inputs);
        var seen = new System.Collections.Generic.HashSet<int>();
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (!seen.Add(i)) continue;
            var op = graph.Nodes[i].Op;
            if (op is Graph.Ops.ReluOp or Graph.Ops.MaxPoolOp or Graph.Ops.Conv2dOp) return false;
            foreach (var j in graph.Nodes[i].Inputs) stack.Push(j);
        }
        return true;
    }
}
