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
    private static long _passes;

    /// <summary>Forward passes run in this process so far (all graphs, all threads); tests count them.</summary>
    public static long Passes => System.Threading.Interlocked.Read(ref _passes);

    /// <summary>
    /// Whether tapeless passes may let ReLU and Add overwrite their input in place (same values, fewer
    /// allocations). Only benchmarks turn it off, to measure the difference.
    /// </summary>
    public static bool AllowInPlace { get; set; } = true;

    public static Dictionary<int, Tensor> Run(ConvGraph graph, Tensor input, IReadOnlyCollection<int> taps, SwitchTape? tape = null)
    {
        var values = Walk(graph, input, taps, tape, keepTaps: true, visit: null);
        return taps.Distinct().ToDictionary(t => t, t => t == 0 ? input.alias() : values[t]!);
    }

    /// <summary>
    /// Like <see cref="Run"/>, but hands each tapped output to <paramref name="visit"/> as soon
    /// as it is computed and then frees it like any intermediate, so a pass with many taps
    /// holds no more memory than a bare one. <paramref name="visit"/> must not keep the tensor.
    /// </summary>
    public static void Stream(ConvGraph graph, Tensor input, IReadOnlyCollection<int> taps, Action<int, Tensor> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        Walk(graph, input, taps, tape: null, keepTaps: false, visit);
    }

    private static Tensor?[] Walk(ConvGraph graph, Tensor input, IReadOnlyCollection<int> taps, SwitchTape? tape, bool keepTaps, Action<int, Tensor>? visit)
    {
        if (taps.Count == 0) throw new ArgumentException("Nothing to tap.", nameof(taps));
        System.Threading.Interlocked.Increment(ref _passes);
        int last = taps.Max();
        var needed = Ancestors(graph, taps);
        var remaining = new int[last + 1];
        for (int i = 1; i <= last; i++)
            if (needed[i]) foreach (var j in graph.Nodes[i].Inputs) remaining[j]++;

        // Consumers of each node in this pass: a node read by exactly one op, whose op makes fresh storage, may
        // be overwritten by that op in place (ReLU, Add; identical values) when nothing else keeps it.
        var consumers = (int[])remaining.Clone();
        var tapped = new HashSet<int>(taps);
        var values = new Tensor?[last + 1];
        values[0] = input;
        using var _ = no_grad();
        if (visit is not null && tapped.Contains(0)) visit(0, input);
        for (int i = 1; i <= last; i++)
        {
            if (!needed[i]) continue;
            var node = graph.Nodes[i];
            var inputs = new Tensor[node.Inputs.Length];
            for (int k = 0; k < inputs.Length; k++) inputs[k] = values[node.Inputs[k]]!;
            int first = node.Inputs.Length > 0 ? node.Inputs[0] : 0;
            Tensor? inPlace = AllowInPlace && tape is null && first != 0 && consumers[first] == 1 && graph.Nodes[first].Op.FreshOutput
                && !(keepTaps && tapped.Contains(first)) ? node.Op.ForwardInPlace(inputs) : null;
            if (inPlace is not null)
            {
                // The input's storage now belongs to this node.
                var old = values[first]!;
                values[first] = null;
                if (!ReferenceEquals(old, inPlace)) old.Dispose();
                values[i] = inPlace;
            }
            else values[i] = node.Op.Forward(inputs, tape, i);
            if (visit is not null && tapped.Contains(i))
            {
                visit(i, values[i]!);
                if (remaining[i] == 0) Free(values, i);
            }
            foreach (var j in node.Inputs)
                if (--remaining[j] == 0 && j != 0 && !(keepTaps && tapped.Contains(j))) Free(values, j);
        }
        return values;
    }

    private static void Free(Tensor?[] values, int node)
    {
        values[node]?.Dispose();
        values[node] = null;
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
