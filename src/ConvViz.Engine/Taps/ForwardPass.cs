using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using static TorchSharp.torch;

namespace ConvViz.Engine.Taps;

/// <summary>
/// Runs a graph on a batch, keeping only the tapped node outputs and, when a tape is
/// given, the switches the way down needs. Stops at the deepest node asked for and frees
/// every intermediate as soon as its last consumer has run.
/// </summary>
public static class ForwardPass
{
    public static Dictionary<int, Tensor> Run(ConvGraph graph, Tensor input, IReadOnlyCollection<int> taps, SwitchTape? tape = null)
    {
        if (taps.Count == 0) throw new ArgumentException("Nothing to tap.", nameof(taps));
        int last = taps.Max();
        var needed = Ancestors(graph, taps);
        var remaining = new int[last + 1];
        for (int i = 1; i <= last; i++)
            if (needed[i]) foreach (var j in graph.Nodes[i].Inputs) remaining[j]++;

        var keep = new HashSet<int>(taps);
        var values = new Tensor?[last + 1];
        values[0] = input;
        using var _ = no_grad();
        for (int i = 1; i <= last; i++)
        {
            if (!needed[i]) continue;
            var node = graph.Nodes[i];
            var inputs = new Tensor[node.Inputs.Length];
            for (int k = 0; k < inputs.Length; k++) inputs[k] = values[node.Inputs[k]]!;
            values[i] = node.Op.Forward(inputs, tape, i);
            foreach (var j in node.Inputs)
            {
                if (--remaining[j] == 0 && j != 0 && !keep.Contains(j))
                {
                    values[j]!.Dispose();
                    values[j] = null;
                }
            }
        }
        return taps.Distinct().ToDictionary(t => t, t => t == 0 ? input.alias() : values[t]!);
    }

    /// <summary>The output of the graph's final node.</summary>
    public static Tensor Output(ConvGraph graph, Tensor input)
    {
        var result = Run(graph, input, new[] { graph.OutputNode });
        return result[graph.OutputNode];
    }

    private static bool[] Ancestors(ConvGraph graph, IEnumerable<int> roots)
    {
        var mark = new bool[graph.Nodes.Count];
        var stack = new Stack<int>(roots);
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (mark[i]) continue;
            mark[i] = true;
            foreach (var j in graph.Nodes[i].Inputs) stack.Push(j);
        }
        return mark;
    }
}
