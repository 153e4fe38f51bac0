using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// The graph's forward pass up to one node with autograd recording (ForwardPass runs under
/// no_grad). Only the node's ancestors run; each intermediate's handle is released after its
/// last consumer, so libtorch keeps only what the backward pass saved. Plain ReLUs below the
/// node go through <see cref="RedirectedRelu"/> (same values; a dead ReLU still passes gradient), and
/// convolutions through <see cref="ConvolutionWithOwnAdjoint"/> (same values; the engine's adjoint, never libtorch's).
/// </summary>
public static class GradientForward
{
    public static Tensor Run(ConvGraph graph, Tensor input, int target) => Run(graph, input, target, true);

    /// <param name="ownConvolutionAdjoint">false: libtorch's autograd for convolutions (test references only).</param>
    public static Tensor Run(ConvGraph graph, Tensor input, int target, bool ownConvolutionAdjoint)
    {
        var needed = new bool[target + 1];
        var stack = new Stack<int>();
        stack.Push(target);
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (needed[i]) continue;
            needed[i] = true;
            foreach (var j in graph.Nodes[i].Inputs) stack.Push(j);
        }
        var remaining = new int[target + 1];
        for (int i = 1; i <= target; i++)
            if (needed[i]) foreach (var j in graph.Nodes[i].Inputs) remaining[j]++;
        var values = new Tensor?[target + 1];
        values[0] = input;
        for (int i = 1; i <= target; i++)
        {
            if (!needed[i]) continue;
            var node = graph.Nodes[i];
            var inputs = new Tensor[node.Inputs.Length];
            for (int k = 0; k < inputs.Length; k++) inputs[k] = values[node.Inputs[k]]!;
            values[i] = node.Op switch
            {
                ReluOp { Slope: 0 } when i != target => RedirectedRelu.apply(inputs[0]),
                Conv2dOp conv when ownConvolutionAdjoint => ConvolutionWithOwnAdjoint.apply(inputs[0], conv, i),
                _ => node.Op.Forward(inputs, null, i),
            };
            foreach (var j in node.Inputs)
                if (--remaining[j] == 0 && j != 0 && j != target) { values[j]!.Dispose(); values[j] = null; }
        }
        return target == 0 ? input.alias() : values[target]!;
    }
}
